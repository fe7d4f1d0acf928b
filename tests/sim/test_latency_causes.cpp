// Where a record's latency went, derived by hand for small traces: each cause's mean over the
// records, in scenarios where the path of every record can be followed on paper. Every run here
// (and every other whole-simulation test, through run_checked) also checks that each record's
// parts add up to its latency. One process per TEST_CASE.
#include <fstream>
#include <map>

#include "tests/sim/support.hpp"
#include "tests/support/scratch.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
// A trace file of (time, key) rows of 100 bytes.
std::string trace(const std::vector<std::pair<double, const char*>>& rows) {
  const std::string file = test_scratch::folder("shardsim-causes") + "/trace.csv";
  std::ofstream out(file);
  for (const auto& [t, key] : rows) out << t << "," << key << ",100\n";
  return file;
}

// Kinesis, `shards` shards, one Lambda mapping polling every second with no propagation delay;
// the handler takes 1 s per record and nothing per invocation; `extra` adds scenario fields.
RunResult run_trace(const std::string& file, int shards, const std::string& consumer, const std::string& function,
                    const std::string& extra = "") {
  return run_checked(R"({"seed": 1, "duration_s": 10, "stream": {"shards": )" + std::to_string(shards) + R"(},
    "producers": [{"arrival": {"type": "trace", "file": ")" + file + R"("}}],
    "consumers": [{"poll_interval_s": 1, "propagation_delay_s": 0)" + consumer + R"(}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0},
                                     "per_record": {"type": "constant", "value": 1}})" + function + R"(}})" + extra + "}");
}

double mean(const RunResult& r, LatencyCause c) {
  REQUIRE(r.latency_causes_s);
  return (*r.latency_causes_s)[static_cast<std::size_t>(c)].mean;
}
}  // namespace

TEST_CASE("latency causes: poll, lane, cold start and handler of three records of one key") {
  // Records a1, a2 at 0.25 s and a3 at 0.5 s; calls at 0 and 1 s; batches of 2; init 0.5 s.
  //   a1, a2: read at 1 (poll 0.75), cut at 1, cold start 0.5, handler 2 s, end 3.5: 3.25 s.
  //   a3:     read at 1 (poll 0.5), waits for its lane until 3.5 (lane 2.5), warm, handler 1,
  //           end 4.5: 4 s.
  // Means: poll 2/3, lane 2.5/3, cold start 1/3, handler 5/3; latency 3.5.
  const RunResult r = run_trace(trace({{0.25, "a"}, {0.25, "a"}, {0.5, "a"}}), 1, R"(, "batch_size": 2)",
                                R"(, "cold_start": {"init_s": {"type": "constant", "value": 0.5}})");
  REQUIRE(r.totals.processed == 3);
  CHECK(r.latency_s.mean == Approx(3.5).margin(kEps));
  CHECK(mean(r, LatencyCause::poll) == Approx(2.0 / 3).margin(kEps));
  CHECK(mean(r, LatencyCause::lane) == Approx(2.5 / 3).margin(kEps));
  CHECK(mean(r, LatencyCause::cold_start) == Approx(1.0 / 3).margin(kEps));
  CHECK(mean(r, LatencyCause::handler) == Approx(5.0 / 3).margin(kEps));
  for (LatencyCause c : {LatencyCause::put, LatencyCause::read_limit, LatencyCause::no_reader, LatencyCause::batching_window,
                         LatencyCause::environment, LatencyCause::retries, LatencyCause::lock})
    CHECK(mean(r, c) == 0);
}

TEST_CASE("latency causes: a throttled lane waits for an environment") {
  // Keys a (shard 0) and b (shard 1) at 0.25 s; account concurrency 1; no init; throttle
  // backoff 1.5 s. Both readers call at 1: one runs [1, 2]; the other is refused at 1, tries
  // again at 2.5 and runs [2.5, 3.5]. Latencies 1.75 and 3.25; environment 0 and 1.5 (mean
  // 0.75); poll 0.75 each; handler 1 each.
  const RunResult r = run_trace(trace({{0.25, "a"}, {0.25, "b"}}), 2, "",
                                R"(, "cold_start": {"init_s": {"type": "constant", "value": 0}})",
                                R"(, "lambda": {"account_concurrency": 1, "retry_backoff": {"initial_s": 1.5, "multiplier": 1, "max_s": 1.5}})");
  REQUIRE(r.totals.processed == 2);
  CHECK(r.totals.throttled == 1);
  CHECK(r.latency_s.mean == Approx(2.5).margin(kEps));
  CHECK(mean(r, LatencyCause::environment) == Approx(0.75).margin(kEps));
  CHECK(mean(r, LatencyCause::poll) == Approx(0.75).margin(kEps));
  CHECK(mean(r, LatencyCause::handler) == Approx(1).margin(kEps));
}

TEST_CASE("bounds: the busiest shard-second of writes and of Lambda concurrency") {
  // The throttled pair above, plus 498 more records of key a at 0.5 s (batches of 500): shard 0
  // takes 499 records in second 0, shard 1 one. Write records: busiest 499 of 1,000 (49.9 %);
  // over 2 shards × 10 s of production, 500 / 20,000 = 2.5 %; 101 bytes each (the data and the
  // key). Lambda (account and lanes, both 1): shard 0's batch runs [1, 500]; shard 1's is refused
  // every 1.5 s from 1 until 500.5, then runs [500.5, 501.5], the run's end. The busiest second
  // is full (100 %); the lanes are at their limit 499 + 1 of 501.5 s.
  std::vector<std::pair<double, const char*>> rows{{0.25, "a"}, {0.25, "b"}};
  rows.insert(rows.end(), 498, {0.5, "a"});
  const RunResult r = run_trace(trace(rows), 2, R"(, "batch_size": 500)",
                                R"(, "timeout_s": 900, "cold_start": {"init_s": {"type": "constant", "value": 0}})",
                                R"(, "lambda": {"account_concurrency": 1, "retry_backoff": {"initial_s": 1.5, "multiplier": 1, "max_s": 1.5}})");
  REQUIRE(r.totals.processed == 500);
  std::map<std::string, LimitUse> by_name;
  for (const LimitUse& b : r.bounds) by_name[b.name] = b;
  REQUIRE(by_name.count("write_records"));
  CHECK(by_name["write_records"].capacity == 1000);
  CHECK(by_name["write_records"].peak_utilization == Approx(0.499).margin(kEps));
  CHECK(by_name["write_records"].mean_utilization == Approx(500.0 / 20000).margin(kEps));
  CHECK(by_name["write_records"].binding_share == 0);
  CHECK(by_name["write_bytes"].peak_utilization == Approx(499.0 * 101 / (1 << 20)).margin(kEps));
  // Reads: each reader calls once a second at most (at 0 and 1, then its lane is busy until it
  // is done): 1 of 5 calls/s; shard 0's call at 1 returns 499 records, 499 × 101 of 2 MiB.
  REQUIRE(by_name.count("read_calls"));
  CHECK(by_name["read_calls"].peak_utilization == Approx(0.2).margin(kEps));
  CHECK(by_name["read_bytes"].peak_utilization == Approx(499.0 * 101 / (2 << 20)).margin(kEps));
  CHECK(by_name["read_bytes"].binding_share == 0);
  REQUIRE(by_name.count("lambda_concurrency"));
  CHECK(by_name["lambda_concurrency"].capacity == 1);
  CHECK(by_name["lambda_concurrency"].peak_utilization == Approx(1).margin(kEps));
  REQUIRE(by_name.count("lanes"));
  CHECK(by_name["lanes"].capacity == 1);
  CHECK(r.simulated_s == Approx(501.5).margin(kEps));
  CHECK(by_name["lanes"].binding_share == Approx(500 / 501.5).margin(kEps));
}

TEST_CASE("latency causes: a failed first attempt is time lost to retries") {
  // Key p at 0.25 s fails its first attempt: read at 1, runs [1, 2] and fails; backoff 1 s;
  // runs again [3, 4] and succeeds. Latency 3.75: poll 0.75, retries 2 (1 → 3), handler 1.
  const RunResult r = run_trace(trace({{0.25, "p"}}), 1, "",
                                R"(, "cold_start": {"init_s": {"type": "constant", "value": 0}},
                                   "errors": {"failing_records": [{"key": "p", "attempts": [1]}]})",
                                R"(, "lambda": {"retry_backoff": {"initial_s": 1, "multiplier": 1, "max_s": 1}})");
  REQUIRE(r.totals.processed == 1);
  CHECK(r.latency_s.mean == Approx(3.75).margin(kEps));
  CHECK(mean(r, LatencyCause::retries) == Approx(2).margin(kEps));
  CHECK(mean(r, LatencyCause::poll) == Approx(0.75).margin(kEps));
  CHECK(mean(r, LatencyCause::handler) == Approx(1).margin(kEps));
}

TEST_CASE("latency causes: a partial batch waits out its batching window") {
  // Window 2 s, batches of 10, no init. a at 0.25 is read at 1, where the window opens (until 3);
  // b at 1.5 is read at 2. The batch is cut at 3 and runs 2 s: both end at 5.
  //   a: poll 0.75, window 2, handler 2 (4.75);  b: poll 0.5, window 1, handler 2 (3.5).
  // Means: poll 0.625, window 1.5, handler 2; latency 4.125.
  const RunResult r = run_trace(trace({{0.25, "a"}, {1.5, "b"}}), 1, R"(, "batch_size": 10, "batching_window_s": 2)",
                                R"(, "cold_start": {"init_s": {"type": "constant", "value": 0}})");
  REQUIRE(r.totals.processed == 2);
  CHECK(r.latency_s.mean == Approx(4.125).margin(kEps));
  CHECK(mean(r, LatencyCause::batching_window) == Approx(1.5).margin(kEps));
  CHECK(mean(r, LatencyCause::poll) == Approx(0.625).margin(kEps));
  CHECK(mean(r, LatencyCause::handler) == Approx(2).margin(kEps));
}

TEST_CASE("latency causes: records written before the mapping starts wait with no reader") {
  // The mapping starts at 5 s; a at 0.25 s is read by its first call at 5 (no reader 4.75) and
  // runs [5, 6]: latency 5.75.
  const RunResult r = run_trace(trace({{0.25, "a"}}), 1, R"(, "start_s": 5)",
                                R"(, "cold_start": {"init_s": {"type": "constant", "value": 0}})");
  REQUIRE(r.totals.processed == 1);
  CHECK(r.latency_s.mean == Approx(5.75).margin(kEps));
  CHECK(mean(r, LatencyCause::no_reader) == Approx(4.75).margin(kEps));
  CHECK(mean(r, LatencyCause::poll) == Approx(0).margin(kEps));
}

TEST_CASE("diagnosis: one key at PF 10 is bound by the keys, not the lanes") {
  // 20 records of key a at 0.25 s, batches of 1, PF 10, no init: all read at 1; record i is cut
  // when record i − 1 ends, at 1 + i, and runs 1 s. Lane i s, poll 0.75, handler 1: mean latency
  // 0.75 + 9.5 + 1 = 11.25, of which the lane is 9.5 (84.4 %). One lane has records against a
  // limit of 10: the keys bound it.
  std::vector<std::pair<double, const char*>> rows(20, {0.25, "a"});
  const RunResult r = run_trace(trace(rows), 1, R"(, "batch_size": 1, "parallelization_factor": 10)",
                                R"(, "cold_start": {"init_s": {"type": "constant", "value": 0}})");
  REQUIRE(r.totals.processed == 20);
  CHECK(r.latency_s.mean == Approx(11.25).margin(kEps));
  CHECK(mean(r, LatencyCause::lane) == Approx(9.5).margin(kEps));
  REQUIRE(r.diagnosis);
  CHECK(r.diagnosis->bound == "keys");
  CHECK(r.diagnosis->cause == "lane");
  CHECK(r.diagnosis->share == Approx(9.5 / 11.25).margin(kEps));
  CHECK(r.diagnosis->sentence.find("at most 1 lanes had records at once against a limit of 10") != std::string::npos);
}

TEST_CASE("diagnosis: a throttled account is bound by Lambda concurrency") {
  // Keys a (shard 0) and b (shard 1), 5 records each at 0.25 s, batches of 5, account
  // concurrency 1, no init, backoff 10 s. Both readers call at 1: one batch runs [1, 6]; the
  // other is refused at 1 and runs [11, 16]. Latencies 5.75 and 15.75 (mean 10.75); environment
  // 0 and 10 (mean 5, 46.5 %); handler 5; poll 0.75.
  std::vector<std::pair<double, const char*>> rows(5, {0.25, "a"});
  rows.insert(rows.end(), 5, {0.25, "b"});
  const RunResult r = run_trace(trace(rows), 2, R"(, "batch_size": 5)",
                                R"(, "timeout_s": 900, "cold_start": {"init_s": {"type": "constant", "value": 0}})",
                                R"(, "lambda": {"account_concurrency": 1, "retry_backoff": {"initial_s": 10, "multiplier": 1, "max_s": 10}})");
  REQUIRE(r.totals.processed == 10);
  CHECK(r.latency_s.mean == Approx(10.75).margin(kEps));
  REQUIRE(r.diagnosis);
  CHECK(r.diagnosis->bound == "lambda_concurrency");
  CHECK(r.diagnosis->share == Approx(5 / 10.75).margin(kEps));
}
