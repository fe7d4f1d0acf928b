// shardsim plan: the search on a workload whose answer is derivable by hand, the report when
// nothing meets the objectives, and bad plan blocks.
#include <tuple>

#include <nlohmann/json.hpp>

#include "tests/cli/support.hpp"

using namespace cli_test;

namespace {
// 3,500 records/s of 1,000 bytes, evenly spaced, over 100,000 uniform keys, and a handler fast
// enough never to matter: only the write limit decides. Each shard takes 1,000 records/s (and
// 1 MiB/s, which 875 × ~1,010 bytes stays under), so ⌈3,500 / 1,000⌉ = 4 shards are the fewest
// with no write throttled: 3 shards get ~1,167/s each.
const char* kWriteLimited = R"({
  "duration_s": 10,
  "stream": {"shards": 1},
  "producers": [{"rate_per_s": 3500, "arrival": {"type": "constant"}, "record_bytes": {"type": "constant", "value": 1000},
                 "keys": {"type": "uniform", "count": 100000}}],
  "consumers": [{"batch_size": 1000}],
  "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.001},
                                   "per_record": {"type": "constant", "value": 0}}}},
  "replications": 2,
  "objectives": {"throttles.write": {"max": 0}},
  "plan": {"search": {"stream.shards": {"from": 1, "to": 8, "step": 1}}}
})";
}  // namespace

TEST_CASE("plan finds the shard count the write limit calls for, in fewer runs than the grid") {
  const std::string dir = temp_dir();
  const std::string file = write_temp(dir, "write-limited.json", kWriteLimited);
  const auto r = shardsim("plan " + file + " --out " + dir + "/plan --jobs 2");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const auto plan = nlohmann::json::parse(read_file(dir + "/plan/plan.json"));
  CHECK(plan["best"]["configuration"]["stream.shards"] == 4);
  // Bisection over 1 … 8: 4 shards meet, then 2 and 3 fail: 3 points × 2 replications, of a
  // 16-run grid.
  CHECK(plan["runs"] == 6);
  CHECK(plan["grid_size"] == 16);
  CHECK(plan["static_estimate"]["shards_for_writes"] == 4);
  CHECK(plan["cheaper_failing"]["stream.shards"]["value"] == 3);
  // The chosen scenario, run on its own, meets the objective.
  const auto best = shardsim("run " + dir + "/plan/plan-best.json --quiet --json -");
  REQUIRE(best.exit_code == 0);
  CHECK(nlohmann::json::parse(best.out)["throttles"]["write"] == 0);
  // Same scenario, same plan.
  REQUIRE(shardsim("plan " + file + " --out " + dir + "/again --jobs 2").exit_code == 0);
  CHECK(read_file(dir + "/plan/plan.json") == read_file(dir + "/again/plan.json"));
}

TEST_CASE("plan says so when nothing meets the objectives, and names the objective that fails everywhere") {
  const std::string dir = temp_dir();
  std::string text = kWriteLimited;
  text.replace(text.find("\"to\": 8"), 7, "\"to\": 3");
  const auto r = shardsim("plan " + write_temp(dir, "too-few.json", text) + " --out " + dir + "/plan --jobs 2");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("no configuration in the search meets the objectives"));
  CHECK_THAT(r.out, Catch::Contains("fails at every point tried: throttles.write ≤ 0"));
  const auto plan = nlohmann::json::parse(read_file(dir + "/plan/plan.json"));
  CHECK(plan["best"].is_null());
  CHECK(plan["closest"]["configuration"]["stream.shards"] == 3);
}

TEST_CASE("a bad plan block is refused with the field named") {
  const std::string dir = temp_dir();
  const auto refused = [&](const std::string& plan, const std::string& field) {
    std::string text = kWriteLimited;
    const auto at = text.find("\"plan\":");
    text = text.substr(0, at) + "\"plan\": " + plan + "\n}";
    const auto r = shardsim("plan " + write_temp(dir, "bad.json", text) + " --out " + dir + "/out");
    INFO(plan << "\n" << r.out);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.out, Catch::Contains(field));
  };
  refused(R"({"serach": {"stream.shards": [1, 2]}})", "plan.serach");
  refused(R"({"minimize": "cost_usd.totl", "search": {"stream.shards": [1, 2]}})", "plan.minimize");
  refused(R"({"search": {"stream.shards": [0, 2]}})", "plan.search.stream.shards");
  refused(R"({"search": {"stream.shards": [4, 2]}})", "increasing order");
  refused(R"({"search": {}})", "plan.search");
}

TEST_CASE("the plan examples answer in fewer runs than their grids") {
  // The counts are this search's (a consistency check that pins its pruning), each well under
  // the full grid.
  const std::string dir = temp_dir();
  const std::vector<std::tuple<std::string, int, int, bool>> examples = {
      {"steady", 48, 112, true}, {"diurnal", 18, 36, true}, {"hot-key", 44, 80, true}, {"unmeetable", 12, 20, false}};
  for (const auto& [name, runs, grid, met] : examples) {
    const auto r = shardsim("plan scenarios/plan/" + name + ".json --out " + dir + "/" + name + " --jobs 2");
    INFO(name << "\n" << r.out);
    REQUIRE(r.exit_code == 0);
    const auto plan = nlohmann::json::parse(read_file(dir + "/" + name + "/plan.json"));
    CHECK(plan["runs"] == runs);
    CHECK(plan["grid_size"] == grid);
    CHECK(plan["best"].is_null() != met);
  }
}

TEST_CASE("plan --budget stops the search at the runs it allows") {
  // The first round probes 4 shards (2 runs); the second would probe 2 shards (2 more): a
  // budget of 3 allows only the first, which meets the objective, so it is the answer.
  const std::string dir = temp_dir();
  const auto r = shardsim("plan " + write_temp(dir, "write-limited.json", kWriteLimited) + " --out " + dir +
                          "/plan --jobs 2 --budget 3");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("stopped by --budget"));
  const auto plan = nlohmann::json::parse(read_file(dir + "/plan/plan.json"));
  CHECK(plan["runs"] == 2);
  CHECK(plan["budget_exhausted"] == true);
  CHECK(plan["best"]["configuration"]["stream.shards"] == 4);
}
