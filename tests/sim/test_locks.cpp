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
