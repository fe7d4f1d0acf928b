// A stream's shard set over time: scheduled changes checked against the shard set they will
// meet, applied when the puts reach their time, and routing by the open shards at the put's time.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "analysis/metrics.hpp"
#include "models/kinesis/kinesis_limits.hpp"
#include "models/stream/stream.hpp"

using namespace shardsim;

namespace {

const HashKey kHalf = kMaxHashKey / 2 + 1;  // 2^127: where two even shards meet

// Splits open shard `shard` of range [lo, hi] at `at` into [lo, mid - 1] and [mid, hi].
ShardSetChange split(double at, std::size_t shard, HashKey lo, HashKey mid, HashKey hi) {
  ShardSetChange c;
  c.at_s = at;
  c.close = {shard};
  c.open = {{{lo, mid - 1}, shard, std::nullopt}, {{mid, hi}, shard, std::nullopt}};
  return c;
}

struct Fixture {
  KeyTable keys;
  Metrics sink{1, 1, keys};
  Stream stream{2, kinesis::shard_limits(), 86400, keys, sink};  // shard 0: [0, 2^127 - 1], shard 1: [2^127, 2^128 - 1]
  Record record(double t) {
    Record r;
    r.produced_s = r.arrival_s = t;
    r.bytes = 10;
    return r;
  }
};

}  // namespace

TEST_CASE("a split routes puts by the shard set at the put's time") {
  Fixture f;
  const HashKey quarter = kHalf / 2;
  f.stream.schedule(split(5, 0, 0, quarter, kHalf - 1));
  // Before 5 s, hash key 1 belongs to shard 0; from 5 s on, to child 2 ([0, 2^126 - 1]); a hash
  // key in the upper quarter of shard 0's range goes to child 3.
  REQUIRE(f.stream.put(f.record(4.9), HashKey{1}));
  CHECK(f.stream.shard(0).end() == 1);
  CHECK(f.stream.shard_count() == 2);  // not applied before a put reaches 5 s
  REQUIRE(f.stream.put(f.record(5.0), HashKey{1}));
  REQUIRE(f.stream.put(f.record(5.1), quarter));
  CHECK(f.stream.shard_count() == 4);
  CHECK(f.stream.open_shard_count() == 3);
  CHECK(f.stream.shard(0).end() == 1);
  CHECK(f.stream.shard(2).end() == 1);
  CHECK(f.stream.shard(3).end() == 1);
  CHECK(f.stream.shard(0).closed_s() == 5);
  CHECK(f.stream.shard(0).state_at(4.99) == Shard::State::open);
  CHECK(f.stream.shard(0).state_at(5) == Shard::State::closed);
  CHECK(f.stream.shard(3).parent() == std::optional<std::size_t>(0));
  CHECK(f.stream.shard(3).opened_s() == 5);
  CHECK(f.stream.shard(3).id() == "shardId-000000000003");
  CHECK(f.stream.shard_for_hash_key(kHalf) == 1);  // the other parent is untouched
  CHECK(f.sink.shard_ids.size() == 4);
}

TEST_CASE("a key's cached shard follows the key after a change") {
  Fixture f;
  const KeyId key = f.keys.intern("customer-42");
  const HashKey h = f.keys.hash_key(key);
  const std::size_t before = f.stream.shard_for(key);
  CHECK(before == (h < kHalf ? 0u : 1u));
  // Merge the two shards at 1 s: every key moves to the child, shard 2.
  ShardSetChange merge;
  merge.at_s = 1;
  merge.close = {0, 1};
  merge.open = {{{0, kMaxHashKey}, 0, 1}};
  f.stream.schedule(merge);
  f.stream.set_horizon(1.5);
  CHECK(f.stream.shard_for(key) == 2);
  CHECK(f.stream.shard(2).adjacent_parent() == std::optional<std::size_t>(1));
}

TEST_CASE("a change that leaves the hash key space unpartitioned, or names a shard that is not open, is refused") {
  Fixture f;
  // A gap: shard 0 closes, one child covers only half of it.
  ShardSetChange gap;
  gap.at_s = 1;
  gap.close = {0};
  gap.open = {{{0, kHalf / 2}, 0, std::nullopt}};
  CHECK_THROWS_AS(f.stream.schedule(gap), std::invalid_argument);
  // An overlap: a child opens without its parent closing.
  ShardSetChange overlap;
  overlap.at_s = 1;
  overlap.open = {{{0, kHalf - 1}, std::nullopt, std::nullopt}};
  CHECK_THROWS_AS(f.stream.schedule(overlap), std::invalid_argument);
  // A parent that the change does not close.
  ShardSetChange orphan = split(1, 0, 0, kHalf / 2, kHalf - 1);
  orphan.open[1].parent = 1;
  CHECK_THROWS_AS(f.stream.schedule(orphan), std::invalid_argument);
  // Shard 0 splits at 2 s; closing it again at 3 s is refused, as is a change back in time.
  f.stream.schedule(split(2, 0, 0, kHalf / 2, kHalf - 1));
  CHECK_THROWS_AS(f.stream.schedule(split(3, 0, 0, kHalf / 2, kHalf - 1)), std::invalid_argument);
  CHECK_THROWS_AS(f.stream.schedule(split(1, 1, kHalf, kHalf + 5, kMaxHashKey)), std::invalid_argument);
  // Splitting a child the first change will open (index 3) is fine.
  f.stream.schedule(split(3, 3, kHalf / 2, kHalf / 2 + 100, kHalf - 1));
  CHECK(f.stream.next_change_s() == 2);
}
