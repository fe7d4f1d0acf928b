// The Lambda service: cold starts, warm environments, scaling rate. One process per TEST_CASE.
#include <cmath>
#include <cstdlib>
#include <fstream>

#include "tests/sim/support.hpp"
#include "tests/support/scratch.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
RunResult run(const std::string& text) { return run_checked(text); }
}  // namespace

TEST_CASE("a cold start runs the init phase before the handler, a warm environment does not") {
  // Two records, at t = 0 and t = 3 (constant arrivals, one per 3 s, for 6 s), visible at once.
  // t=0: cold start, init 0.4 + handler 0.5 → done at 0.9. The call at 3.0 finds the second
  // record; the environment idle since 0.9 is still warm (kept 600 s): 3.0–3.5, latency 0.5.
  const RunResult r = run(R"({
    "duration_s": 6,
    "producers": [{"rate_per_s": 0.3333333333333333, "arrival": {"type": "constant"}}],
    "consumers": [{"propagation_delay_s": 0}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0.4}},
                        "duration": {"per_invocation": {"type": "constant", "value": 0.5},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  CHECK(r.totals.invocations == 2);
  CHECK(r.totals.cold_starts == 1);
  CHECK(r.latency_s.max == Approx(0.9).margin(kEps));
  CHECK(r.latency_s.mean == Approx((0.9 + 0.5) / 2).margin(kEps));
}

TEST_CASE("an environment idle longer than keep_warm_s is gone: the next invocation is cold") {
  // As above with keep_warm_s 1: the environment idle since 0.9 is gone at 3.0.
  const RunResult r = run(R"({
    "duration_s": 6,
    "producers": [{"rate_per_s": 0.3333333333333333, "arrival": {"type": "constant"}}],
    "consumers": [{"propagation_delay_s": 0}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0.4}, "keep_warm_s": 1},
                        "duration": {"per_invocation": {"type": "constant", "value": 0.5},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  CHECK(r.totals.cold_starts == 2);
  CHECK(r.latency_s.mean == Approx(0.9).margin(kEps));
}

TEST_CASE("a burst beyond the scaling rate is throttled until environments are warm") {
  // 20 shards; keys k0…k19 put at t = 0 … 0.019, visible 0.5 s later; MD5 spreads them over
  // 15 of the shards, so the calls at t = 1.0 start 15 invocations. Scaling limit 10 per 10 s
  // (what_if): a bucket of 10 new environments refilled at 1/s. 10 start cold (init 0) at 1.0;
  // 5 are throttled by the scaling rate and retry after 1 s, when the first 10 (0.5 s each)
  // have left 10 warm environments: no further cold start, peak concurrency 10.
  std::string keys;
  for (int i = 0; i < 20; ++i) keys += std::string(i ? "," : "") + "\"k" + std::to_string(i) + "\"";
  const RunResult r = run(R"({
    "what_if": true,
    "duration_s": 0.02,
    "stream": {"shards": 20},
    "lambda": {"scaling_limit_per_10s": 10},
    "producers": [{"rate_per_s": 1000, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": [)" + keys + R"(]}}],
    "consumers": [{"propagation_delay_s": 0.5}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}},
                        "duration": {"per_invocation": {"type": "constant", "value": 0.5},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  CHECK(r.totals.processed == 20);
  CHECK(r.totals.invocations == 15);
  CHECK(r.totals.cold_starts == 10);
  CHECK(r.totals.throttled_scaling == 5);
  CHECK(r.totals.throttled == r.totals.throttled_scaling);  // never short of concurrency (1,000)
  CHECK(r.concurrency_peak == 10);
  CHECK(r.simulated_s == Approx(2.5).margin(kEps));
}

namespace {
// One record at t = 0, visible at once, for a function that can never run (reserved concurrency
// 0): every invocation is throttled and retried after Lambda's backoff (1 s, ×2, at most 60 s),
// at t = 0, 1, 3, 7, 15, 31 and 63.
std::string throttled_for_ever(const std::string& consumer, const std::string& stream) {
  return R"({
    "duration_s": 0.001, "what_if": true,
    "stream": )" + stream + R"(,
    "producers": [{"rate_per_s": 1, "arrival": {"type": "constant"}}],
    "consumers": [{"propagation_delay_s": 0, )" + consumer + R"(}],
    "functions": {"f": {"reserved_concurrency": 0}}
  })";
}
}  // namespace

TEST_CASE("a throttled batch is discarded once its records pass MaximumRecordAgeInSeconds") {
  // Max age 60 s: throttled at 0, 1, 3, 7, 15 and 31; before the try at t = 63 the record is
  // 63 s old: it is discarded without a seventh try (the age is checked before invoking), and
  // the run ends.
  const RunResult r = run(throttled_for_ever(R"("max_record_age_s": 60)", "{}"));
  CHECK(r.totals.discarded == 1);
  CHECK(r.totals.throttled == 6);
  REQUIRE_FALSE(r.warnings.empty());
  CHECK_THAT(r.warnings.front(), Catch::Contains("1 records were discarded after MaximumRetryAttempts or "
                                                 "MaximumRecordAgeInSeconds (f-mapping: no on-failure destination"));
  CHECK(r.in_flight_at_end == 0);
  CHECK(r.simulated_s == Approx(63).margin(kEps));
}

TEST_CASE("AWS as recorded: a record already past MaximumRecordAgeInSeconds when read is never invoked") {
  // Six records at t = 0, 10, …, 50 (constant arrivals at 0.1/s); the mapping starts at t = 65
  // from TRIM_HORIZON and reads all six at once. Ages then: 65, 55, 45, 35, 25, 15 s; the
  // maximum is 60 s, so the first goes to the on-failure destination on its own, and the
  // function, which succeeds, receives exactly the other five in one invocation.
  const RunResult r = run_checked(R"({
    "duration_s": 60,
    "producers": [{"rate_per_s": 0.1, "arrival": {"type": "constant"}}],
    "consumers": [{"start_s": 65, "propagation_delay_s": 0, "max_record_age_s": 60, "on_failure": "sqs"}],
    "functions": {"f": {}}
  })");
  CHECK(r.totals.invocations == 1);
  CHECK(r.totals.processed == 5);
  CHECK(r.totals.discarded == 1);
  CHECK(r.totals.on_failure_batches == 1);
  CHECK(r.totals.errors == 0);
}

TEST_CASE("a failed batch is not retried past MaximumRecordAgeInSeconds") {
  // One poison record at t = 0, read at t = 0 (no delay): it fails at 0, 1, 3, 7, 15, 31 (waits
  // 1, 2, 4, 8, 16 s after invocations of 0.01 + 0.001 s, so the tries are at 0, 1.011, 3.022,
  // 7.033, 15.044, 31.055); the next would start at 63.066, 63 s past its arrival: it is
  // discarded then, without a seventh invocation.
  const RunResult r = run_checked(R"({
    "duration_s": 0.001,
    "producers": [{"rate_per_s": 1, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["p"]}}],
    "consumers": [{"propagation_delay_s": 0, "max_record_age_s": 60}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}}, "errors": {"poison_keys": ["p"]}}}
  })");
  CHECK(r.totals.invocations == 6);
  CHECK(r.totals.discarded == 1);
  CHECK(r.simulated_s == Approx(63.066).margin(1e-6));
}

TEST_CASE("a function that is always throttled: every record is discarded once past MaximumRecordAgeInSeconds") {
  // Reserved concurrency 0, maximum age 60.3 s (no ties with the tries' whole seconds); 20
  // records at t = 0, 0.5, …, 9.5, visible at once. The first read (t = 0) holds only r0: tried at
  // 0, 1, 3, 7, 15, 31 (throttled: backoff 1 s ×2), discarded before the try at 63. The read at 63
  // takes the other 19: those older than 60.3 s (arrivals 0.5 … 2.5: 5) are split off, the rest
  // is throttled (7th); at 64 arrivals 3.0, 3.5 go (2), throttled (8th); at 66 4.0 … 5.5 (4),
  // throttled (9th); at 70 the last 8 (6.0 … 9.5). 20 discarded, 9 throttles, the run ends at 70.
  // (A mapping whose whole batch was given up before its invocation must go on to the next one.)
  const RunResult r = run_checked(R"({
    "duration_s": 10, "what_if": true,
    "producers": [{"rate_per_s": 2, "arrival": {"type": "constant"}}],
    "consumers": [{"propagation_delay_s": 0, "max_record_age_s": 60.3}],
    "functions": {"f": {"reserved_concurrency": 0}}
  })");
  CHECK(r.totals.discarded == 20);
  CHECK(r.totals.throttled == 9);
  CHECK(r.in_flight_at_end == 0);
  CHECK(r.simulated_s == Approx(70).margin(kEps));
}

TEST_CASE("a throttled batch expires with its records at the end of retention") {
  // Retention 0.01 h = 36 s: at the retry at t = 63 the record has left the stream.
  const RunResult r = run(throttled_for_ever(R"("max_retry_attempts": -1)", R"({"retention_hours": 0.01})"));
  CHECK(r.totals.expired == 1);
  CHECK(r.totals.discarded == 0);
  CHECK(r.in_flight_at_end == 0);
  CHECK(r.simulated_s == Approx(63).margin(kEps));
}

TEST_CASE("a blocked lane's records are reported as unfinished, with a latency lower bound that counts them") {
  // Keys alternate p, a, p, a, … (10 records/s for 10 s: 100 records); PF 2 with hash lanes puts
  // p in lane 0 and a in lane 1 (the MD5 digests' last 8 bytes are even and odd). p is poisoned:
  // lane 0 retries its first batch until the run stops, so the 50 p records stay unfinished
  // while the 50 a records finish within a second. The percentiles of processed records look
  // healthy; half the records are not in them. Counting each unfinished record at its age at
  // the end (simulated − produced, produced at 0, 0.2, …, 9.8), the 99th of the 100 values is
  // the second oldest p record: simulated − 0.2.
  const RunResult r = run(R"({
    "duration_s": 10,
    "producers": [{"rate_per_s": 10, "arrival": {"type": "constant"},
                   "keys": {"type": "sequence", "values": ["p", "a"], "repeat": true}}],
    "consumers": [{"parallelization_factor": 2, "batch_size": 10, "propagation_delay_s": 0}],
    "functions": {"f": {"errors": {"poison_keys": ["p"]},
                        "duration": {"per_invocation": {"type": "constant", "value": 0},
                                     "per_record": {"type": "constant", "value": 0.01}}}},
    "limits": {"drain_limit_s": 20}
  })");
  REQUIRE(r.written == 100);
  CHECK(r.totals.processed == 50);
  CHECK(r.in_flight_at_end == 50);
  CHECK(r.unfinished_share == 0.5);
  CHECK(r.consumers[0].unfinished_share == 0.5);
  CHECK(r.latency_s.p99 < 1.5);
  CHECK(r.latency_with_unfinished_s.p99 == Approx(r.simulated_s - 0.2).epsilon(1.0 / 257));
  CHECK(r.latency_with_unfinished_s.max == Approx(r.simulated_s).margin(kEps));
  const bool warned = std::any_of(r.warnings.begin(), r.warnings.end(), [](const std::string& w) {
    return w.find("50.0 % of the written records were unfinished") != std::string::npos;
  });
  CHECK(warned);
}

TEST_CASE("iterator age is reported at the invocation's end and when the batch is sent") {
  // Records at t = 0 and 3, visible 0.2 s later; the mapping polls once a second (0, 1, 2, …)
  // while caught up. The first is sent at 1.0 (age 1.0), runs a 0.4 s cold start and 0.5 s:
  // ends at 1.9 (age 1.9). The second is sent at 4.0 (age 1.0), warm: ends at 4.5 (age 1.5).
  const RunResult r = run(R"({
    "duration_s": 6,
    "producers": [{"rate_per_s": 0.3333333333333333, "arrival": {"type": "constant"}}],
    "consumers": [{"propagation_delay_s": 0.2}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0.4}},
                        "duration": {"per_invocation": {"type": "constant", "value": 0.5},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  REQUIRE(r.totals.invocations == 2);
  CHECK(r.iterator_age_s.max == Approx(1.9).margin(kEps));
  CHECK(r.consumers[0].iterator_age_s.mean == Approx((1.9 + 1.5) / 2).margin(kEps));
  CHECK(r.iterator_age_at_invoke_s.max == Approx(1.0).margin(kEps));
  CHECK(r.consumers[0].iterator_age_at_invoke_s.mean == Approx(1.0).margin(kEps));
}

TEST_CASE("functions without reserved concurrency share what the reserved ones leave of the account") {
  // Account concurrency 150; function a reserves 50, so b and c share the other 100 (AWS keeps
  // at least 100 unreserved). Each function's mapping reads the same 8 shards with PF 10 (80
  // lanes) under a backlog, so each wants 80 at once: a is held to 50, and b and c together to
  // 100. The account peaks at 50 + 100 = 150; a model that gave each unreserved function its
  // own 100 would reach 50 + 80 + 80 = 210.
  const RunResult r = run(R"({
    "duration_s": 20,
    "stream": {"shards": 8},
    "producers": [{"rate_per_s": 4000, "keys": {"type": "uniform", "count": 10000}, "record_bytes": {"type": "constant", "value": 50}}],
    "consumers": [{"function": "a", "batch_size": 10, "parallelization_factor": 10},
                  {"function": "b", "batch_size": 10, "parallelization_factor": 10},
                  {"function": "c", "batch_size": 10, "parallelization_factor": 10}],
    "functions": {"a": {"reserved_concurrency": 50, "duration": {"per_invocation": {"type": "constant", "value": 0.5}}},
                  "b": {"duration": {"per_invocation": {"type": "constant", "value": 0.5}}},
                  "c": {"duration": {"per_invocation": {"type": "constant", "value": 0.5}}}},
    "lambda": {"account_concurrency": 150},
    "limits": {"drain_limit_s": 10}
  })");
  REQUIRE(r.functions.size() == 3);
  CHECK(r.functions[0].concurrency_peak == 50);
  CHECK(r.functions[0].concurrency_limit == 50);   // min(80 lanes, reserved 50)
  CHECK(r.functions[1].concurrency_limit == 80);   // min(80 lanes, unreserved 100)
  CHECK(r.functions[1].concurrency_peak + r.functions[2].concurrency_peak >= 100);
  CHECK(r.concurrency_peak == 150);
  CHECK(r.concurrency_limit == 150);               // min(50 + 80 + 80, account 150)
}

TEST_CASE("Lambda's default scaling rate, 1,000 new environments per 10 s, under a burst") {
  // 20,000 records with distinct keys all at t = 0 on 200 shards; PF 10 with dynamic lanes and
  // batches of one, so 2,000 lanes want an environment at once; each invocation lasts 100 s.
  // The function may add 1,000 environments at once, then 100 a second. Refused lanes retry
  // after 1, 2, 4, 8 s (at 1, 3, 7, 15 s) and find 100, 200, 400 and 800 new environments:
  // 1,000 start at 0, 100 at 1, 200 at 3, 400 at 7 and the last 300 at 15. Refused by the
  // scaling rate: 1,000 + 900 + 700 + 300 = 2,900; later batches reuse warm environments.
  const std::string file = test_scratch::folder("shardsim-burst") + "/burst.csv";
  {
    std::ofstream out(file);
    for (int i = 0; i < 20000; ++i) out << "0," << "k" << i << ",10\n";
  }
  const RunResult r = run(R"({
    "duration_s": 1,
    "stream": {"shards": 200},
    "producers": [{"arrival": {"type": "trace", "file": ")" + file + R"("}}],
    "consumers": [{"batch_size": 1, "parallelization_factor": 10, "lane_assignment": "dynamic", "propagation_delay_s": 0}],
    "functions": {"f": {"timeout_s": 900, "cold_start": {"init_s": {"type": "constant", "value": 0}},
                        "duration": {"per_invocation": {"type": "constant", "value": 100},
                                     "per_record": {"type": "constant", "value": 0}}}},
    "lambda": {"account_concurrency": 3000}
  })");
  REQUIRE(r.written == 20000);
  CHECK(r.totals.throttled_scaling == 2900);
  CHECK(r.totals.cold_starts == 2000);
  CHECK(r.concurrency_peak == 2000);
}

TEST_CASE("failure probabilities: invocations and records fail at their rates") {
  // 10,000 records, one per invocation, each batch given up at its first failure
  // (max_retry_attempts 0). An invocation fails with 0.1 before any record; otherwise its record
  // fails with 0.2 (and, without ReportBatchItemFailures, fails the invocation). Discarded
  // records are binomial(10,000, 1 − 0.9 × 0.8 = 0.28): 2,800 within 5σ (± 224); invocation
  // errors are all of them.
  const RunResult r = run(R"({
    "duration_s": 100,
    "producers": [{"rate_per_s": 100, "arrival": {"type": "constant"}}],
    "consumers": [{"batch_size": 1, "max_retry_attempts": 0, "propagation_delay_s": 0}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.001},
                                     "per_record": {"type": "constant", "value": 0}},
                        "errors": {"invocation_failure_probability": 0.1, "record_failure_probability": 0.2}}}
  })");
  REQUIRE(r.written == 10000);
  CHECK(std::fabs(static_cast<double>(r.totals.discarded) - 2800) <= 5 * std::sqrt(10000 * 0.28 * 0.72));
  CHECK(r.totals.errors == r.totals.discarded);
  CHECK(r.totals.processed + r.totals.discarded == 10000);
}

TEST_CASE("an invocation still running at the drain limit is cut there, not waited for") {
  // One record at 0 whose cold start's init takes 1e8 s: the run ends at duration_s +
  // drain_limit_s = 1 + 10 = 11 s with the record unfinished and the invocation counted up to
  // there, instead of simulating (and recording) 1e8 s.
  const RunResult r = run_checked(R"({"duration_s": 1, "limits": {"drain_limit_s": 10},
    "producers": [{"rate_per_s": 1, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["a"]}}],
    "consumers": [{"propagation_delay_s": 0}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 1e8}}}}})");
  CHECK(r.completion == "drain_limit");
  CHECK(r.simulated_s == Approx(11).margin(1e-6));
  CHECK(r.totals.processed == 0);
  CHECK(r.consumers.at(0).counts.invocations == 1);
}

namespace {
// 4 shards always behind (400 records/s, 0.5 s per batch of 10: each shard runs 20 records/s):
// 4 invocations at once for the whole run, under `provisioned` provisioned concurrency.
RunResult four_busy_shards(int provisioned) {
  return run(R"({"duration_s": 20, "stream": {"shards": 4},
    "producers": [{"rate_per_s": 400, "keys": {"type": "uniform", "count": 1000}}],
    "consumers": [{"batch_size": 10, "propagation_delay_s": 0}],
    "functions": {"f": {"provisioned_concurrency": )" + std::to_string(provisioned) + R"(,
                        "duration": {"per_invocation": {"type": "constant", "value": 0.5},
                                     "per_record": {"type": "constant", "value": 0}}}}})");
}
}  // namespace

// The first 4 invocations start together: PC of them on provisioned environments, the rest
// cold; from then on every invocation finds its environment free again (4 at once).
TEST_CASE("provisioned concurrency 0: four cold starts") { CHECK(four_busy_shards(0).totals.cold_starts == 4); }

TEST_CASE("provisioned concurrency 2: two cold starts, the invocations beyond it") {
  const RunResult r = four_busy_shards(2);
  CHECK(r.totals.cold_starts == 2);
  CHECK(r.cost.provisioned_gb_seconds > 0);
  CHECK(r.cost.provisioned_gb_seconds < r.cost.gb_seconds);
}

TEST_CASE("provisioned concurrency 4: no cold start, every invocation at the provisioned price") {
  const RunResult all = four_busy_shards(4);
  CHECK(all.totals.cold_starts == 0);
  CHECK(all.concurrency_peak == 4);
  // Every invocation ran on a provisioned environment: all of its GB-s at the provisioned
  // duration price, plus 4 × 128 MB configured for the whole run (AWS's us-east-1 x86 prices).
  CHECK(all.cost.provisioned_gb_seconds == Approx(all.cost.gb_seconds));
  CHECK(all.cost.provisioned_configured_gb_s == Approx(4 * 0.125 * all.simulated_s));
  const double usd = all.cost.lambda_requests * 0.20 / 1e6 + all.cost.gb_seconds * 0.0000097222 +
                     4 * 0.125 * all.simulated_s * 0.0000041667;
  CHECK(all.cost.lambda_usd == Approx(usd).epsilon(1e-12));
}

namespace {
// Keys a b c d in turn, 40 records/s for 10 s (400 records, 100 of each key), one shard, with
// the mapping's `filters`.
RunResult filtered(const std::string& filters, const std::string& stream = R"({"shards": 1})") {
  return run(R"({"duration_s": 10, "stream": )" + stream + R"(,
    "producers": [{"rate_per_s": 40, "arrival": {"type": "constant"},
                   "keys": {"type": "sequence", "values": ["a", "b", "c", "d"], "repeat": true}}],
    "record_attributes": [{"name": "urgent", "share": 0.5}],
    "consumers": [{"batch_size": 10, "filters": )" + filters + R"(}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.01},
                                     "per_record": {"type": "constant", "value": 0}}}}})");
}
}  // namespace

TEST_CASE("event filtering: records no filter matches are read, never invoked, and counted") {
  // Keys a and c pass (two filters, ORed): 200 processed, 200 filtered, none lost.
  const RunResult r = filtered(R"([{"partition_keys": ["a"]}, {"partition_keys": ["c"]}])");
  CHECK(r.totals.processed == 200);
  CHECK(r.totals.filtered == 200);
  CHECK(r.lost == 0);
  CHECK(r.ordering.safe());
}

TEST_CASE("event filtering on a Kafka topic: a key and an attribute, ANDed") {
  // Key b and the attribute carried by half the records: about 50 of b's 100; the other 350
  // records at least filtered. Binomial(100, 0.5): 50 ± 25 is 5 standard deviations.
  const RunResult r = filtered(R"([{"partition_keys": ["b"], "attribute": "urgent"}])",
                               R"({"type": "kafka", "topic": {"partitions": 2}})");
  CHECK(r.totals.processed + r.totals.filtered == 400);
  CHECK(r.totals.processed > 25);
  CHECK(r.totals.processed < 75);
}
