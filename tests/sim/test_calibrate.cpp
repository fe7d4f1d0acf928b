// Calibration from a pipeline's CloudWatch metrics (sim/studies/calibrate.hpp), on an export of
// a known run: the production per period comes back exactly and the handler's coefficients
// within 5 %.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "sim/studies/calibrate.hpp"
#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

TEST_CASE("calibrate: a run's own export gives back its production per minute and its handler") {
  // 50, 100, 200 then 400 records/s (constant arrivals) for a minute each on one shard, read once
  // a second in batches of up to 1,000: a batch holds about a second's records, so records per
  // invocation vary from 50 to 400 across the minutes, and Duration's average is 20 ms + 1 ms ×
  // that. IncomingRecords per minute is rate × 60 exactly: the calibrated schedule has those
  // rates; the line through (records per invocation, Duration) has the handler's 0.02 s and
  // 0.001 s per record (within 5 %: a minute's first and last batches straddle minutes). The
  // mapping's settings come from a get-event-source-mapping output.
  const Scenario source = scenario_from(R"({"name": "orders", "seed": 3, "duration_s": 240,
    "stream": {"shards": 1},
    "producers": [{"rate_per_s": 200, "arrival": {"type": "schedule", "within": "constant",
                   "points": [{"at_s": 0, "factor": 0.25}, {"at_s": 60, "factor": 0.5}, {"at_s": 120, "factor": 1}, {"at_s": 180, "factor": 2}]},
                   "keys": {"type": "uniform", "count": 1000}, "record_bytes": {"type": "constant", "value": 500}}],
    "consumers": [{"function": "handler", "batch_size": 1000}],
    "functions": {"handler": {"duration": {"per_invocation": {"type": "constant", "value": 0.02},
                                           "per_record": {"type": "constant", "value": 0.001}}}}})");
  RunOptions options;
  options.cloudwatch_period_s = 60;
  const SimulationOutcome outcome = simulate(source, {}, options);
  REQUIRE(outcome.finished());
  const auto dir = std::filesystem::temp_directory_path() / ("shardsim-calibrate-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "export.json") << outcome.cloudwatch_results;
  std::ofstream(dir / "queries.json") << outcome.cloudwatch_queries;
  std::ofstream(dir / "mapping.json") << R"({"UUID": "u", "BatchSize": 1000, "ParallelizationFactor": 1,
    "MaximumBatchingWindowInSeconds": 0, "StartingPosition": "TRIM_HORIZON", "FunctionResponseTypes": []})";
  CalibrationInputs in;
  in.export_file = (dir / "export.json").string();
  in.queries_file = (dir / "queries.json").string();
  in.mapping_file = (dir / "mapping.json").string();
  in.arrivals = "constant";
  const Calibration c = calibrate(in);
  std::filesystem::remove_all(dir);
  const auto& producer = c.scenario["producers"][0];
  const double mean = producer["rate_per_s"].get<double>();
  CHECK(mean == Approx(187.5).epsilon(1e-12));  // (50 + 100 + 200 + 400) / 4
  const auto& points = producer["arrival"]["points"];
  REQUIRE(points.size() == 4);
  const double rates[] = {50, 100, 200, 400};
  for (std::size_t k = 0; k < 4; ++k) {
    CHECK(points[k]["at_s"].get<double>() == 60.0 * static_cast<double>(k));
    CHECK(points[k]["factor"].get<double>() * mean == Approx(rates[k]).epsilon(1e-12));
  }
  CHECK(c.scenario["duration_s"].get<double>() == 240);
  // 500 bytes of data and keys "key-0" … "key-999" (6.89 bytes on average): 506.89 bytes a
  // record as Kinesis counts them, less the 7 a calibrated record's key takes, rounded: 500.
  CHECK(producer["record_bytes"]["value"].get<double>() == 500);
  CHECK(c.per_invocation_s == Approx(0.02).epsilon(0.05));
  CHECK(c.per_record_s == Approx(0.001).epsilon(0.05));
  CHECK(c.r_squared > 0.99);
  CHECK(c.fit_periods == 4);
  CHECK(c.scenario["consumers"][0]["batch_size"] == 1000);
  CHECK(c.scenario["consumers"][0]["function"] == "handler");
  // What it took as defaults is said.
  CHECK(std::any_of(c.notes.begin(), c.notes.end(), [](const std::string& n) { return n.find("1 shard") != std::string::npos; }));
}
