// A round trip through CloudWatch's shape: a known workload run with --cloudwatch, calibrated from
// that export and the describe calls' outputs, and run again; observed beside simulated per
// minute. Four workloads: a steady day in five steps, a burst that builds a backlog, and the
// same day throttled by a reserved concurrency of 1.
#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/cli/support.hpp"

using namespace cli_test;

namespace {
nlohmann::json read_json(const std::string& file) {
  std::ifstream in(file);
  return nlohmann::json::parse(in);
}

// 2 shards, 400 records/s × the step's factor for 10 minutes, batches of 500, 30 ms + 0.8 ms per
// record; `extra` adds to the function.
std::string workload(const std::string& name, const std::string& factors, const std::string& extra = "") {
  std::string points;
  double at = 0;
  for (std::size_t i = 0, j; i < factors.size(); i = j + 1, at += 120) {
    j = factors.find(',', i);
    if (j == std::string::npos) j = factors.size();
    points += (points.empty() ? "" : ", ") + std::string(R"({"at_s": )") + std::to_string(at) + R"(, "factor": )" + factors.substr(i, j - i) + "}";
  }
  return R"({"name": ")" + name + R"(", "seed": 5, "duration_s": 600, "stream": {"shards": 2},
    "producers": [{"rate_per_s": 400, "arrival": {"type": "schedule", "points": [)" + points + R"(]},
                   "keys": {"type": "uniform", "count": 1000}, "record_bytes": {"type": "constant", "value": 700}}],
    "consumers": [{"function": "handler", "batch_size": 500}],
    "functions": {"handler": {"duration": {"per_invocation": {"type": "constant", "value": 0.03},
                                           "per_record": {"type": "constant", "value": 0.0008}})" + extra + R"(}}})";
}

struct RoundTrip {
  nlohmann::json scenario, comparison;
  std::string out;
};

RoundTrip round_trip(const std::string& name, const std::string& text, int reserved) {
  const std::string dir = temp_dir();
  const std::string source = write_temp(dir, name + ".json", text);
  REQUIRE(shardsim("run " + source + " --quiet --cloudwatch " + dir + "/cw.json").exit_code == 0);
  write_temp(dir, "stream.json", R"({"StreamDescriptionSummary": {"StreamName": ")" + name +
                                     R"(", "OpenShardCount": 2, "RetentionPeriodHours": 24}})");
  write_temp(dir, "mapping.json", R"({"UUID": "u", "BatchSize": 500, "ParallelizationFactor": 1, "StartingPosition": "TRIM_HORIZON"})");
  write_temp(dir, "function.json", R"({"Configuration": {"FunctionName": "handler", "MemorySize": 128, "Timeout": 3})" +
                                       (reserved ? R"(, "Concurrency": {"ReservedConcurrentExecutions": )" + std::to_string(reserved) + "}" : std::string()) + "}");
  const auto r = shardsim("calibrate " + dir + "/cw.json --queries " + dir + "/cw.queries.json --stream-summary " + dir +
                          "/stream.json --mapping " + dir + "/mapping.json --function " + dir + "/function.json --out " + dir +
                          "/calibrated.json --comparison " + dir + "/comparison.json");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  return {read_json(dir + "/calibrated.json"), read_json(dir + "/comparison.json"), r.out};
}

// Each minute's error of `metric` where the observed value is not 0.
std::vector<double> errors(const nlohmann::json& comparison, const std::string& metric) {
  std::vector<double> out;
  for (const auto& m : comparison["metrics"])
    if (m["metric"] == metric)
      for (const auto& p : m["periods"])
        if (!p["error"].is_null()) out.push_back(p["error"].get<double>());
  return out;
}

double handler(const nlohmann::json& scenario, const char* part) {
  return scenario["functions"]["handler"]["duration"][part]["value"].get<double>();
}
}  // namespace

TEST_CASE("calibrate: a constant load, a day in steps and a burst with a backlog come back within 10 % a minute") {
  // Production per minute is the export's IncomingRecords exactly; the handler's 30 ms + 0.8 ms
  // per record within 5 % (records per invocation vary with the steps), but the burst's
  // per-invocation time within 10 %: its backlog's minutes run records of earlier ones, which
  // IncomingRecords / Invocations does not see (measured: 32.1 ms, 0.788 ms). Rerun with the same
  // mapping, Invocations and ConcurrentExecutions follow the polling and the shards (1 per shard
  // and second while records come): every minute within 10 %; IteratorAge, the largest of a
  // minute's, varies with the draws: within 10 % on average.
  for (const auto& [name, factors] : {std::pair<std::string, std::string>{"constant", "1,1,1,1,1"}, {"steady", "0.5,1,1.5,1,0.5"},
                                      {"burst", "0.5,4,0.5,0.25,0.5"}}) {
    INFO(name);
    const RoundTrip t = round_trip(name, workload(name, factors), 0);
    if (name == "constant")  // its batches hardly vary: the fit cannot split the time, and says so
      CHECK_THAT(t.out, Catch::Contains("the split between per-invocation and per-record time is uncertain"));
    else {
      CHECK(handler(t.scenario, "per_invocation") == Approx(0.03).epsilon(name == "steady" ? 0.05 : 0.1));
      CHECK(handler(t.scenario, "per_record") == Approx(0.0008).epsilon(0.05));
    }
    for (const char* metric : {"Invocations", "ConcurrentExecutions"})
      for (double e : errors(t.comparison, metric)) CHECK(std::abs(e) <= 0.10);
    for (const auto& m : t.comparison["metrics"])
      if (m["metric"] == "IteratorAge") CHECK(m["mean_absolute_error"].get<double>() <= 0.10);
  }
}

TEST_CASE("calibrate: a throttled pipeline comes back with its reserved concurrency, its handler fit worse") {
  // Reserved concurrency 1 over 2 shards: a shard waits for the other's invocation, so a minute's
  // invocations run records that arrived earlier and IncomingRecords / Invocations is no longer a
  // batch's size: the fitted per-record time is off (not checked here; the README says so). The
  // reserved concurrency from get-function keeps the rerun's concurrency at 1 and its
  // invocations within 10 % on average.
  const RoundTrip t = round_trip("throttled", workload("throttled", "0.5,1,1.5,1,0.5", R"(, "reserved_concurrency": 1)"), 1);
  CHECK(t.scenario["functions"]["handler"]["reserved_concurrency"] == 1);
  for (double e : errors(t.comparison, "ConcurrentExecutions")) CHECK(e == 0);
  for (const auto& m : t.comparison["metrics"])
    if (m["metric"] == "Invocations") CHECK(m["mean_absolute_error"].get<double>() <= 0.10);
}

TEST_CASE("calibrate: the worked example in scenarios/calibration calibrates, plots and plans") {
  // An hour at 5-minute periods (13 with the drain). The observed Invocations come back within
  // 10 % on average, the plot is drawn (gnuplot is a test dependency), and plan runs on the
  // calibrated scenario with objectives and a search given on the command line.
  const std::string dir = temp_dir();
  const std::string d = std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/calibration/";
  const auto r = shardsim("calibrate " + d + "clickstream-metrics.json --queries " + d + "clickstream-metrics.queries.json" +
                          " --stream-summary " + d + "clickstream-stream.json --mapping " + d + "clickstream-mapping.json" +
                          " --function " + d + "clickstream-function.json --out " + dir + "/clickstream.json --comparison " + dir +
                          "/comparison.json --plots " + dir + "/out");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("13 periods of 300 s from 2026-11-02T08:00:00Z"));
  const nlohmann::json comparison = read_json(dir + "/comparison.json");
  for (const auto& m : comparison["metrics"])
    if (m["metric"] == "Invocations") CHECK(m["mean_absolute_error"].get<double>() <= 0.10);
  CHECK(std::ifstream(dir + "/out/plots/calibration.svg").good());
  const nlohmann::json scenario = read_json(dir + "/clickstream.json");
  CHECK(scenario["stream"]["shards"] == 4);
  CHECK(scenario["consumers"][0]["parallelization_factor"] == 2);
  CHECK(scenario["functions"]["enrich-clicks"]["memory_mb"] == 512);
  const auto plan = shardsim("plan " + dir + "/clickstream.json --out " + dir + "/plan --budget 4 --set duration_s=600" +
                             " --set 'objectives={\"latency_s.p99\": {\"max\": 5}}'" +
                             " --set 'plan={\"search\": {\"stream.shards\": [2, 4], \"consumers.0.parallelization_factor\": [1, 2]}, \"minimize\": \"cost_usd.per_hour\"}'");
  INFO(plan.out);
  CHECK(plan.exit_code == 0);
  CHECK(std::ifstream(dir + "/plan/plan.json").good());
}

TEST_CASE("compare --cloudwatch writes each variant's CloudWatch metrics beside its result") {
  // Every run of the comparison (variants × replications) writes its export and queries; the
  // first variant's Invocations add up to its result's invocations.
  const std::string dir = temp_dir();
  const auto r = shardsim("compare scenarios/compare/per-key-order.json --set duration_s=20 --cloudwatch --cloudwatch-period 10 --out " + dir);
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const nlohmann::json result = read_json(dir + "/points/p0000_r0.json");
  const nlohmann::json metrics = read_json(dir + "/points/p0000_r0.cloudwatch.json");
  const nlohmann::json queries = read_json(dir + "/points/p0000_r0.cloudwatch.queries.json");
  CHECK(queries[0]["MetricStat"]["Period"] == 10);
  double invocations = 0;
  for (const auto& m : metrics["MetricDataResults"])
    if (m["Id"].get<std::string>().find("_invocations") != std::string::npos)
      for (const auto& v : m["Values"]) invocations += v.get<double>();
  CHECK(invocations == result["invocations"]["count"].get<double>());
}
