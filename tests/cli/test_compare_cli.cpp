// shardsim compare: variants of one workload run with the same seed, the side-by-side outputs,
// and bad variants blocks.
#include <map>

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
  // The KCL's worker pays for its process and its lease table: it is not free beside Lambda.
  CHECK(table["variants"][2]["figures"]["cost_usd.per_hour"]["mean"].get<double>() >
        table["variants"][0]["figures"]["cost_usd.per_hour"]["mean"].get<double>());
  // One CSV row per variant; the Markdown table has a column per variant; the chart's data.
  const std::string csv = read_file(dir + "/out/compare.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 4);
  CHECK_THAT(csv, Catch::Contains("\n\"PF 4, per entity\",2,"));
  CHECK_THAT(read_file(dir + "/out/compare.md"), Catch::StartsWith("| | PF 1 | PF 4, per entity | KCL |"));
  CHECK_THAT(read_file(dir + "/out/plots/compare.dat"), Catch::Contains("\"KCL\" "));
  // Each variant minus the first, replication by replication: the first is the baseline.
  CHECK(table["baseline"] == "PF 1");
  CHECK(table["variants"][0]["figures"]["concurrency.peak"]["minus_baseline"].is_null());
  CHECK(table["variants"][1]["figures"]["records.produced"]["minus_baseline"]["mean"] == 0);  // same records
  CHECK_THAT(r.out, Catch::Contains("each variant minus PF 1, replication by replication"));
  // Run again: every run is reused (nothing new is simulated), the table is the same.
  const auto again = shardsim("compare " + file + " --out " + dir + "/out --jobs 2");
  CHECK(again.exit_code == 0);
  CHECK(nlohmann::json::parse(read_file(dir + "/out/compare.json")) == table);
  // Another baseline, by name; a name that is no variant's is refused.
  const auto kcl = shardsim("compare " + file + " --out " + dir + "/out --jobs 2 --baseline KCL");
  CHECK(kcl.exit_code == 0);
  CHECK(nlohmann::json::parse(read_file(dir + "/out/compare.json"))["baseline"] == "KCL");
  const auto nope = shardsim("compare " + file + " --out " + dir + "/out --baseline 'PF 2'");
  CHECK(nope.exit_code == 2);
  CHECK_THAT(nope.out, Catch::Contains("--baseline PF 2: no variant has that name"));
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

TEST_CASE("the per-key-order comparison keeps its answer when shortened") {
  // scenarios/compare/per-key-order.json for 10 s, one replication: the README's table, smaller.
  const std::string dir = temp_dir();
  const auto r = shardsim("compare " + std::string(SHARDSIM_SOURCE_DIR) +
                          "/scenarios/compare/per-key-order.json --set duration_s=10 --set replications=1 --out " + dir +
                          " --jobs 2");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const auto table = nlohmann::json::parse(read_file(dir + "/compare.json"));
  std::map<std::string, nlohmann::json> v;
  for (const auto& variant : table["variants"]) v[variant["name"]] = variant["figures"];
  REQUIRE(v.size() == 9);
  const auto mean = [&](const std::string& name, const std::string& figure) { return v.at(name)[figure]["mean"].get<double>(); };
  // Every variant processed the same records (same seed): only the overrides differ.
  for (const auto& [name, figures] : v) CHECK(mean(name, "records.produced") == mean("Kinesis PF 1", "records.produced"));
  // The ordered ways keep every customer's records apart and in order.
  for (const char* ordered : {"Kinesis PF 1", "Kinesis PF 10, hash lanes", "Kinesis PF 10, dynamic lanes",
                              "PF 1, per-key parallel in the handler", "SQS FIFO, the customer as message group",
                              "Kafka, 4 partitions, the customer as key", "Kafka, 40 partitions"}) {
    CHECK(mean(ordered, "ordering.overlaps") == 0);
    CHECK(mean(ordered, "ordering.out_of_order") == 0);
  }
  // PF 1 on 4 shards: at most 4 at once; the lock keeps records apart but not in order; the
  // standard queue does neither.
  CHECK(mean("Kinesis PF 1", "concurrency.peak") <= 4);
  // Kafka: one batch per partition at a time.
  CHECK(mean("Kafka, 4 partitions, the customer as key", "concurrency.peak") <= 4);
  CHECK(mean("Kafka, 40 partitions", "concurrency.peak") <= 40);
  CHECK(mean("Kafka, 40 partitions", "concurrency.peak") > 4);
  CHECK(mean("PF 10, random partition keys, a lock per customer", "ordering.overlaps") == 0);
  CHECK(mean("PF 10, random partition keys, a lock per customer", "ordering.out_of_order") > 0);
  CHECK(mean("SQS standard, no order", "ordering.overlaps") > 0);
  CHECK(mean("SQS standard, no order", "ordering.out_of_order") > 0);
}

TEST_CASE("compare checks each variant's expectations and exits 4 when one does not hold") {
  // The base expects at most 2 invocations at once (2 shards, PF 1); the PF 4 variant without its
  // own block is held to that and fails (up to 8); the one with its own block passes.
  const std::string dir = temp_dir();
  std::string text = kCompare;
  text.replace(text.find("\"replications\": 2,"), 18,
               R"("replications": 2, "expect": {"concurrency.peak": {"max": 2}},)");
  const std::string kcl = R"("KCL": {"consumers.0.type": "kcl", "consumers.0.batch_size": null})";
  text.replace(text.find(kcl), kcl.size(),
               R"("PF 4, its own": {"consumers.0.parallelization_factor": 4, "expect": {"concurrency.peak": {"min": 3, "max": 8}}})");
  const std::string file = write_temp(dir, "expect.json", text);
  const auto r = shardsim("compare " + file + " --out " + dir + "/out --jobs 2");
  INFO(r.out);
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.out, Catch::Contains("expectations (2 of 3 meet theirs in every replication)"));
  CHECK_THAT(r.out, Catch::Contains("  ✔ PF 1\n  ✘ PF 4, per entity\n      concurrency.peak ≤ 2: "));
  CHECK_THAT(r.out, Catch::Contains("  ✔ PF 4, its own\n"));
  const auto table = nlohmann::json::parse(read_file(dir + "/out/compare.json"));
  CHECK(table["variants"][1]["expectations"][0]["met"] == false);
  CHECK(table["variants"][2]["expectations"][0]["met"] == true);
  CHECK(shardsim("compare " + file + " --out " + dir + "/out --jobs 2 --no-expect").exit_code == 0);
}

TEST_CASE("compare shows what a variant left unprocessed, and warns by name") {
  // A poison key fails every batch of its shard without end (retries until the records
  // expire, 24 h): that shard's records stay unprocessed, so the "blocked" variant's latency
  // covers only the other shard. The "fixed" variant has the bad key's handling fixed.
  const std::string dir = temp_dir();
  auto doc = nlohmann::json::parse(kCompare);
  doc["functions"]["f"]["errors"] = {{"poison_keys", {"key-7"}}};
  doc["limits"] = {{"drain_limit_s", 30}};
  doc["variants"] = {{"blocked", nlohmann::json::object()}, {"fixed", {{"functions.f.errors.poison_keys", nlohmann::json::array()}, {"pricing.lambda_per_gb_s", 0}}}};
  const auto r = shardsim("compare " + write_temp(dir, "blocked.json", doc.dump()) + " --out " + dir + "/out --jobs 2");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("unfinished at the end (share)") && Catch::Contains("p99 counting the unfinished"));
  CHECK_THAT(r.out, Catch::Contains("warning: blocked left"));
  CHECK_THAT(r.out, !Catch::Contains("warning: fixed left"));
  // Its Lambda time is priced at 0 there: named, so the cheaper figure is not taken at face value.
  CHECK_THAT(r.out, Catch::Contains("fixed: not priced (price 0 in the scenario): Lambda GB-seconds"));
  const auto table = nlohmann::json::parse(read_file(dir + "/out/compare.json"));
  CHECK(table["variants"][0]["figures"]["latency_s.unfinished_share"]["mean"].get<double>() > 0.01);
  CHECK(table["variants"][0]["warning"].is_string());
  CHECK(table["variants"][1]["warning"].is_null());
  CHECK_THAT(read_file(dir + "/out/compare.csv"), Catch::Contains("latency_s.lower_bound_with_unfinished.p99"));
  CHECK_THAT(read_file(dir + "/out/compare.md"), Catch::Contains("| unfinished at the end (share) |"));
  // The chart's data: p99, concurrency, cost, violations, duplicates + lost, p99 with the unfinished.
  const std::string dat = read_file(dir + "/out/plots/compare.dat");
  CHECK_THAT(dat, Catch::Contains("duplicates_and_lost p99_with_unfinished_s"));
  CHECK_THAT(r.out, Catch::Contains("plots: ") && !Catch::Contains("gnuplot failed"));
}
