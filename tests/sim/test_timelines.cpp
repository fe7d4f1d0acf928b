// Whole simulations with hand-derived timelines. Each TEST_CASE runs in its own process (ctest),
// because SimGrid allows one engine per process.
#include <cmath>

#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

TEST_CASE("one shard, batch size 2, PF 1: the timeline of ten records") {
  // Ten records at t = 0.0, 0.1, …, 0.9 (constant arrivals, 10/s for 1 s) on one shard; no
  // propagation delay; each invocation takes 0.5 s whatever its size; polling once per second.
  //   t=0.0  GetRecords returns r0 only       → invoke [r0]    0.0–0.5; caught up: next call at 1.0
  //   t=1.0  GetRecords returns r1…r9 (9)     → invoke [r1,r2] 1.0–1.5; the buffer holds 7 more
  //   [r3,r4] 1.5–2.0, [r5,r6] 2.0–2.5, [r7,r8] 2.5–3.0, [r9] 3.0–3.5 from the buffer
  //   t=3.5  (≥ last call 1.0 + 1 s) GetRecords finds nothing, production is over: done.
  const Scenario s = scenario_from(R"({
    "duration_s": 1,
    "producers": [{"rate_per_s": 10, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["a","b","a","c"], "repeat": true}}],
    "consumers": [{"batch_size": 2, "propagation_delay_s": 0}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}}, "duration": {"per_invocation": {"type": "constant", "value": 0.5},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  const auto outcome = simulate(s);
  const RunResult& r = outcome.result;
  REQUIRE(outcome.finished());
  CHECK(r.produced == 10);
  CHECK(r.totals.processed == 10);
  CHECK(r.totals.invocations == 6);
  CHECK(r.mean_batch_size == Approx(10.0 / 6));
  // Latencies (end − production): 0.5, 1.4, 1.3, 1.7, 1.6, 2.0, 1.9, 2.3, 2.2, 2.6 → mean 1.75.
  CHECK(r.latency_s.mean == Approx(1.75).margin(kEps));
  CHECK(r.latency_s.max == Approx(2.6).margin(kEps));
  // Iterator age at each end: now − arrival of the batch's last record: 0.5, 1.3, 1.6, 1.9, 2.2, 2.6.
  CHECK(r.iterator_age_s.max == Approx(2.6).margin(kEps));
  // One invocation at a time, busy 3.0 s of the 3.5 s run.
  CHECK(r.concurrency_peak == 1);
  CHECK(r.simulated_s == Approx(3.5).margin(kEps));
  CHECK(r.concurrency_mean == Approx(3.0 / 3.5).margin(kEps));
  CHECK(r.completion == "drained");
  CHECK(r.conservation_errors.empty());
}

TEST_CASE("a batching window holds a partial batch until it fills or the window closes") {
  // Records r0…r7 at t = 0, 0.25, …, 1.75 (4/s for 2 s); batch size 3; window 2 s; no delay;
  // 0.1 s per invocation; GetRecords once per second while a window gathers.
  //   t=0    GetRecords: r0; partial, its window closes at 2.0
  //   t=1.0  GetRecords: r1…r4 → full: [r0,r1,r2] 1.0–1.1; r3, r4 stay buffered
  //   t=1.1  [r3,r4] partial: a window opens until 3.1
  //   t=2.0  GetRecords: r5…r7 → full: [r3,r4,r5] 2.0–2.1
  //   t=2.1  [r6,r7] partial: window until 4.1; calls at 3.0 and 4.0 find nothing
  //   t=4.1  the window closes: [r6,r7] 4.1–4.2, and the shard is drained
  const Scenario s = scenario_from(R"({
    "duration_s": 2,
    "producers": [{"rate_per_s": 4, "arrival": {"type": "constant"}}],
    "consumers": [{"batch_size": 3, "batching_window_s": 2, "propagation_delay_s": 0}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}}, "duration": {"per_invocation": {"type": "constant", "value": 0.1},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  const auto outcome = simulate(s);
  const RunResult& r = outcome.result;
  REQUIRE(outcome.finished());
  CHECK(r.totals.processed == 8);
  CHECK(r.totals.invocations == 3);
  // Latencies: 1.1, 0.85, 0.6 | 1.35, 1.1, 0.85 | 4.2−1.5 = 2.7, 4.2−1.75 = 2.45 → sum 11.0.
  CHECK(r.latency_s.max == Approx(2.7).margin(kEps));
  CHECK(r.latency_s.mean == Approx(11.0 / 8).margin(kEps));
  CHECK(r.simulated_s == Approx(4.2).margin(kEps));
}

TEST_CASE("reserved concurrency throttles the second shard's invocation") {
  // Key "a" maps to shard 0 of 2 and "b" to shard 1 (MD5 0cc1… < 2^127 ≤ 92eb…). Records: a at
  // t=0, b at t=0.001. Handler 1.5 s; reserved concurrency 1.
  //   shard 0: poll at 0 → invoke [a] 0–1.5.
  //   shard 1: poll at 0 finds nothing; poll at 1.0 sees b, Lambda refuses (1 in flight of 1):
  //            throttled, retry after the initial backoff 1 s → invoke 2.0–3.5.
  const Scenario s = scenario_from(R"({
    "duration_s": 0.002,
    "stream": {"shards": 2},
    "producers": [{"rate_per_s": 1000, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["a","b"]}}],
    "consumers": [{"propagation_delay_s": 0}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}}, "reserved_concurrency": 1,
                        "duration": {"per_invocation": {"type": "constant", "value": 1.5},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  const auto outcome = simulate(s);
  const RunResult& r = outcome.result;
  REQUIRE(outcome.finished());
  CHECK(r.totals.invocations == 2);
  CHECK(r.totals.throttled == 1);
  CHECK(r.concurrency_peak == 1);
  CHECK(r.concurrency_limit == 1);  // min(2 shards × PF 1, reserved 1)
  REQUIRE(r.functions.size() == 1);
  CHECK(r.functions[0].concurrency_peak == 1);
  CHECK(r.functions[0].concurrency_limit == 1);
  // Busy 0–1.5 and 2.0–3.5: 3.0 s of 3.5 s.
  CHECK(r.functions[0].concurrency_mean == Approx(3.0 / 3.5).margin(kEps));
  CHECK(r.latency_s.max == Approx(3.5 - 0.001).margin(kEps));
  CHECK(r.simulated_s == Approx(3.5).margin(kEps));
}

TEST_CASE("a shard accepts 1,000 records/s: the excess is rejected and counted") {
  // 2,000 records/s of small records for 10 s into one shard. The record bucket holds one
  // second's worth (1,000) and refills 1,000/s: about 1,000 + 10 × 1,000 = 11,000 admitted
  // (±2 for where the last refill falls), the other ~9,000 rejected.
  const Scenario s = scenario_from(R"({
    "duration_s": 10,
    "producers": [{"rate_per_s": 2000, "arrival": {"type": "constant"}, "record_bytes": {"type": "constant", "value": 10},
                   "max_put_attempts": 1}],
    "consumers": [{"batch_size": 1000}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}}}}
  })");
  const auto outcome = simulate(s);
  const RunResult& r = outcome.result;
  CHECK(r.produced == 20000);
  CHECK(r.written >= 10998);
  CHECK(r.written <= 11001);
  CHECK(r.write_throttled == r.produced - r.written);
  CHECK(r.dropped == r.write_throttled);  // one attempt each: every rejected record is dropped
  CHECK(r.ordering.lost == r.dropped);
  CHECK(r.ordering.out_of_order == 0);    // dropping loses records but does not reorder them
}

TEST_CASE("producer retries of throttled puts reorder a key's records") {
  // One key, 1,500 records/s into one shard (limit 1,000/s) for 5 s; up to 10 attempts, with
  // backoff. A rejected record is retried after records produced later were accepted: it gets
  // a later sequence number, and is processed after them.
  const Scenario s = scenario_from(R"({
    "duration_s": 5,
    "producers": [{"rate_per_s": 1500, "keys": {"type": "uniform", "count": 1}, "max_put_attempts": 10}],
    "consumers": [{"batch_size": 1000}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}}}}
  })");
  const auto outcome = simulate(s);
  const RunResult& r = outcome.result;
  // About 7,500 first attempts (Poisson: ± 260 at 3σ) against at most 1,000 (the first second's
  // burst) + 5 × 1,000 admitted in the 5 s: at least 7,500 − 260 − 6,000 ≈ 1,200 are refused once
  // and retried. Each retried record that gets in (none is dropped in 10 attempts) lands after
  // later ones of the key, accepted meanwhile: at least as many are out of order.
  CHECK(r.put_retries >= 1200);
  CHECK(r.dropped == 0);
  CHECK(r.ordering.out_of_order >= 1200);
  CHECK(r.ordering.causes.at("out_of_order/producer_retry") == r.ordering.out_of_order);
  CHECK(r.ordering.overlaps == 0);  // one key, PF 1: never two at once
  CHECK_FALSE(r.ordering.safe());
  CHECK(r.conservation_errors.empty());
}

TEST_CASE("a shard accepts 1 MiB/s: large records are throttled by bytes") {
  // 200 records/s of 10,235 data bytes + the 5-byte key "key-0" = 10,240 B = 10 KiB each:
  // 2 MiB/s offered. The byte bucket holds 1 MiB and refills 1 MiB/s, so over 10 s about
  // (1 + 10) MiB / 10 KiB = 1,126.4 records are admitted (±2), far below the record limit.
  const Scenario s = scenario_from(R"({
    "duration_s": 10,
    "producers": [{"rate_per_s": 200, "arrival": {"type": "constant"}, "keys": {"type": "uniform", "count": 1},
                   "record_bytes": {"type": "constant", "value": 10235}, "max_put_attempts": 1}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}}}}
  })");
  const auto outcome = simulate(s);
  const RunResult& r = outcome.result;
  CHECK(r.produced == 2000);
  CHECK(r.written >= 1124);
  CHECK(r.written <= 1128);
}

TEST_CASE("an under-provisioned consumer stops at the drain limit with records still in flight") {
  // 100 records/s for 10 s (r_k at k/100) but batch size 1 and 0.1 s per invocation: 10
  // records/s. t=0: [r0] 0–0.1, caught up; from the call at 1.0 the reader is busy without a
  // break until the hard stop at 10 + 5 s: 14 s × 10/s = 140 more → 141 (142 if the summed
  // 0.1 s steps land a hair before 15.0).
  const Scenario s = scenario_from(R"({
    "duration_s": 10,
    "limits": {"drain_limit_s": 5},
    "producers": [{"rate_per_s": 100, "arrival": {"type": "constant"}}],
    "consumers": [{"batch_size": 1, "propagation_delay_s": 0}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}}, "duration": {"per_invocation": {"type": "constant", "value": 0.1},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  const auto outcome = simulate(s);
  const RunResult& r = outcome.result;
  CHECK(outcome.finished());
  CHECK(r.completion == "drain_limit");
  CHECK(r.totals.processed >= 141);
  CHECK(r.totals.processed <= 142);
  CHECK(r.in_flight_at_end == r.written - r.totals.processed);
  CHECK(r.conservation_errors.empty());
  CHECK_FALSE(r.warnings.empty());
}

TEST_CASE("the safety limit on unread records stops a runaway run") {
  const Scenario s = scenario_from(R"({
    "duration_s": 100,
    "limits": {"max_backlog_records": 500},
    "producers": [{"rate_per_s": 100}],
    "consumers": [{"batch_size": 1}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}}, "duration": {"per_invocation": {"type": "constant", "value": 1}}}}
  })");
  const auto outcome = simulate(s);
  CHECK_FALSE(outcome.finished());
  CHECK_THAT(outcome.abort_reason, Catch::Contains("limits.max_backlog_records"));
}

namespace {
// Three records ok1, bad, ok2 put at t = 0, 0.001, 0.002, visible 0.5 s later; the poll at
// t = 1.0 returns them as one batch. Each invocation takes 0.1 s; "bad" always fails; two retries
// are allowed; the wait before a retry is 1 s, then 2 s (lambda.retry_backoff).
std::string poison_scenario(const std::string& consumer_options) {
  return R"({
    "duration_s": 0.003,
    "producers": [{"rate_per_s": 1000, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["ok1","bad","ok2"]}}],
    "consumers": [{"batch_size": 10, "propagation_delay_s": 0.5, "max_retry_attempts": 2)" + consumer_options + R"(}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}}, "errors": {"poison_keys": ["bad"]},
                        "duration": {"per_invocation": {"type": "constant", "value": 0.1},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })";
}
}  // namespace

TEST_CASE("a poison record blocks its batch through every retry, then the batch is discarded") {
  // 1.0–1.1 fails; wait 1 → 2.1–2.2 fails; wait 2 → 4.2–4.3 fails: 3 failures > 2 retries, the
  // whole batch (ok1 too) goes to the on-failure destination.
  const auto outcome = simulate(scenario_from(poison_scenario("")));
  const RunResult& r = outcome.result;
  CHECK(r.totals.invocations == 3);
  CHECK(r.totals.errors == 3);
  CHECK(r.totals.processed == 0);
  CHECK(r.totals.discarded == 3);
  CHECK(r.totals.on_failure_batches == 1);
  CHECK(r.lost == 3);
  CHECK(r.simulated_s == Approx(4.3).margin(kEps));
  CHECK(r.conservation_errors.empty());
}

TEST_CASE("bisect on error isolates the poison record") {
  // 1.0–1.1 [ok1 bad ok2] fails → [ok1] 1.1–1.2 succeeds → [bad ok2] 1.2–1.3 fails →
  // [bad] 1.3–1.4 fails; wait 1 → 2.4–2.5 fails; wait 2 → 4.5–4.6 fails: discarded →
  // [ok2] 4.6–4.7 succeeds.
  const auto outcome = simulate(scenario_from(poison_scenario(R"(, "bisect_on_error": true)")));
  const RunResult& r = outcome.result;
  CHECK(r.totals.invocations == 7);
  CHECK(r.totals.errors == 5);
  CHECK(r.totals.bisections == 2);
  CHECK(r.totals.processed == 2);
  CHECK(r.totals.discarded == 1);
  CHECK(r.latency_s.max == Approx(4.7 - 0.002).margin(kEps));  // ok2
  CHECK(r.latency_s.mean == Approx((1.2 + 4.698) / 2).margin(kEps));
  CHECK(r.conservation_errors.empty());
}

TEST_CASE("partial batch failure reruns records after the failed one: a duplicate") {
  // 1.0–1.1: ok1 and ok2 succeed, bad fails → checkpoint at bad, and [bad ok2] is a new batch,
  // invoked at once: 1.1–1.2 bad fails (its attempt 1), ok2 succeeds a second time; wait 1 →
  // 2.2–2.3 fails (2); wait 2 → 4.3–4.4 fails (3 > 2 retries): bad is discarded (ok2 had
  // succeeded, it is not lost).
  const auto outcome = simulate(scenario_from(poison_scenario(R"(, "report_batch_item_failures": true)")));
  const RunResult& r = outcome.result;
  CHECK(r.totals.invocations == 4);
  CHECK(r.totals.partial_failures == 4);
  CHECK(r.totals.errors == 0);
  CHECK(r.totals.processed == 2);
  CHECK(r.totals.duplicates == 3);
  CHECK(r.totals.discarded == 1);
  CHECK(r.totals.on_failure_batches == 1);
  CHECK(r.latency_s.max == Approx(1.1).margin(kEps));  // ok1 and ok2 first succeeded at 1.1
  CHECK(r.simulated_s == Approx(4.4).margin(kEps));
  CHECK(r.conservation_errors.empty());
}

namespace {
// AWS as recorded, Kinesis and DynamoDB Streams alike: 6 records a, b, p, c, d, e at t = 0 …
// 0.005, one read at t = 1.0, batch size 3, MaximumRetryAttempts 3, ReportBatchItemFailures; p
// always fails. [a b p]: p fails, the checkpoint advances, [p] is a new batch: 1 + 3 retries = 4
// invocations, then it goes to the on-failure destination; then [c d e]. 6 invocations, and p
// was delivered 5 times (6 minus the two batches without it).
void check_recorded_partial_success(const std::string& type) {
  const RunResult r = run_checked(R"({
    "duration_s": 0.006,
    "stream": {"type": ")" + type + (type == "dynamodb" ? R"(", "table": {"partitions": 1})" : "\"") + R"(},
    "producers": [{"rate_per_s": 1000, "arrival": {"type": "constant"},
                   "keys": {"type": "sequence", "values": ["a","b","p","c","d","e"]}}],
    "consumers": [{"batch_size": 3, "propagation_delay_s": 0.5, "poll_interval_s": 1, "max_retry_attempts": 3,
                   "report_batch_item_failures": true}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}}, "errors": {"poison_keys": ["p"]},
                        "duration": {"per_invocation": {"type": "constant", "value": 0.1},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  CHECK(r.totals.invocations == 6);
  CHECK(r.totals.partial_failures == 5);
  CHECK(r.totals.processed == 5);
  CHECK(r.totals.discarded == 1);
  CHECK(r.totals.on_failure_batches == 1);
}
}  // namespace

TEST_CASE("AWS as recorded (Kinesis): a record always reported failed is delivered once in its batch and 4 times alone") {
  check_recorded_partial_success("kinesis");
}

TEST_CASE("AWS as recorded (DynamoDB Streams): a record always reported failed is delivered 5 times") {
  check_recorded_partial_success("dynamodb");
}

TEST_CASE("an invocation longer than the timeout fails at the timeout") {
  // One record, 5 s of work, timeout 2 s, no retries: 1.0–3.0 times out, discarded.
  const auto outcome = simulate(scenario_from(R"({
    "duration_s": 0.001,
    "producers": [{"rate_per_s": 1000, "arrival": {"type": "constant"}}],
    "consumers": [{"propagation_delay_s": 0.5, "max_retry_attempts": 0}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}}, "timeout_s": 2, "duration": {"per_invocation": {"type": "constant", "value": 5}}}}
  })"));
  const RunResult& r = outcome.result;
  CHECK(r.totals.timeouts == 1);
  CHECK(r.totals.discarded == 1);
  CHECK(r.simulated_s == Approx(3.0).margin(kEps));
}

TEST_CASE("Little's law: mean concurrency = arrival rate × mean work per record") {
  // A steady run: 4 shards, Poisson arrivals, exponential work per record (mean 2 ms), nothing
  // per invocation and no init phase. Invocations in flight integrate to the work done, so the
  // time-weighted mean concurrency is written × 2 ms / simulated time (≈ 400/s × 2 ms = 0.8).
  // The work is a sum of N exponentials: relative standard deviation 1/√N, within 5 of them.
  const Scenario s = scenario_from(R"({
    "duration_s": 300,
    "stream": {"shards": 4},
    "producers": [{"rate_per_s": 400, "keys": {"type": "uniform", "count": 500}}],
    "consumers": [{"batch_size": 50, "parallelization_factor": 2}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}},
                        "duration": {"per_invocation": {"type": "constant", "value": 0},
                                     "per_record": {"type": "exponential", "mean": 0.002}}}}
  })");
  const auto outcome = simulate(s);
  const RunResult& r = outcome.result;
  REQUIRE(outcome.finished());
  const double n = static_cast<double>(r.written);
  CHECK(r.concurrency_mean == Approx(n * 0.002 / r.simulated_s).epsilon(5 / std::sqrt(n)));
  CHECK(r.concurrency_mean == Approx(0.8).epsilon(0.05));
}

TEST_CASE("an iterator age that keeps growing is reported as under-provisioning") {
  // 200 records/s into one shard, batch size 10, 0.2 s per invocation: 50 records/s at most.
  const Scenario s = scenario_from(R"({
    "duration_s": 200,
    "limits": {"drain_limit_s": 10},
    "producers": [{"rate_per_s": 200}],
    "consumers": [{"batch_size": 10}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.2},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  const RunResult r = simulate(s).result;
  bool warned = false;
  for (const auto& w : r.warnings) warned = warned || w.find("iterator age grew") != std::string::npos;
  CHECK(warned);
  CHECK(r.completion == "drain_limit");
}
