// A distributed per-entity lock in the handler (strategy distributed_lock): invocations on two
// shards contend for one entity's lock. One process per TEST_CASE.
#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
// Two records of entity E, with partition keys a (shard 0) at 0 s and b (shard 1) at 1 µs, of 2
// shards (shardsim keys --shards 2 a b), visible and polled at once; no cold-start init; each
// record takes `work` s; the lock: 10 ms round trips, retry every 0.1 s. `lock` and `consumer`
// add fields.
RunResult contend(double work, const std::string& lock, const std::string& consumer = "") {
  return run_checked(R"({"duration_s": 1, "stream": {"shards": 2},
    "producers": [{"rate_per_s": 1e6, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["a", "b"]},
                   "entity": {"type": "sequence", "values": ["E"], "repeat": true}}],
    "consumers": [{"batch_size": 1, "propagation_delay_s": 0, "poll_interval_s": 0)" + consumer + R"(}],
    "functions": {"f": {"timeout_s": 900, "memory_mb": 1024, "strategy": "distributed_lock",
                        "duration": {"per_invocation": {"type": "constant", "value": 0},
                                     "per_record": {"type": "constant", "value": )" + std::to_string(work) + R"(}},
                        "cold_start": {"init_s": {"type": "constant", "value": 0}},
                        "lock": {"acquire_s": {"type": "constant", "value": 0.01},
                                 "release_s": {"type": "constant", "value": 0.01}, "retry_s": 0.1)" + lock + R"(}}}})");
}
}  // namespace

TEST_CASE("lock: two invocations contending for one entity run one after the other") {
  // A (key a) asks at 0 and takes the lock: it holds [0, 1.02) (10 ms acquire, 1 s of work, 10 ms
  // release) and runs its record over [0.01, 1.01]. B (key b, other shard) asks at 1 µs; its
  // attempts come every 0.11 s (a round trip and the retry), and the first one after 1.02 s is
  // the 10th: at 1.100001 s. It runs over [1.110001, 2.110001] and ends at 2.120001 s, having
  // waited 1.1 s, billed: 1.1 GB-s at 1 GB. Mutual exclusion holds: no overlap.
  const RunResult r = contend(1.0, "");
  CHECK(r.locks.acquired == 2);
  CHECK(r.locks.contended == 1);
  CHECK(r.locks.wait_s_total == Approx(1.1).margin(1e-9));
  CHECK(r.locks.expired == 0);
  CHECK(r.locks.gave_up == 0);
  CHECK(r.cost.gb_seconds_waiting == Approx(1.1).margin(1e-9));
  CHECK(r.latency_s.max == Approx(2.12).margin(1e-5));
  CHECK(r.ordering.overlaps == 0);
  CHECK(r.order_key == "entity");
}

TEST_CASE("lock: a hold longer than the lease expires under its holder and the next one overlaps it") {
  // 30 s of work under a 20 s lease: A's hold [0, 30.02) frees the lock at 20 s; B's attempt
  // after that is the 182nd, at 20.020001 s, and runs from 20.030001 s while A runs until 30.01 s:
  // an overlap of entity E, cause lock_expired. Both holds outlived their lease.
  const RunResult r = contend(30, R"(, "ttl_s": 20)");
  CHECK(r.locks.acquired == 2);
  CHECK(r.locks.expired == 2);
  CHECK(r.locks.wait_s_total == Approx(20.02).margin(1e-6));
  CHECK(r.ordering.overlaps == 1);
  CHECK(r.ordering.causes.at("overlap/lock_expired") == 1);
}

TEST_CASE("lock: an acquirer that would wait past max_wait_s gives up and its record fails") {
  // A holds the lock for 30.02 s (lease 40 s). B gives up at 5 s (its invocation fails there);
  // the mapping retries it after 1 s (the default backoff), B gives up again at 11 s, and after
  // its one retry (max_retry_attempts 1) the record is discarded.
  const RunResult r = contend(30, R"(, "ttl_s": 40, "max_wait_s": 5)", R"(, "max_retry_attempts": 1)");
  CHECK(r.locks.gave_up == 2);
  CHECK(r.locks.acquired == 1);
  CHECK(r.totals.discarded == 1);
  CHECK(r.locks.wait_s_total == Approx(10).margin(1e-9));
}

namespace {
// Shard 0 (key a) gets records of entities X then E at 0 and 1 µs; shard 1 (key b) gets E then Y
// at b_at and 1 µs later. Batches of 2 (a 1 s window gathers them), so each shard runs one
// invocation of both its records: a at 1 µs, b at b_at + 1 µs. Each record takes 1 s of work, 10 s
// for the `slow` keys; the lock: 10 ms round trips, retry every 0.1 s; retries off.
RunResult interleave(double b_at, double timeout_s, const std::string& slow) {
  const std::string producer = R"({"rate_per_s": 1e6, "arrival": {"type": "constant"}, )";
  return run_checked(R"({"duration_s": 20, "stream": {"shards": 2},
    "producers": [)" + producer + R"("keys": {"type": "sequence", "values": ["a", "a"]},
                   "entity": {"type": "sequence", "values": ["X", "E"]}},
                  )" + producer + R"("start_s": )" + std::to_string(b_at) + R"(,
                   "keys": {"type": "sequence", "values": ["b", "b"]}, "entity": {"type": "sequence", "values": ["E", "Y"]}}],
    "consumers": [{"batch_size": 2, "batching_window_s": 1, "propagation_delay_s": 0, "poll_interval_s": 0,
                   "max_retry_attempts": 0}],
    "functions": {"f": {"timeout_s": )" + std::to_string(timeout_s) + R"(, "memory_mb": 1024, "strategy": "distributed_lock",
                        "duration": {"per_invocation": {"type": "constant", "value": 0},
                                     "per_record": {"type": "constant", "value": 1},
                                     "slow_keys": )" + slow + R"(, "slow_key_multiplier": 10},
                        "cold_start": {"init_s": {"type": "constant", "value": 0}},
                        "lock": {"acquire_s": {"type": "constant", "value": 0.01},
                                 "release_s": {"type": "constant", "value": 0.01}, "retry_s": 0.1}}}})");
}
}  // namespace

TEST_CASE("lock: the lock goes to whoever asks first while it is free, not to the invocation that started first") {
  // Every record takes 10 s. a's invocation starts at 1 µs: X takes its lock at once and holds it
  // 10.02 s (round trips and work); a's E asks at 10.020001 s. b's invocation starts at 1.000001 s
  // and its E asks then: the lock is free, b takes it and holds it until 11.020001 s, then Y runs
  // to 21.040001 s. a's E tries every 0.11 s from 10.020001 s: the first try after 11.020001 s is
  // the 10th, at 11.120001 s (waited 1.1 s); it holds 10.02 s and a's invocation ends at
  // 21.140001 s: the latest record's latency (X, produced at 0). Laid out at its invocation's
  // start, a's E would have claimed [10.02, 20.04) first and b's E would have waited until
  // 20.140001 s (its 174th try).
  const RunResult r = interleave(1, 900, R"(["a", "b"])");
  CHECK(r.locks.acquired == 4);
  CHECK(r.locks.contended == 1);
  CHECK(r.locks.wait_s_total == Approx(1.1).margin(1e-6));
  CHECK(r.latency_s.max == Approx(21.140001).margin(1e-5));
  CHECK(r.ordering.overlaps == 0);
}

TEST_CASE("lock: a record its invocation never reaches before the timeout takes no lock") {
  // Timeout 5 s: a's X takes its lock at 1 µs but its 10 s of work is cut at 5 s (a's invocation
  // times out; no retries: both records are discarded); a's E is never reached and asks for
  // nothing. b's E (1 s of work) asks at 9.500001 s, finds E free and runs; so does Y: 3 locks taken, none
  // waited for, and b's invocation (2.04 s) succeeds. Had a's E reserved its hold ahead
  // ([10.02, 20.04)), b's E would have waited past b's own timeout.
  const RunResult r = interleave(9.5, 5, R"(["a"])");
  CHECK(r.locks.acquired == 3);
  CHECK(r.locks.contended == 0);
  CHECK(r.locks.wait_s_total == 0);
  CHECK(r.totals.processed == 2);
  CHECK(r.totals.discarded == 2);
}
