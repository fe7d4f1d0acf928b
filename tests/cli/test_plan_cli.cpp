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

namespace {
// Runs `plan` and the whole grid as a sweep (the scenario's plan.search as sweep.parameters) and
// returns both answers: the plan's chosen configuration and the grid's cheapest point meeting the
// objectives (null when none). Same points, same seeds: the same numbers.
std::pair<nlohmann::json, nlohmann::json> plan_and_grid(const std::string& scenario, const std::string& search) {
  const std::string dir = temp_dir();
  auto doc = nlohmann::json::parse(scenario);
  doc["plan"] = {{"search", nlohmann::json::parse(search)}};
  doc["sweep"] = {{"parameters", nlohmann::json::parse(search)}};
  const std::string file = write_temp(dir, "s.json", doc.dump());
  const auto plan_run = shardsim("plan " + file + " --out " + dir + "/plan --jobs 2");
  INFO(plan_run.out);
  REQUIRE(plan_run.exit_code == 0);
  const auto sweep_run = shardsim("sweep " + file + " --out " + dir + "/grid --jobs 2");
  INFO(sweep_run.out);
  REQUIRE(sweep_run.exit_code < 2);
  const auto plan = nlohmann::json::parse(read_file(dir + "/plan/plan.json"));
  const auto grid = nlohmann::json::parse(read_file(dir + "/grid/results.json"));
  nlohmann::json cheapest = nullptr;
  if (!grid["cheapest_meeting_objectives"].is_null())
    cheapest = grid["points"][grid["cheapest_meeting_objectives"].get<std::size_t>()]["settings"];
  CHECK(plan["runs"].get<int>() <= plan["grid_size"].get<int>());
  return {plan["best"].is_null() ? nlohmann::json(nullptr) : plan["best"]["configuration"], cheapest};
}
}  // namespace

TEST_CASE("plan finds the grid's cheapest meeting point: the write limit decides") {
  const auto [plan, grid] = plan_and_grid(kWriteLimited, R"({"stream.shards": {"from": 1, "to": 8}})");
  CHECK(plan == grid);
  REQUIRE_FALSE(plan.is_null());
  CHECK(plan["stream.shards"] == 4);  // ⌈3,500 / 1,000⌉, derived above
}

TEST_CASE("plan finds the grid's cheapest meeting point: a steady load with PF and shards to choose") {
  // 1,200 records/s, a 20 ms + 10 ms/record handler: capacity and the concurrency bound decide.
  const auto [plan, grid] = plan_and_grid(R"({"duration_s": 20, "seed": 5,
    "producers": [{"rate_per_s": 1200, "keys": {"type": "uniform", "count": 10000}}],
    "consumers": [{"batch_size": 50}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.02},
                                     "per_record": {"type": "exponential", "mean": 0.01}}}},
    "replications": 2, "objectives": {"latency_s.p99": {"max": 3}, "throttles.write": {"max": 0}}})",
                                          R"({"stream.shards": {"from": 1, "to": 8}, "consumers.0.parallelization_factor": [1, 2, 4]})");
  CHECK(plan == grid);
  CHECK_FALSE(plan.is_null());
}

TEST_CASE("plan finds the grid's cheapest meeting point: a batching window, where more shards are slower") {
  // 1,500 records/s in batches of 1,000 gathered for up to 10 s: on n shards a batch fills in
  // 1,000 × n / 1,500 s, so p99 ≤ 4 s takes few shards, and 1 shard is over its write limit:
  // only 2 … 4 shards meet both. A bisection from the middle sees latency grow with shards.
  const auto [plan, grid] = plan_and_grid(R"({"duration_s": 300,
    "producers": [{"rate_per_s": 1500, "arrival": {"type": "constant"}, "keys": {"type": "uniform", "count": 10000}}],
    "consumers": [{"batch_size": 1000, "batching_window_s": 10}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.01},
                                     "per_record": {"type": "constant", "value": 0.0001}}}},
    "replications": 2, "objectives": {"latency_s.p99": {"max": 4}, "throttles.write": {"max": 0}}})",
                                          R"({"stream.shards": {"from": 1, "to": 12}})");
  CHECK(plan == grid);
  REQUIRE_FALSE(plan.is_null());
  CHECK(plan["stream.shards"] == 2);
}

TEST_CASE("plan finds the grid's cheapest meeting point: an entity over several keys is ordered only on one shard") {
  // Customers' records go out under 100 order keys: on one shard (PF 1) a customer is read in
  // order; on more, its keys are read apart and it is reordered. More shards never cure that.
  const auto [plan, grid] = plan_and_grid(R"({"duration_s": 20,
    "producers": [{"rate_per_s": 200, "keys": {"type": "uniform", "count": 100},
                   "entity": {"type": "uniform", "count": 10}, "order_by": "entity"}],
    "consumers": [{"batch_size": 10}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.01},
                                     "per_record": {"type": "constant", "value": 0.001}}}},
    "replications": 2, "objectives": {"ordering.safe": {"min": 1}}})",
                                          R"({"stream.shards": {"from": 1, "to": 8}})");
  CHECK(plan == grid);
  REQUIRE_FALSE(plan.is_null());
  CHECK(plan["stream.shards"] == 1);
}

TEST_CASE("plan reads the write limit's shard count and the one below it") {
  const std::string dir = temp_dir();
  const std::string file = write_temp(dir, "write-limited.json", kWriteLimited);
  const auto r = shardsim("plan " + file + " --out " + dir + "/plan --jobs 2");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const auto plan = nlohmann::json::parse(read_file(dir + "/plan/plan.json"));
  CHECK(plan["best"]["configuration"]["stream.shards"] == 4);
  CHECK(plan["grid_size"] == 16);
  CHECK(plan["static_estimate"]["shards_for_writes"] == 4);
  CHECK(plan["cheaper_failing"]["stream.shards"]["value"] == 3);
  // 3 shards drop records their producers gave up on: that comes first, before the write
  // throttles it follows from; the Markdown table has the lost records.
  CHECK_THAT(plan["cheaper_failing"]["stream.shards"]["shortfalls"][0].get<std::string>(), Catch::StartsWith("records.lost"));
  CHECK_THAT(r.out, Catch::Contains("stream.shards = 3 costs less but fails: records.lost"));
  CHECK_THAT(read_file(dir + "/plan/plan.md"), Catch::Contains("| point | meets | records.lost | records.in_flight_at_end |"));
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
  refused(R"({"headroom": 1.5, "search": {"stream.shards": [1, 2]}})", "plan.headroom");
}

TEST_CASE("the plan examples answer in fewer runs than their grids") {
  const std::string dir = temp_dir();
  const std::vector<std::tuple<std::string, int, bool>> examples = {
      {"steady", 112, true}, {"diurnal", 36, true}, {"hot-key", 80, true}, {"unmeetable", 20, false}};
  for (const auto& [name, grid, met] : examples) {
    const auto r = shardsim("plan scenarios/plan/" + name + ".json --out " + dir + "/" + name + " --jobs 2");
    INFO(name << "\n" << r.out);
    REQUIRE(r.exit_code == 0);
    const auto plan = nlohmann::json::parse(read_file(dir + "/" + name + "/plan.json"));
    CHECK(plan["runs"] < grid);
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
