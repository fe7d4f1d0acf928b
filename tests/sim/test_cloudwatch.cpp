// A run's metrics in CloudWatch's shape (analysis/cloudwatch.hpp): per period, with AWS's
// names, statistics and units, written as `aws cloudwatch get-metric-data` prints them.
#include <nlohmann/json.hpp>

#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
// The data points of metric `id` in the results, newest first.
std::vector<double> values(const nlohmann::json& results, const std::string& id) {
  for (const auto& m : results.at("MetricDataResults"))
    if (m.at("Id") == id) {
      CHECK(m.at("StatusCode") == "Complete");
      CHECK(m.at("Timestamps").size() == m.at("Values").size());
      return m.at("Values").get<std::vector<double>>();
    }
  FAIL("no metric " << id);
  return {};
}
}  // namespace

TEST_CASE("cloudwatch: each minute's records, invocations and durations as CloudWatch would show them") {
  // Records of 100 bytes with the one-byte key "k" (101 bytes as Kinesis counts them) at k / 8 s
  // for 120 s on one shard, read by enhanced fan-out with no delay; each runs alone in 0.05 s +
  // 0.001 s (the next comes 0.125 s later), but the first: its environment's 0.3 s init holds
  // the lane until 0.351 s, so the records of 0.125 and 0.25 s run together (52 ms, to 0.403 s)
  // and the one of 0.375 s alone; from 0.5 s each record runs when it arrives. Per minute: 480
  // records and 48,480 bytes; 479 then 480 invocations (the last ends at 119.926 s), the first
  // minute's averaging (478 × 51 + 52) / 479 ms and at most 52 ms (Duration leaves the init out,
  // as AWS's: else 351 ms), no error, one invocation at a time. Enhanced fan-out makes no
  // GetRecords call: no GetRecords.IteratorAgeMilliseconds.
  const Scenario s = scenario_from(R"({"name": "orders", "duration_s": 120,
    "stream": {"shards": 1},
    "producers": [{"rate_per_s": 8, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["k"], "repeat": true},
                   "record_bytes": {"type": "constant", "value": 100}}],
    "consumers": [{"function": "process", "delivery": "efo", "propagation_delay_s": 0}],
    "functions": {"process": {"duration": {"per_invocation": {"type": "constant", "value": 0.05},
                                           "per_record": {"type": "constant", "value": 0.001}},
                              "cold_start": {"init_s": {"type": "constant", "value": 0.3}}}}})");
  RunOptions options;
  options.cloudwatch_period_s = 60;
  const SimulationOutcome outcome = simulate(s, {}, options, 100, "2026-03-01T12:00:00Z");
  REQUIRE(outcome.finished());
  const auto results = nlohmann::json::parse(outcome.cloudwatch_results);
  const auto queries = nlohmann::json::parse(outcome.cloudwatch_queries);
  CHECK(values(results, "kinesis_incoming_records") == std::vector<double>{480, 480});
  CHECK(values(results, "kinesis_incoming_bytes") == std::vector<double>{48'480, 48'480});
  CHECK(values(results, "lambda_process_invocations") == std::vector<double>{480, 479});  // newest first
  CHECK(values(results, "lambda_process_errors") == std::vector<double>{0, 0});
  const auto maximum = values(results, "lambda_process_duration_maximum");
  const auto average = values(results, "lambda_process_duration_average");
  REQUIRE(maximum.size() == 2);
  CHECK(maximum[0] == Approx(51).epsilon(1e-9));
  CHECK(maximum[1] == Approx(52).epsilon(1e-9));
  CHECK(average[0] == Approx(51).epsilon(1e-9));
  CHECK(average[1] == Approx((478 * 51.0 + 52) / 479).epsilon(1e-9));
  CHECK(values(results, "lambda_process_concurrent_executions") == std::vector<double>{1, 1});
  CHECK(values(results, "lambda_concurrent_executions") == std::vector<double>{1, 1});
  CHECK(values(results, "kinesis_iterator_age").empty());
  CHECK(values(results, "lambda_process_throttles").empty());
  const auto& first = results.at("MetricDataResults").at(0);
  CHECK(first.at("Timestamps") == nlohmann::json{"2026-03-01T12:01:00+00:00", "2026-03-01T12:00:00+00:00"});
  // The query that names it: namespace, name, dimension, statistic, unit, period.
  const auto& q = queries.at(0);
  CHECK(q.at("Id") == "kinesis_incoming_records");
  CHECK(q.at("MetricStat").at("Metric").at("Namespace") == "AWS/Kinesis");
  CHECK(q.at("MetricStat").at("Metric").at("MetricName") == "IncomingRecords");
  CHECK(q.at("MetricStat").at("Metric").at("Dimensions") == nlohmann::json::parse(R"([{"Name": "StreamName", "Value": "orders"}])"));
  CHECK(q.at("MetricStat").at("Stat") == "Sum");
  CHECK(q.at("MetricStat").at("Unit") == "Count");
  CHECK(q.at("MetricStat").at("Period") == 60);
}
