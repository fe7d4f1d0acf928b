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
// The scenario's run with its CloudWatch metrics per period_s (time 0 at 2026-03-01T12:00:00Z).
SimulationOutcome run_with_metrics(const Scenario& s, double period_s) {
  RunOptions options;
  options.cloudwatch_period_s = period_s;
  SimulationOutcome outcome = simulate(s, {}, options, 100, "2026-03-01T12:00:00Z");
  REQUIRE(outcome.finished());
  return outcome;
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
  const SimulationOutcome outcome = run_with_metrics(s, 60);
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

TEST_CASE("cloudwatch: an SQS queue's gauges at each period's end, a backlog building and draining") {
  // 8 messages/s (message k sent at k/8 s) for 60 s into a standard queue; at most 2 batches at
  // once (maximum_concurrency), each 2 s long whatever it holds. The first two batches take the
  // one message visible each (0 and 0.125 s); from then on a batch of 5 is received when a batch
  // ends: at 2m and 2m + 0.125 s. Just before the period end e = 10n (the gauges, n ≤ 9): received
  // 2 + 10 (5n − 1) = 50n − 8 messages, deleted 50n − 18 (the batches that ended before e), 10 in
  // flight; sent before e: 80n, but at most 480. Visible: min(80n, 480) − (50n − 8); the oldest
  // message not deleted is 50n − 18, so its age is 10n − (50n − 18) / 8 = (30n + 18) / 8 s. The
  // last batches (96 and 96.125 s) end at 98.125 s: the last period's end (100 s) finds the queue
  // empty.
  const Scenario s = scenario_from(R"({"name": "jobs", "duration_s": 60,
    "stream": {"type": "sqs_standard"},
    "producers": [{"rate_per_s": 8, "arrival": {"type": "constant"}}],
    "consumers": [{"function": "work", "batch_size": 5, "maximum_concurrency": 2}],
    "functions": {"work": {"duration": {"per_invocation": {"type": "constant", "value": 2},
                                        "per_record": {"type": "constant", "value": 0}},
                           "cold_start": {"init_s": {"type": "constant", "value": 0}}}}})");
  const SimulationOutcome outcome = run_with_metrics(s, 10);
  const auto results = nlohmann::json::parse(outcome.cloudwatch_results);
  std::vector<double> visible, not_visible, age;  // newest first, as written
  for (int n = 10; n >= 1; --n) {
    const bool empty = n == 10;
    visible.push_back(empty ? 0 : std::min(80 * n, 480) - (50 * n - 8));
    not_visible.push_back(empty ? 0 : 10);
    age.push_back(empty ? 0 : (30 * n + 18) / 8.0);
  }
  CHECK(values(results, "sqs_messages_visible") == visible);
  CHECK(values(results, "sqs_messages_not_visible") == not_visible);
  CHECK(values(results, "sqs_oldest_message_age") == age);
  const auto queries = nlohmann::json::parse(outcome.cloudwatch_queries);
  for (const auto& q : queries)
    if (q.at("Id") == "sqs_oldest_message_age") {
      CHECK(q.at("MetricStat").at("Metric").at("MetricName") == "ApproximateAgeOfOldestMessage");
      CHECK(q.at("MetricStat").at("Stat") == "Maximum");
      CHECK(q.at("MetricStat").at("Unit") == "Seconds");
    }
}

TEST_CASE("cloudwatch: an SQS queue's failing messages are not visible until their timeout, then dead-lettered") {
  // Messages at 0, 1 and 2 s, every one failing (poison key) after 0.5 s; visibility timeout 5 s,
  // two receives before the dead-letter queue. Message i is received at i s and visible again at
  // i + 5 s, received again, and dead-lettered at i + 10 s. Just before each second e = 1 … 12 none
  // is visible (each is received when it is sent or becomes visible) and the messages sent before
  // e and not yet dead-lettered are not visible: 1, 2, then 3 until 10 s, then 2 and 1; the oldest
  // is message 0 until 10 s (age e), then message 1 at 11 s and 2 at 12 s (age 10).
  const Scenario s = scenario_from(R"({"name": "jobs", "duration_s": 3,
    "stream": {"type": "sqs_standard", "queue": {"visibility_timeout_s": 5, "max_receive_count": 2}},
    "producers": [{"rate_per_s": 1, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["K"], "repeat": true}}],
    "consumers": [{"function": "work"}],
    "functions": {"work": {"duration": {"per_invocation": {"type": "constant", "value": 0},
                                        "per_record": {"type": "constant", "value": 0.5}},
                           "cold_start": {"init_s": {"type": "constant", "value": 0}},
                           "errors": {"poison_keys": ["K"]}}}})");
  const SimulationOutcome outcome = run_with_metrics(s, 1);
  const auto results = nlohmann::json::parse(outcome.cloudwatch_results);
  CHECK(values(results, "sqs_messages_visible") == std::vector<double>(12, 0));
  CHECK(values(results, "sqs_messages_not_visible") == std::vector<double>{1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 2, 1});
  CHECK(values(results, "sqs_oldest_message_age") == std::vector<double>{10, 10, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
}
