#include <catch2/catch.hpp>

#include "analysis/ordering.hpp"

using namespace shardsim;

namespace {

struct Fixture {
  KeyTable keys;
  OrderingChecker checker{keys};
  std::uint64_t sequence = 0;
  // A record of partition key `pk` (ordering key `entity`, default the partition key).
  Record record(const std::string& pk, double produced_s, const std::string& entity = "") {
    Record r;
    r.key = keys.intern(pk);
    r.order_key = entity.empty() ? r.key : keys.intern(entity);
    r.produced_s = r.arrival_s = produced_s;
    r.sequence = ++sequence;
    return r;
  }
};

}  // namespace

TEST_CASE("records of a key run and succeed in order: no violation") {
  Fixture f;
  const Record a1 = f.record("a", 0.0), a2 = f.record("a", 0.1), b1 = f.record("b", 0.2);
  // One invocation: a1 1.0–1.5, a2 1.5–2.0 (adjacent, not overlapping); b1 in another lane, at once.
  f.checker.invocation_started(0, 0, 1.0);
  f.checker.record_running(a1, 1.0, 1.5);
  f.checker.record_running(a2, 1.5, 2.0);
  f.checker.invocation_started(0, 1, 1.0);
  f.checker.record_running(b1, 1.0, 3.0);
  f.checker.record_succeeded(a1, false, 0, 2.0);
  f.checker.record_succeeded(a2, false, 0, 2.0);
  f.checker.record_succeeded(b1, false, 0, 3.0);
  // A later batch of a starts when the first has ended.
  const Record a3 = f.record("a", 0.3);
  f.checker.invocation_started(0, 0, 2.0);
  f.checker.record_running(a3, 2.0, 2.5);
  f.checker.record_succeeded(a3, false, 0, 2.5);
  const auto& r = f.checker.report();
  CHECK(r.safe());
  CHECK(r.overlaps + r.out_of_order + r.duplicates + r.lost + r.keys_affected == 0);
  CHECK(r.examples.empty());
}

TEST_CASE("two records of one entity running at once are an overlap") {
  Fixture f;
  // Entity "customer-1" under two partition keys (two shards): both run 1.0–2.0 and 1.5–2.5.
  const Record x = f.record("event-1", 0.0, "customer-1"), y = f.record("event-2", 0.1, "customer-1");
  f.checker.invocation_started(0, 0, 1.0);
  f.checker.record_running(x, 1.0, 2.0);
  f.checker.invocation_started(1, 0, 1.5);
  f.checker.record_running(y, 1.5, 2.5);
  const auto& r = f.checker.report();
  CHECK(r.overlaps == 1);
  CHECK(r.causes.at("overlap/entity_spans_partition_keys") == 1);
  CHECK(r.keys_affected == 1);
  REQUIRE(r.examples.size() == 1);
  CHECK(r.examples[0].key == "customer-1");
  CHECK(r.examples[0].sequence == y.sequence);
  CHECK(r.examples[0].other_sequence == x.sequence);
  CHECK_FALSE(r.safe());
}

TEST_CASE("a record that succeeds after a later-produced one is out of order") {
  Fixture f;
  Record early = f.record("a", 0.0);
  early.put_attempts = 2;  // rejected once, written after `late`
  const Record late = f.record("a", 0.5);
  f.checker.record_succeeded(late, false, 0, 1.0);
  f.checker.record_succeeded(early, false, 0, 2.0);
  const auto& r = f.checker.report();
  CHECK(r.out_of_order == 1);
  CHECK(r.causes.at("out_of_order/producer_retry") == 1);
  CHECK(r.overlaps == 0);
}

TEST_CASE("duplicates and lost records are counted per key") {
  Fixture f;
  const Record a = f.record("a", 0), b = f.record("b", 0), c = f.record("c", 0);
  f.checker.record_succeeded(a, false, 0, 1);
  f.checker.record_duplicated(a, OrderingCause::failover_redelivery, 2);
  f.checker.record_lost(b, OrderingCause::discarded_after_failures, 3);
  f.checker.record_lost(c, OrderingCause::expired, 3);
  const auto& r = f.checker.report();
  CHECK(r.duplicates == 1);
  CHECK(r.causes.at("duplicate/failover_redelivery") == 1);
  CHECK(r.lost == 2);
  CHECK(r.keys_affected == 3);
  CHECK(r.safe());  // no overlap, no reordering
}

TEST_CASE("an interval that ended before a record starts is no overlap, even with one key") {
  Fixture f;
  const Record a1 = f.record("a", 0), a2 = f.record("a", 0.1);
  f.checker.invocation_started(0, 0, 1.0);
  f.checker.record_running(a1, 1.0, 2.0);
  f.checker.invocation_started(0, 0, 2.0);
  f.checker.record_running(a2, 2.0, 3.0);
  CHECK(f.checker.report().overlaps == 0);
}

TEST_CASE("a record that succeeds on a retry after later records did is out of order by retry") {
  Fixture f;
  const Record failed = f.record("a", 0.0), later = f.record("a", 0.1);
  f.checker.record_succeeded(later, false, 0, 1.0);  // checkpointed past `failed`, which failed
  f.checker.record_succeeded(failed, true, 0, 2.0);
  CHECK(f.checker.report().causes.at("out_of_order/retry_after_failure") == 1);
}

TEST_CASE("an overlap is found with any interval still running, not only the oldest") {
  Fixture f;
  // One invocation at t=1 lays out three records of entity E (three partition keys) one after
  // another: x 1–2, y 3–4, z 5–6. None overlaps: the key has three intervals that may still run.
  const Record x = f.record("p1", 0.0, "E"), y = f.record("p2", 0.1, "E"), z = f.record("p3", 0.2, "E");
  f.checker.invocation_started(0, 0, 1.0);
  f.checker.record_running(x, 1.0, 2.0);
  f.checker.record_running(y, 3.0, 4.0);
  f.checker.record_running(z, 5.0, 6.0);
  CHECK(f.checker.report().overlaps == 0);
  // Another lane at t=2.5 runs w 3.5–3.7: x has ended, y is running: overlap with y.
  const Record w = f.record("p4", 0.3, "E");
  f.checker.invocation_started(1, 0, 2.5);
  f.checker.record_running(w, 3.5, 3.7);
  // At t=4.5, v 5.5–5.8: x, y, w have ended; z (laid out at t=1) overlaps.
  const Record v = f.record("p5", 0.4, "E");
  f.checker.invocation_started(2, 0, 4.5);
  f.checker.record_running(v, 5.5, 5.8);
  // At t=7 everything has ended.
  f.checker.invocation_started(0, 0, 7.0);
  f.checker.record_running(f.record("p6", 0.5, "E"), 7.0, 8.0);
  const auto& r = f.checker.report();
  CHECK(r.overlaps == 2);
  REQUIRE(r.examples.size() == 2);
  CHECK(r.examples[0].sequence == w.sequence);
  CHECK(r.examples[0].other_sequence == y.sequence);
  CHECK(r.examples[1].sequence == v.sequence);
  CHECK(r.examples[1].other_sequence == z.sequence);
}

TEST_CASE("an overlap with an earlier invocation is found behind a later one") {
  Fixture f;
  // Entity E in three shards. Shard 0 runs x 1–10; shard 1 runs y 2–3 (overlaps x); shard 2
  // runs z 4–5, after y ended: it overlaps x, the invocation before the key's latest.
  const Record x = f.record("p0", 0.0, "E"), y = f.record("p1", 0.1, "E"), z = f.record("p2", 0.2, "E");
  f.checker.invocation_started(0, 0, 1.0);
  f.checker.record_running(x, 1.0, 10.0);
  f.checker.invocation_started(1, 0, 2.0);
  f.checker.record_running(y, 2.0, 3.0);
  f.checker.invocation_started(2, 0, 4.0);
  f.checker.record_running(z, 4.0, 5.0);
  const auto& r = f.checker.report();
  CHECK(r.overlaps == 2);
  REQUIRE(r.examples.size() == 2);
  CHECK(r.examples[0].other_sequence == x.sequence);
  CHECK(r.examples[1].sequence == z.sequence);
  CHECK(r.examples[1].other_sequence == x.sequence);
}
