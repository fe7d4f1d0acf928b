// shardsim compare: variants of one workload run with the same seed, the side-by-side outputs,
// and bad variants blocks.
#include <nlohmann/json.hpp>

#include "tests/cli/support.hpp"

using namespace cli_test;

namespace {
// 300 records/s over 30 keys on 2 shards for 10 s; the variants change only how they are read.
const char* kCompare = R"({
  "seed": 5,
  "duration_s": 10,
  "stream": {"shards": 2},
  "producers": [{"rate_per_s": 300, "keys": {"type": "uniform", "count": 30}}],
  "consumers": [{"batch_size": 20}],
  "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.01},
                                   "per_record": {"type": "constant", "value": 0.002}}}},
  "replications": 2,
  "variants": {
    "PF 1": {},
    "PF 4, per entity": {"consumers.0.parallelization_factor": 4},
    "KCL": {"consumers.0.type": "kcl", "consumers.0.batch_size": null}
  }
})";
}  // namespace

TEST_CASE("compare runs every variant on the same records and sets them side by side") {
  const std::string dir = temp_dir();
  const std::string file = write_temp(dir, "compare.json", kCompare);
  const auto r = shardsim("compare " + file + " --out " + dir + "/out --jobs 2");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("3 variants × 2 replications"));
  const auto table = nlohmann::json::parse(read_file(dir + "/out/compare.json"));
  REQUIRE(table["variants"].size() == 3);
  CHECK(table["variants"][0]["name"] == "PF 1");
  CHECK(table["variants"][2]["name"] == "KCL");  // the file's order, not alphabetical
  // Same seed, same workload: every variant processed the same records.
  const auto produced = table["variants"][0]["figures"]["records.produced"]["mean"];
  for (const auto& v : table["variants"]) {
    CHECK(v["replications"] == 2);
    CHECK(v["figures"]["records.produced"]["mean"] == produced);
  }
  // PF 1 on 2 shards runs at most 2 invocations at once; PF 4 up to 8; the KCL none on Lambda.
  CHECK(table["variants"][0]["figures"]["concurrency.peak"]["mean"] <= 2);
  CHECK(table["variants"][1]["figures"]["concurrency.peak"]["mean"] > 2);
  CHECK(table["variants"][2]["figures"]["concurrency.peak"]["mean"] == 0);
  // One CSV row per variant; the Markdown table has a column per variant; the chart's data.
  const std::string csv = read_file(dir + "/out/compare.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 4);
  CHECK_THAT(csv, Catch::Contains("\n\"PF 4, per entity\",2,"));
  CHECK_THAT(read_file(dir + "/out/compare.md"), Catch::StartsWith("| | PF 1 | PF 4, per entity | KCL |"));
  CHECK_THAT(read_file(dir + "/out/plots/compare.dat"), Catch::Contains("\"KCL\" "));
  // Run again: every run is reused (nothing new is simulated), the table is the same.
  const auto again = shardsim("compare " + file + " --out " + dir + "/out --jobs 2");
  CHECK(again.exit_code == 0);
  CHECK(nlohmann::json::parse(read_file(dir + "/out/compare.json")) == table);
}

TEST_CASE("compare refuses a file without variants, and a variant that is not a valid scenario") {
  const std::string dir = temp_dir();
  const std::string base = R"({"producers": [{}], "consumers": [{}], "functions": {"f": {}}, )";
  const auto none = shardsim("compare " + write_temp(dir, "none.json", base + R"("duration_s": 5})"));
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.out, Catch::Contains("a compare file needs \"variants\""));
  const auto bad = shardsim("compare " + write_temp(dir, "bad.json", base + R"("variants": {"wide": {"consumers.0.parallelization_factor": 11}}})"));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.out, Catch::Contains("variants.wide: consumers[0].parallelization_factor"));
  const auto path = shardsim("compare " + write_temp(dir, "path.json", base + R"("variants": {"typo": {"consumers.0.paralelization_factor": 2}}})"));
  CHECK(path.exit_code == 2);
  CHECK_THAT(path.out, Catch::Contains("variants.typo"));
  const auto shape = shardsim("compare " + write_temp(dir, "shape.json", base + R"("variants": {"x": 3}})"));
  CHECK(shape.exit_code == 2);
  CHECK_THAT(shape.out, Catch::Contains("variants.x: expected {\"dotted.path\": value"));
}
