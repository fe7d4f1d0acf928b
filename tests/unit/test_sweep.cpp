#include <catch2/catch.hpp>

#include "analysis/sweep_table.hpp"
#include "sim/sweep.hpp"

using namespace shardsim;
using nlohmann::json;

namespace {
SweepPlan plan(const char* sweep, const char* objectives = "null", std::vector<std::string> order = {}) {
  Diagnostics d;
  SweepPlan p = plan_sweep(json::parse(sweep), json::parse(objectives), 1, "s.json", d, order);
  INFO(d.format());
  CHECK_FALSE(d.has_errors());
  return p;
}
std::string errors(const char* sweep) {
  Diagnostics d;
  plan_sweep(json::parse(sweep), json(), 1, "s.json", d);
  return d.format();
}
}  // namespace

TEST_CASE("a product sweep varies the first parameter slowest") {
  const auto p = plan(R"({"parameters": {"a": [1, 2], "b": ["x", "y", "z"]}})", "null", {"a", "b"});
  REQUIRE(p.points.size() == 6);
  CHECK(p.points[0].label() == "a=1 b=\"x\"");
  CHECK(p.points[2].label() == "a=1 b=\"z\"");
  CHECK(p.points[3].label() == "a=2 b=\"x\"");
  CHECK(p.points[5].overrides() == std::vector<std::string>{"a=2", "b=\"z\""});
}

TEST_CASE("the file's parameter order wins over the alphabet") {
  const auto p = plan(R"({"parameters": {"a": [1, 2], "b": [3]}})", "null", {"b", "a"});
  CHECK(p.parameters[0].path == "b");
  CHECK(p.points[1].label() == "b=3 a=2");
}

TEST_CASE("a zip sweep pairs the lists") {
  const auto p = plan(R"({"mode": "zip", "parameters": {"a": [1, 2, 3], "b": [10, 20, 30]}})");
  REQUIRE(p.points.size() == 3);
  CHECK(p.points[1].label() == "a=2 b=20");
  CHECK_THAT(errors(R"({"mode": "zip", "parameters": {"a": [1, 2], "b": [1]}})"), Catch::Contains("zip needs lists of one length"));
}

TEST_CASE("ranges expand by step or factor") {
  const auto geometric = plan(R"({"parameters": {"s": {"from": 1, "to": 64, "factor": 2}}})");
  REQUIRE(geometric.points.size() == 7);
  CHECK(geometric.points.back().label() == "s=64");
  const auto linear = plan(R"({"parameters": {"w": {"from": 0, "to": 1, "step": 0.25}}})");
  REQUIRE(linear.points.size() == 5);
  CHECK(linear.points[2].settings[0].second.get<double>() == 0.5);
  CHECK_THAT(errors(R"({"parameters": {"s": {"from": 1, "to": 8}}})"), Catch::Contains("exactly one of \"step\""));
  CHECK_THAT(errors(R"({"parameters": {"s": {"from": 1, "to": 8, "stride": 2}}})"), Catch::Contains("unknown field"));
  CHECK_THAT(errors(R"({"mode": "grid", "parameters": {"s": [1]}})"), Catch::Contains("sweep.mode"));
  CHECK_THAT(errors(R"({"parameters": {}})"), Catch::Contains("at least one entry"));
}

TEST_CASE("objectives are read as min/max bounds") {
  const auto p = plan(R"({"parameters": {"a": [1]}})", R"({"latency_s.p99": {"max": 2}, "records.processed": {"min": 10}})");
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
