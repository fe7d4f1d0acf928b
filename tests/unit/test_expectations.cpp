// The expect block's checker: bounds hold exactly at their values, and absent numbers fail
// except ordering cause counts, which are 0 when the cause never occurred.
#include <catch2/catch.hpp>

#include "analysis/expectations.hpp"

using namespace shardsim;

namespace {
std::vector<Expectation> read(const char* text) {
  std::vector<std::pair<std::string, std::string>> problems;
  auto e = read_expectations(nlohmann::json::parse(text), problems);
  REQUIRE(problems.empty());
  return e;
}

bool met(const char* expect, const nlohmann::json& result) {
  const auto checks = check_expectations(read(expect), result);
  REQUIRE(checks.size() == 1);
  return checks.front().met;
}
}  // namespace

TEST_CASE("an expectation passes at its bounds and fails just beyond them") {
  const nlohmann::json r = {{"latency_s", {{"p99", 2.0}}}, {"ordering", {{"safe", true}, {"causes", {{"out_of_order/lineage", 3}}}}},
                            {"consumers", {{{"records", {{"processed", 10}}}}}}};
  CHECK(met(R"({"latency_s.p99": {"max": 2}})", r));
  CHECK_FALSE(met(R"({"latency_s.p99": {"max": 1.999999}})", r));
  CHECK(met(R"({"latency_s.p99": {"min": 2}})", r));
  CHECK_FALSE(met(R"({"latency_s.p99": {"min": 2.000001}})", r));
  CHECK(met(R"({"latency_s.p99": {"min": 1, "max": 3}})", r));
  CHECK(met(R"({"latency_s.p99": {"equals": 2}})", r));
  CHECK_FALSE(met(R"({"latency_s.p99": {"equals": 2.5}})", r));
  CHECK(met(R"({"ordering.safe": {"equals": true}})", r));
  CHECK_FALSE(met(R"({"ordering.safe": {"equals": false}})", r));
  CHECK(met(R"({"consumers.0.records.processed": {"equals": 10}})", r));
  // A cause that occurred counts; one that did not is 0; a number the result lacks fails.
  CHECK(met(R"({"ordering.causes.out_of_order/lineage": {"min": 3}})", r));
  CHECK(met(R"({"ordering.causes.overlap/lineage": {"equals": 0}})", r));
  CHECK_FALSE(met(R"({"ordering.causes.overlap/lineage": {"min": 1}})", r));
  CHECK_FALSE(met(R"({"latency_s.p50": {"max": 10}})", r));
  const auto checks = check_expectations(read(R"({"latency_s.p99": {"max": 1}})"), r);
  CHECK(checks.front().describe() == "latency_s.p99 ≤ 1: 2  ✘");
}

TEST_CASE("the diagnosis's words are expected by equality") {
  const nlohmann::json r = {{"diagnosis", {{"bound", "keys"}, {"cause", "lane"}, {"share", 0.9}}}};
  CHECK(met(R"({"diagnosis.bound": {"equals": "keys"}})", r));
  CHECK_FALSE(met(R"({"diagnosis.bound": {"equals": "lanes"}})", r));
  CHECK(met(R"({"diagnosis.cause": {"equals": "lane"}})", r));
  CHECK(met(R"({"diagnosis.share": {"min": 0.9}})", r));
  // A run without a diagnosis (a queue) fails it.
  CHECK_FALSE(met(R"({"diagnosis.bound": {"equals": "keys"}})", nlohmann::json{{"diagnosis", nullptr}}));
  const auto checks = check_expectations(read(R"({"diagnosis.bound": {"equals": "lanes"}})"), r);
  CHECK(checks.front().describe() == "diagnosis.bound = lanes: keys  ✘");
  std::vector<std::pair<std::string, std::string>> problems;
  read_expectations(nlohmann::json::parse(R"({"diagnosis.bound": {"min": 2}})"), problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].first == "expect.diagnosis.bound");
}

TEST_CASE("a malformed expectation is reported with its path") {
  std::vector<std::pair<std::string, std::string>> problems;
  read_expectations(nlohmann::json::parse(R"({"latency_s.p99": {"below": 2}, "ordering.safe": 3})"), problems);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].first == "expect.latency_s.p99.below");
  CHECK(problems[1].first == "expect.ordering.safe");
}

TEST_CASE("a point's expectation holds only when every replication meets it") {
  // Two replications of one point, each with the expect block its run had (configuration.expect).
  const auto run = [](int replication, int peak) {
    return nlohmann::json{{"scenario", {{"replication", replication}}},
                          {"concurrency", {{"peak", peak}}},
                          {"configuration", {{"expect", {{"concurrency.peak", {{"max", 4}}}}}}}};
  };
  const PointExpectations both = judge_point("PF 1", {run(0, 3), run(1, 4)});
  REQUIRE(both.checks.size() == 1);
  CHECK(both.met());
  CHECK(both.replication[0] == 1);  // the last replication shown when all meet it
  const PointExpectations one = judge_point("PF 4", {run(0, 3), run(1, 5), run(2, 6)});
  CHECK_FALSE(one.met());
  CHECK(one.replication[0] == 1);  // the first replication that failed
  CHECK(*one.checks[0].actual == 5);
  CHECK(one.json()[0]["met"] == false);
  const std::string text = expectations_text({both, one, judge_point("none", {nlohmann::json::object()})});
  CHECK(text.find("expectations (1 of 2 meet theirs in every replication)") == 0);
  CHECK(text.find("✘ PF 4\n      concurrency.peak ≤ 4: 5  ✘ (replication 1)") != std::string::npos);
  CHECK(text.find("none") == std::string::npos);  // a point without expectations is not listed
  CHECK(expectations_text({judge_point("none", {})}).empty());
}
