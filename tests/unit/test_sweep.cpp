#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "analysis/sweep_table.hpp"
#include "sim/studies/sweep.hpp"
#include "sim/studies/sweep_runner.hpp"
#include "tests/support/scratch.hpp"

using namespace shardsim;
using nlohmann::json;

namespace {
SweepGrid grid(const char* sweep, const char* objectives = "null", std::vector<std::string> order = {}) {
  Diagnostics d;
  SweepGrid p = sweep_grid(json::parse(sweep), json::parse(objectives), 1, "s.json", d, order);
  INFO(d.format());
  CHECK_FALSE(d.has_errors());
  return p;
}
std::string errors(const char* sweep) {
  Diagnostics d;
  sweep_grid(json::parse(sweep), json(), 1, "s.json", d);
  return d.format();
}
}  // namespace

TEST_CASE("a product sweep varies the first parameter slowest") {
  const auto p = grid(R"({"parameters": {"a": [1, 2], "b": ["x", "y", "z"]}})", "null", {"a", "b"});
  REQUIRE(p.points.size() == 6);
  CHECK(p.points[0].label() == "a=1 b=\"x\"");
  CHECK(p.points[2].label() == "a=1 b=\"z\"");
  CHECK(p.points[3].label() == "a=2 b=\"x\"");
  CHECK(p.points[5].overrides() == std::vector<std::string>{"a=2", "b=\"z\""});
}

TEST_CASE("the file's parameter order wins over the alphabet") {
  const auto p = grid(R"({"parameters": {"a": [1, 2], "b": [3]}})", "null", {"b", "a"});
  CHECK(p.parameters[0].path == "b");
  CHECK(p.points[1].label() == "b=3 a=2");
}

TEST_CASE("a zip sweep pairs the lists") {
  const auto p = grid(R"({"mode": "zip", "parameters": {"a": [1, 2, 3], "b": [10, 20, 30]}})");
  REQUIRE(p.points.size() == 3);
  CHECK(p.points[1].label() == "a=2 b=20");
  CHECK_THAT(errors(R"({"mode": "zip", "parameters": {"a": [1, 2], "b": [1]}})"), Catch::Contains("zip needs lists of one length"));
}

TEST_CASE("ranges expand by step or factor, or whole numbers one apart") {
  const auto whole = grid(R"({"parameters": {"s": {"from": 1, "to": 64}}})");
  REQUIRE(whole.points.size() == 64);
  CHECK(whole.points[9].label() == "s=10");
  const auto geometric = grid(R"({"parameters": {"s": {"from": 1, "to": 64, "factor": 2}}})");
  REQUIRE(geometric.points.size() == 7);
  CHECK(geometric.points.back().label() == "s=64");
  const auto linear = grid(R"({"parameters": {"w": {"from": 0, "to": 1, "step": 0.25}}})");
  REQUIRE(linear.points.size() == 5);
  CHECK(linear.points[2].settings[0].second.get<double>() == 0.5);
  CHECK_THAT(errors(R"({"parameters": {"s": {"from": 1, "to": 8, "step": 1, "factor": 2}}})"), Catch::Contains("not both"));
  CHECK_THAT(errors(R"({"parameters": {"s": {"from": 0.5, "to": 8}}})"), Catch::Contains("fractional values needs"));
  CHECK_THAT(errors(R"({"parameters": {"s": {"from": 1, "to": 8, "stride": 2}}})"), Catch::Contains("unknown field"));
  CHECK_THAT(errors(R"({"mode": "grid", "parameters": {"s": [1]}})"), Catch::Contains("sweep.mode"));
  CHECK_THAT(errors(R"({"parameters": {}})"), Catch::Contains("at least one entry"));
}

TEST_CASE("objectives are read as min/max bounds") {
  const auto p = grid(R"({"parameters": {"a": [1]}})", R"({"latency_s.p99": {"max": 2}, "records.processed": {"min": 10}})");
  REQUIRE(p.objectives.size() == 2);
  CHECK(p.objectives[0].met_by(2.0));
  CHECK_FALSE(p.objectives[0].met_by(2.1));
  CHECK_FALSE(p.objectives[1].met_by(9));
}

TEST_CASE("95% confidence half-widths use Student's t") {
  // Values 1, 2, 3, 4: mean 2.5, s = √(5/3) = 1.290994, t(0.975, 3) = 3.182:
  // half-width = 3.182 × 1.290994 / 2 = 2.053972.
  const MetricStat s = metric_stat({1, 2, 3, 4});
  CHECK(s.mean == 2.5);
  REQUIRE(s.ci95);
  CHECK(*s.ci95 == Approx(2.053972).epsilon(1e-6));
  CHECK_FALSE(metric_stat({5}).ci95.has_value());  // one replication: no interval
  CHECK(student_t_975(1) == 12.706);
  CHECK(student_t_975(1000) == 1.960);
}

TEST_CASE("result values are read by dotted path") {
  const json r = json::parse(R"({"latency_s": {"p99": 1.5}, "ordering": {"safe": true}, "name": "x"})");
  CHECK(result_value(r, "latency_s.p99") == 1.5);
  CHECK(result_value(r, "ordering.safe") == 1.0);
  CHECK_FALSE(result_value(r, "name").has_value());
  CHECK_FALSE(result_value(r, "latency_s.p50").has_value());
}

namespace {
// A replication's result with the fields the objectives below read.
json replication(double p99, double lost, double cost, double unfinished = 0) {
  return {{"latency_s", {{"p99", p99}}},
          {"records", {{"lost", lost}, {"in_flight_at_end", unfinished}}},
          {"cost_usd", {{"total", cost}, {"per_hour", cost}}}};
}
}  // namespace

TEST_CASE("a point meets an objective only at the far end of its interval, with every replication run and nothing lost") {
  SweepGrid p = grid(R"({"parameters": {"a": [0, 1, 2, 3, 4]}})", R"({"latency_s.p99": {"max": 2}})");
  p.replications = 2;
  std::vector<PointResults> results(5);
  for (std::size_t i = 0; i < 5; ++i) results[i].point = p.points[i];
  results[0].replications = {replication(1.0, 0, 1.0), replication(1.0, 0, 1.0)};  // meets, costs 1
  // Mean 1.9 meets "≤ 2" on the mean, but the interval does not: s = 0.2828, half-width
  // t(0.975, 1) × s / √2 = 12.706 × 0.2 = 2.54, upper end 4.44.
  results[1].replications = {replication(1.7, 0, 0.5), replication(2.1, 0, 0.5)};
  // Fast because a third of the records were lost: the latency covers only the rest.
  results[2].replications = {replication(0.5, 118588, 0.1), replication(0.5, 118588, 0.1)};
  // One replication failed.
  results[3].replications = {replication(0.5, 0, 0.2)};
  results[3].failures = {"exit code 3"};
  // Records left unfinished at the drain limit.
  results[4].replications = {replication(0.5, 0, 0.3, 5562), replication(0.5, 0, 0.3, 5562)};
  const SweepTable table(p, results);
  CHECK(table.meets(0) == true);
  CHECK(table.meets(1) == false);
  CHECK(table.meets(2) == false);
  CHECK(table.meets(3) == false);
  CHECK(table.meets(4) == false);
  CHECK(table.cheapest_meeting() == std::optional<std::size_t>(0));
  CHECK_THAT(table.shortfalls(1).at(0), Catch::Contains("latency_s.p99 ≤ 2 not met: 1.9 ± 2.54"));
  CHECK_THAT(table.shortfalls(2).at(0), Catch::Contains("records.lost 118588 > 0"));
  CHECK_THAT(table.shortfalls(3).at(0), Catch::Contains("1 of 2 replications failed"));
  CHECK_THAT(table.shortfalls(4).at(0), Catch::Contains("records.in_flight_at_end 5562 > 0"));
  CHECK_FALSE(table.partial_latency(0));
  CHECK(table.partial_latency(2));
  // A replication neither finished nor failed (a sweep stopped before it): not an ordinary row.
  std::vector<PointResults> interrupted = results;
  interrupted[0].replications.pop_back();
  const SweepTable stopped(p, interrupted);
  CHECK(stopped.meets(0) == false);
  CHECK_THAT(stopped.shortfalls(0).at(0), Catch::Contains("1 of 2 replications not run"));
  CHECK_THAT(stopped.text(), Catch::Contains("1/2"));
  CHECK_THAT(table.text(), Catch::Contains("warning: point 2: latency covers only the records processed"));
  // Losses are allowed when the objectives bound them.
  SweepGrid lossy = grid(R"({"parameters": {"a": [0, 1, 2, 3, 4]}})",
                         R"({"latency_s.p99": {"max": 2}, "records.lost": {"max": 200000}})");
  lossy.replications = 2;
  const SweepTable allowed(lossy, results);
  CHECK(allowed.meets(2) == true);
  CHECK(allowed.cheapest_meeting() == std::optional<std::size_t>(2));
}

TEST_CASE("result values are read through lists by index") {
  const json r = json::parse(R"({"consumers": [{"latency_s": {"p99": 1.5}}, {"latency_s": {"p99": 2.5}}]})");
  CHECK(result_value(r, "consumers.1.latency_s.p99") == 2.5);
  CHECK_FALSE(result_value(r, "consumers.2.latency_s.p99").has_value());
  CHECK_FALSE(result_value(r, "consumers.x.latency_s.p99").has_value());
}

TEST_CASE("a percentile's interval is never narrower than the histogram's resolution") {
  // Two replications whose p99 fell in the same histogram bucket agree exactly, but the bucket
  // is known only to ± 1/257 of its value: 1.0 ± 0.00389, not ± 0. A count has no such floor.
  const SweepGrid p = grid(R"({"parameters": {"a": [0]}})", R"({"latency_s.p99": {"max": 1.0}})");
  std::vector<PointResults> results(1);
  results[0].point = p.points[0];
  results[0].replications = {replication(1.0, 0, 1.0), replication(1.0, 0, 1.0)};
  const SweepTable table(p, results);
  REQUIRE(table.stat(0, "latency_s.p99")->ci95);
  CHECK(*table.stat(0, "latency_s.p99")->ci95 == Approx(1.0 / 257));
  CHECK(table.stat(0, "records.lost")->ci95 == std::optional<double>(0.0));
  CHECK(table.meets(0) == false);  // 1.0 + 0.00389 > 1.0
}

TEST_CASE("a sweep that fails midway stops and reaps the runs still going: no orphans") {
  // Two runs at once: replication 0 exits at once with an error, replication 1 sleeps. Writing
  // replication 0's failure record then fails (a directory stands where its temporary file
  // goes), so the sweep leaves with an error while replication 1 still runs: it must be
  // stopped and reaped, leaving this process no child at all.
  const std::string dir = test_scratch::folder("shardsim-orphans");
  const std::string script = dir + "/run.sh";
  {
    std::ofstream out(script);
    out << "#!/bin/sh\ncase \"$*\" in *\"--replication 0\"*) exit 1;; esac\nexec sleep 30\n";
  }
  REQUIRE(chmod(script.c_str(), 0755) == 0);
  SweepGrid p = grid(R"({"parameters": {"a": [1]}})");
  p.replications = 2;
  SweepOptions options;
  options.scenario_file = dir + "/none.json";
  options.out_dir = dir + "/out";
  options.jobs = 2;
  options.executable = script;
  std::filesystem::create_directories(dir + "/out/points/" + point_result_name(p.points[0], 0) + ".failed.tmp");
  CHECK_THROWS(run_sweep(p, options));
  errno = 0;
  CHECK(waitpid(-1, nullptr, WNOHANG) == -1);
  CHECK(errno == ECHILD);
}
