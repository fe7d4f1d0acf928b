// ParallelizationFactor and lane assignment on the classroom example: one shard, keys
// 1,2,1,3,4,1,2,1, batch size 1, one second per invocation. Each TEST_CASE is its own process.
#include "sim/run/engine.hpp"
#include "sim/run/run.hpp"
#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {

// Records r0…r7 are put at t = 0, 0.001, …, 0.007 and become visible 0.5 s later; the poll at
// t = 0 finds nothing, the poll at t = 1.0 returns all eight.
RunResult classroom(int pf, const char* lane_assignment) {
  const std::string text = R"({
    "duration_s": 0.008,
    "producers": [{"rate_per_s": 1000, "arrival": {"type": "constant"},
                   "keys": {"type": "sequence", "values": ["1","2","1","3","4","1","2","1"]}}],
    "consumers": [{"batch_size": 1, "propagation_delay_s": 0.5, "parallelization_factor": )" +
                           std::to_string(pf) + R"(, "lane_assignment": ")" + lane_assignment + R"("}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}}, "duration": {"per_invocation": {"type": "constant", "value": 1},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })";
  const RunResult r = run_checked(text);
  CHECK(r.totals.processed == 8);
  return r;
}

}  // namespace

TEST_CASE("PF 1: the eight records run one after another") {
  // 1.0–2.0, 2.0–3.0, …, 8.0–9.0.
  const RunResult r = classroom(1, "hash");
  CHECK(r.concurrency_peak == 1);
  CHECK(r.concurrency_limit == 1);
  CHECK(r.simulated_s == Approx(9.0).margin(kEps));
  CHECK(r.latency_s.max == Approx(9.0 - 0.007).margin(kEps));
  // Cost: 8 invocations of 1 s at 128 MB = 8 × 0.125 GB-s; one shard for 9 s; 8 puts of
  // 1,025 bytes, one 25 KB payload unit each.
  CHECK(r.cost.lambda_requests == 8);
  CHECK(r.cost.gb_seconds == Approx(1.0).margin(1e-9));
  CHECK(r.cost.shard_hours == Approx(9.0 / 3600).margin(1e-12));
  CHECK(r.cost.put_payload_units == 8);
  CHECK(r.cost.lambda_usd == Approx(8 * 0.20 / 1e6 + 1.0 * 0.0000166667).epsilon(1e-9));
  CHECK(r.cost.stream_usd == Approx(9.0 / 3600 * 0.015 + 8 * 0.014 / 1e6).epsilon(1e-9));
}

TEST_CASE("PF 2, hash lanes: keys 1 and 3 share a lane, keys 2 and 4 the other") {
  // MD5 low 64 bits mod 2: "1" → 1, "3" → 1, "2" → 0, "4" → 0.
  // Lane 1 holds r0 r2 r3 r5 r7 (keys 1,1,3,1,1): 1.0–6.0. Lane 0 holds r1 r4 r6: 1.0–4.0.
  const RunResult r = classroom(2, "hash");
  CHECK(r.concurrency_peak == 2);
  CHECK(r.concurrency_limit == 2);
  CHECK(r.simulated_s == Approx(6.0).margin(kEps));
  CHECK(r.latency_s.max == Approx(6.0 - 0.007).margin(kEps));  // r7, the fifth in lane 1
  // Busy lane-seconds 5 + 3 = 8 over 6 s.
  CHECK(r.concurrency_mean == Approx(8.0 / 6.0).margin(kEps));
}

TEST_CASE("PF 4, dynamic lanes: a key is never in two lanes, key 1 sets the pace") {
  // t=1: lanes take r0 (1), r1 (2), r3 (3), r4 (4); r2 waits for key 1. t=2: r2 (1) and r6 (2);
  // r5, r7 wait for key 1. t=3: r5. t=4: r7, ending at 5.0 = 1.0 + four records of key 1.
  const RunResult r = classroom(4, "dynamic");
  CHECK(r.concurrency_peak == 4);
  CHECK(r.concurrency_limit == 4);
  CHECK(r.simulated_s == Approx(5.0).margin(kEps));
  CHECK(r.latency_s.max == Approx(5.0 - 0.007).margin(kEps));
  // Busy lane-seconds: 4 + 2 + 1 + 1 = 8 over 5 s.
  CHECK(r.concurrency_mean == Approx(8.0 / 5.0).margin(kEps));
}

TEST_CASE("PF 4, hash lanes: keys 1 and 3 collide, so PF 4 is no faster than PF 2") {
  // MD5 low 64 bits mod 4: "1" → 3, "3" → 3, "2" → 0, "4" → 0: two lanes used of four.
  const RunResult r = classroom(4, "hash");
  CHECK(r.concurrency_peak == 2);
  CHECK(r.concurrency_limit == 4);
  CHECK(r.simulated_s == Approx(6.0).margin(kEps));
}

namespace {
RunResult classroom_one_batch(const std::string& function, const std::string& duration = "") {
  const std::string text = R"({
    "duration_s": 0.008,
    "producers": [{"rate_per_s": 1000, "arrival": {"type": "constant"},
                   "keys": {"type": "sequence", "values": ["1","2","1","3","4","1","2","1"]}}],
    "consumers": [{"batch_size": 8, "propagation_delay_s": 0.5}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}}, "timeout_s": 900,
                        "duration": {"per_invocation": {"type": "constant", "value": 0},
                                     "per_record": {"type": "constant", "value": 1})" + duration + "}" + function + R"(}}
  })";
  return run_checked(text);
}
}  // namespace

TEST_CASE("in one batch, a sequential handler takes one second per record") {
  // The call at 1.0 returns all eight as one batch: 1.0–9.0.
  const RunResult r = classroom_one_batch("");
  CHECK(r.totals.invocations == 1);
  CHECK(r.simulated_s == Approx(9.0).margin(kEps));
  CHECK(r.ordering.safe());
}

TEST_CASE("per-key parallel handling runs each key's group concurrently, in order") {
  // Groups: key 1 (r0 r2 r5 r7, 4 s), key 2 (r1 r6, 2 s), key 3 (1 s), key 4 (1 s); ten workers:
  // all start at once, the invocation lasts as long as key 1's group: 1.0–5.0.
  const RunResult r = classroom_one_batch(R"(, "strategy": "per_key_parallel")");
  CHECK(r.totals.invocations == 1);
  CHECK(r.simulated_s == Approx(5.0).margin(kEps));
  CHECK(r.ordering.safe());
  CHECK(r.concurrency_peak == 1);  // one invocation: the parallelism is inside it
}

TEST_CASE("per-key parallel handling with two workers queues the groups") {
  // Worker 0: key 1 (0–4). Worker 1: key 2 (0–2), key 3 (2–3), key 4 (3–4): still 4 s.
  // With one worker it is sequential by group: 4 + 2 + 1 + 1 = 8 s.
  CHECK(classroom_one_batch(R"(, "strategy": "per_key_parallel", "max_in_handler_concurrency": 2)").simulated_s ==
        Approx(5.0).margin(kEps));
}

TEST_CASE("slow keys take their multiplier") {
  // Key 3's record takes 1 × 5 s: sequential 7 + 5 = 12 s of work, 1.0–13.0.
  const RunResult r = classroom_one_batch("", R"(, "slow_keys": ["3"], "slow_key_multiplier": 5)");
  CHECK(r.simulated_s == Approx(13.0).margin(kEps));
}

namespace {
// One shard, PF 10, hash lanes; 100 keys at 500 user records/s for 20 s; handler 0.1 s + 0.01 s
// per user record: the backlog keeps lanes busy.
RunResult busy_shard(const std::string& producer_extra) {
  return run_checked(R"({
    "duration_s": 20,
    "producers": [{"rate_per_s": 500, "keys": {"type": "uniform", "count": 100})" + producer_extra + R"(}],
    "consumers": [{"parallelization_factor": 10, "batch_size": 10}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.1},
                                     "per_record": {"type": "constant", "value": 0.01}}}}
  })");
}
}  // namespace

TEST_CASE("without aggregation, 100 keys keep all ten lanes of a shard busy") {
  const RunResult r = busy_shard("");
  CHECK(r.concurrency_peak == 10);
  CHECK(r.concurrency_limit == 10);
}

TEST_CASE("KPL aggregation under one partition key leaves PF one lane") {
  // 50 user records per Kinesis record, all under the partition key "agg": one key, one lane.
  const RunResult r = busy_shard(R"(, "aggregation": {"records_per_kinesis_record": 50, "partition_key": "agg"})");
  CHECK(r.concurrency_peak == 1);
  CHECK(r.produced == r.written);
  CHECK(r.produced * 50 >= 9000);  // ≈ 10,000 user records in ≈ 200 Kinesis records
}

TEST_CASE("under a backlog, concurrency reaches min(shards × PF, reserved) and never more") {
  // 4 shards × PF 5 = 20 lanes, reserved concurrency 12: the bound is 12.
  auto loaded = load_scenario_text("bound.json", R"({
    "duration_s": 20,
    "stream": {"shards": 4},
    "producers": [{"rate_per_s": 800, "keys": {"type": "uniform", "count": 1000}}],
    "consumers": [{"parallelization_factor": 5, "batch_size": 10, "lane_assignment": "dynamic"}],
    "functions": {"f": {"reserved_concurrency": 12,
                        "duration": {"per_invocation": {"type": "constant", "value": 0.2},
                                     "per_record": {"type": "constant", "value": 0.01}}}}
  })");
  REQUIRE(loaded.scenario);
  const auto outcome = simulate(*loaded.scenario);
  const RunResult& r = outcome.result;
  CHECK(r.concurrency_limit == 12);
  CHECK(r.concurrency_peak == 12);
  // The load wants 800 / 10 batches/s × 0.3 s = 24 at once: all 20 lanes get batches, and the 8
  // beyond the 12 running are refused at least once each.
  CHECK(r.totals.throttled >= 8);
  CHECK(r.ordering.safe());
}

TEST_CASE("an explicit hash key sends every record to the shard that holds it") {
  // 4 shards; hash key 2^127 (decimal below) lies in shard 2's range [2^127, 3·2^126): every
  // record is written there and the other three shards stay empty.
  auto loaded = load_scenario_text("ehk.json", R"({
    "duration_s": 5,
    "stream": {"shards": 4},
    "producers": [{"rate_per_s": 100, "explicit_hash_key": "170141183460469231731687303715884105728"}],
    "consumers": [{}],
    "functions": {"f": {}}
  })");
  REQUIRE(loaded.scenario);
  Run run(*loaded.scenario);
  SimEngine engine({}, run.actor_count());
  run.launch(engine.host());
  const RunResult r = run.result(engine.run().simulated_s);
  REQUIRE(r.written > 0);
  CHECK(run.stream().shard(2).end() == r.written);
  for (std::size_t s : {0, 1, 3}) CHECK(run.stream().shard(s).end() == 0);
  CHECK(r.totals.processed == r.written);
  CHECK(r.concurrency_peak == 1);  // only shard 2 has records
}
