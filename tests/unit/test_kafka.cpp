// A Kafka topic: the Java client's key partitioner, a topic that gains partitions (keys move, no
// partition closes), and a Lambda mapping's event pollers and their scaling rule.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "analysis/metrics.hpp"
#include "models/kafka/event_pollers.hpp"
#include "models/kafka/murmur2.hpp"
#include "models/kafka/topic_partitioner.hpp"
#include "models/stream/stream.hpp"

using namespace shardsim;

TEST_CASE("murmur2 matches the Kafka client's own test vectors") {
  // org.apache.kafka.common.utils.UtilsTest.testMurmur2 (the hash as Java's signed int).
  CHECK(kafka::murmur2("21") == -973932308);
  CHECK(kafka::murmur2("foobar") == -790332482);
  CHECK(kafka::murmur2("a-little-bit-long-string") == -985981536);
  CHECK(kafka::murmur2("a-little-bit-longer-string") == -1486304829);
  CHECK(kafka::murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") == -58897971);
  CHECK(kafka::murmur2("abc") == 479470107);
}

TEST_CASE("a key's partition is its murmur2 with the sign bit cleared, modulo the partitions") {
  // "21": -973932308 & 0x7fffffff = 1,173,551,340 = 6 × 195,591,890: partition 0 of 6, 0 of 4.
  CHECK(kafka::partition_for_key("21", 6) == 0);
  // "abc": 479,470,107 = 6 × 79,911,684 + 3 and 4 × 119,867,526 + 3.
  CHECK(kafka::partition_for_key("abc", 6) == 3);
  CHECK(kafka::partition_for_key("abc", 4) == 3);
  // "foobar": 2^31 − 790,332,482 = 1,357,151,166 ≡ 2 (mod 4), 0 (mod 6).
  CHECK(kafka::partition_for_key("foobar", 4) == 2);
  CHECK(kafka::partition_for_key("foobar", 6) == 0);
}

namespace {
struct Topic {
  KeyTable keys;
  Metrics sink{1, 1, keys};
  Stream stream{4, {ShardLimits::kUnlimited, ShardLimits::kUnlimited, 1, 0, 0}, 86400, keys, sink};
  Topic() {
    stream.route_with(std::make_unique<TopicPartitioner>(keys, 16'384, 1, 0));
    stream.register_readers(1);
  }
  bool put(const std::string& key, double t) {
    Record r;
    r.key = r.order_key = keys.intern(key);
    r.produced_s = r.arrival_s = t;
    r.bytes = 10;
    return stream.put(r);
  }
  ShardSetChange add(double at, int partitions) {
    ShardSetChange c;
    c.at_s = at;
    for (int i = 0; i < partitions; ++i) c.open.push_back({{0, kMaxHashKey}, std::nullopt, std::nullopt});
    return c;
  }
};
}  // namespace

TEST_CASE("a topic that gains partitions moves keys, and closes none") {
  Topic t;
  t.stream.schedule(t.add(10, 2));  // 4 → 6 partitions at 10 s
  // "abc": partition 3 of 4, then 3 of 6; "foobar": 2 of 4, then 0 of 6.
  REQUIRE(t.put("abc", 1));
  REQUIRE(t.put("foobar", 1));
  CHECK(t.stream.shard(3).end() == 1);
  CHECK(t.stream.shard(2).end() == 1);
  REQUIRE(t.put("foobar", 10));
  REQUIRE(t.put("abc", 10));
  CHECK(t.stream.shard_count() == 6);
  CHECK(t.stream.open_shard_count() == 6);
  CHECK(t.stream.shard(0).end() == 1);
  CHECK(t.stream.shard(3).end() == 2);
  CHECK(t.stream.shard(2).state_at(20) == Shard::State::open);
  CHECK_FALSE(t.stream.shard(4).parent().has_value());
  CHECK(t.stream.lag(0, 3) == 2);  // nothing read yet
  ShardSetChange closing;
  closing.at_s = 20;
  closing.close = {1};
  CHECK_THROWS_AS(t.stream.schedule(closing), std::invalid_argument);
}

TEST_CASE("a producer without keys sticks to a partition for batch.size bytes, then draws another uniformly") {
  // batch.size 16,384: records of 1,024 bytes switch after every 16th (16 × 1,024 = 16,384), of
  // 1,000 bytes after every 17th (16,000 < 16,384 ≤ 17,000). Each stick's partition is drawn
  // uniformly from 4 (the same one again included): over 2,000 sticks each partition gets
  // 500 ± 5σ, σ = √(2,000 × 1/4 × 3/4) ≈ 19.4.
  KeyTable keys;
  TopicPartitioner partitioner(keys, 16'384, 7, 0);
  const KeyId a = keys.add_keyless(), b = keys.add_keyless();
  CHECK(keys.keyless(a));
  CHECK(keys.name_length(a) == 0);
  CHECK_FALSE(keys.keyless(keys.intern("k")));
  std::vector<int> sticks(4, 0);
  for (int stick = 0; stick < 2000; ++stick) {
    const std::size_t first = partitioner.keyless(a, 1024, 4);
    ++sticks[first];
    for (int i = 1; i < 16; ++i) REQUIRE(partitioner.keyless(a, 1024, 4) == first);
  }
  for (int n : sticks) CHECK(std::abs(n - 500) <= 97);
  // Another producer has its own stick: 17 records of 1,000 bytes.
  for (int stick = 0; stick < 50; ++stick) {
    const std::size_t first = partitioner.keyless(b, 1000, 4);
    for (int i = 1; i < 17; ++i) REQUIRE(partitioner.keyless(b, 1000, 4) == first);
  }
}

TEST_CASE("event pollers: partitions share a poller's 5 MB/s, and the count follows the evaluations") {
  EventPollerParams p;
  p.maximum = 4;  // on demand, a topic of 4 partitions
  EventPollers pollers(p);
  // One poller reads every partition: 3 MB on partition 0 and 3 MB on partition 1 draw on one
  // budget of 5 MB (a second's worth), leaving −1 MB at 0 s.
  pollers.budget(0, 0).charge(0, 3e6);
  pollers.budget(1, 0).charge(0, 3e6);
  CHECK(pollers.budget(2, 0).level(0) == Approx(-1e6));
  // The lag grew and a read was held: 2 pollers, 180 s after the evaluation at 60 s.
  pollers.evaluate(60, {1000, 0, 1, 4});
  CHECK(pollers.count(239.9) == 1);
  CHECK(pollers.count(240) == 2);
  // Partitions 0 and 2 on poller 0, 1 and 3 on poller 1 (a new poller starts with a full second).
  CHECK(&pollers.budget(0, 240) == &pollers.budget(2, 240));
  CHECK(&pollers.budget(1, 240) != &pollers.budget(0, 240));
  CHECK(pollers.budget(3, 240).level(240) == Approx(5e6));
  // Lag grew again, reads held again: 4, the partition count, never more.
  pollers.evaluate(120, {2000, 0, 2, 4});
  pollers.evaluate(180, {3000, 0, 3, 4});
  CHECK(pollers.count(300) == 4);
  CHECK(pollers.count(360) == 4);
  // A throttle since the last evaluation: one fewer; then a zero lag: one fewer again.
  pollers.evaluate(240, {3000, 1, 3, 4});
  pollers.evaluate(300, {0, 1, 3, 4});
  CHECK(pollers.count(420) == 3);
  CHECK(pollers.count(480) == 2);
  CHECK(pollers.peak() == 4);
  CHECK(pollers.changes() == 4);  // 1 → 2 → 4 → 3 → 2
}

TEST_CASE("provisioned pollers stay between their minimum and maximum") {
  EventPollerParams p;
  p.minimum = 2;
  p.maximum = 3;
  p.scale_delay_s = 0;
  EventPollers pollers(p);
  CHECK(pollers.count(0) == 2);
  pollers.evaluate(60, {10, 0, 1, 8});
  pollers.evaluate(120, {20, 0, 2, 8});
  CHECK(pollers.count(120) == 3);  // 2 × 2 = 4, capped at MaximumPollers
  pollers.evaluate(180, {0, 0, 2, 8});
  pollers.evaluate(240, {0, 0, 2, 8});
  CHECK(pollers.count(240) == 2);  // zero lag: down to MinimumPollers, no lower
}
