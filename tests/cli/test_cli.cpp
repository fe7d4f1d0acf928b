// The shardsim binary on scenario files: exit codes, messages, determinism, result schema.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "tests/cli/support.hpp"

using namespace cli_test;

TEST_CASE("run prints a summary and exits 0") {
  const auto r = shardsim("run scenarios/quickstart.json");
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("end-to-end latency") && Catch::Contains("peak / limit"));
}

TEST_CASE("same scenario and seed give byte-identical JSON, another seed does not") {
  const std::string dir = temp_dir();
  REQUIRE(shardsim("run scenarios/quickstart.json --quiet --json " + dir + "/a.json").exit_code == 0);
  REQUIRE(shardsim("run scenarios/quickstart.json --quiet --json " + dir + "/b.json").exit_code == 0);
  REQUIRE(shardsim("run scenarios/quickstart.json --quiet --seed 8 --json " + dir + "/c.json").exit_code == 0);
  const std::string a = read_file(dir + "/a.json");
  CHECK(!a.empty());
  CHECK(a == read_file(dir + "/b.json"));
  CHECK(a != read_file(dir + "/c.json"));
}

TEST_CASE("reshards and on-demand scaling are deterministic too") {
  const std::string dir = temp_dir();
  for (const std::string run : {"scenarios/examples/merge-after-peak.json",
                                "scenarios/examples/on-demand-burst.json --set duration_s=200 "
                                "--set stream.on_demand.scale_delay_s=30 --set producers.0.arrival.points.1.at_s=60"}) {
    REQUIRE(shardsim("run " + run + " --quiet --json " + dir + "/a.json").exit_code == 0);
    REQUIRE(shardsim("run " + run + " --quiet --json " + dir + "/b.json").exit_code == 0);
    const std::string a = read_file(dir + "/a.json");
    INFO(run);
    CHECK(a.find("\"splits\": 0,\n    \"merges\": 0") == std::string::npos);  // the stream did change shape
    CHECK(a == read_file(dir + "/b.json"));
  }
}

TEST_CASE("the result JSON carries the documented names") {
  const auto r = shardsim("run scenarios/quickstart.json --quiet --json -");
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("schema_version").get<int>() == 1);
  for (const char* key : {"produced", "written", "write_throttled", "dropped", "processed", "lost", "in_flight_at_end"})
    CHECK(j.at("records").contains(key));
  for (const char* key : {"mean", "p50", "p90", "p99", "p999", "max"}) CHECK(j.at("latency_s").contains(key));
  CHECK(j.at("concurrency").contains("peak"));
  CHECK(j.at("concurrency").at("limit").get<int>() == 4);  // 4 shards × PF 1
  CHECK(j.at("sim").at("wall_s").is_null());               // only with --timing
  CHECK(j.at("records").at("produced").get<long>() ==
        j.at("records").at("processed").get<long>() + j.at("records").at("lost").get<long>() +
            j.at("records").at("in_flight_at_end").get<long>());
}

TEST_CASE("run --out writes the result and the resolved scenario") {
  const std::string dir = temp_dir() + "/out";
  REQUIRE(shardsim("run scenarios/quickstart.json --quiet --out " + dir).exit_code == 0);
  CHECK(nlohmann::json::parse(read_file(dir + "/result.json")).contains("records"));
  CHECK(nlohmann::json::parse(read_file(dir + "/scenario.json")).at("stream").at("shards") == 4);
}

TEST_CASE("a broken scenario lists every problem and exits 2") {
  const std::string dir = temp_dir();
  const auto file = write_temp(dir, "broken.json", R"({
  "duration_s": -1,
  "stream": {"shards": 0},
  "producers": [{"rate_per_s": 10, "keys": {"type": "zipff"}}],
  "consumers": [{"batch_size": 0, "functon": "f"}],
  "functions": {"f": {}}
})");
  const auto r = shardsim("validate " + file);
  INFO(r.out);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.out, Catch::Contains("broken.json:2:3: error: duration_s"));
  CHECK_THAT(r.out, Catch::Contains("stream.shards"));
  CHECK_THAT(r.out, Catch::Contains("producers[0].keys.type"));
  CHECK_THAT(r.out, Catch::Contains("consumers[0].batch_size"));
  CHECK_THAT(r.out, Catch::Contains("consumers[0].functon: unknown field (did you mean \"function\"?)"));
  CHECK_THAT(r.out, Catch::Contains("5 error(s)"));
  CHECK_THAT(r.out, !Catch::Contains("terminate") && !Catch::Contains("Aborted"));
}

TEST_CASE("invalid input of every kind exits 2 with a message") {
  CHECK(shardsim("run scenarios/does-not-exist.json").exit_code == 2);
  CHECK(shardsim("run scenarios/quickstart.json --set stream.shards=0").exit_code == 2);
  CHECK(shardsim("run scenarios/quickstart.json --set nonsense").exit_code == 2);
  CHECK(shardsim("run scenarios/quickstart.json --no-such-option").exit_code == 2);
  CHECK(shardsim("frobnicate").exit_code == 2);
  CHECK(shardsim("").exit_code == 2);
  const std::string dir = temp_dir();
  const auto r = shardsim("validate " + write_temp(dir, "not-json.json", "{ this is not json"));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.out, Catch::Contains("not-json.json:1:") && Catch::Contains("invalid JSON"));
}

TEST_CASE("validate --print shows the resolved scenario with overrides and defaults") {
  const auto r = shardsim("validate scenarios/quickstart.json --print --set consumers.0.batch_size=7");
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("consumers").at(0).at("batch_size") == 7);
  CHECK(j.at("consumers").at(0).at("poll_interval_s") == 1.0);  // a default
  CHECK(j.at("lambda").at("account_concurrency") == 1000);
}

TEST_CASE("a safety limit ends the run with exit code 3") {
  const std::string dir = temp_dir();
  const auto r = shardsim("run scenarios/quickstart.json --quiet --json " + dir + "/r.json --set limits.max_backlog_records=10 --set 'functions.process.duration.per_invocation={\"type\":\"constant\",\"value\":5}'");
  INFO(r.out);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.out, Catch::Contains("max_backlog_records"));
  CHECK_THAT(read_file(dir + "/r.json"), Catch::Contains(R"("completion": "safety_limit")"));
}

TEST_CASE("help, version and exit codes are documented") {
  const auto help = shardsim("--help");
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("Exit codes") && Catch::Contains("run") && Catch::Contains("validate"));
  const auto run_help = shardsim("run --help");
  CHECK(run_help.exit_code == 0);
  CHECK_THAT(run_help.out, Catch::Contains("--set") && Catch::Contains("--seed") && Catch::Contains("--json"));
  const auto version = shardsim("--version");
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Catch::StartsWith("shardsim "));
}

TEST_CASE("SimGrid's --cfg/--log pass through instead of being rejected") {
  const auto r = shardsim("run scenarios/quickstart.json --quiet --log=root.thresh:critical");
  INFO(r.out);
  CHECK(r.exit_code == 0);
}

TEST_CASE("keys prints MD5 hash keys and shards") {
  const auto r = shardsim("keys --shards 2 a b");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("a\t16955237001963240173058271559858726497\tshardId-000000000000"));
  CHECK_THAT(r.out, Catch::Contains("b\t195289424170611159128911017612795795343\tshardId-000000000001"));
}

TEST_CASE("keys --at answers for a scenario's shards at a time") {
  // scale-out.json: 4 shards, UpdateShardCount to 8 at 60 s (each shard split in its middle:
  // 0 → 4, 5; 1 → 6, 7; 2 → 8, 9). MD5 hash keys as fractions of 2^128: "a" 0.0498 (under
  // 1/8: shard 0, then 4), "b" 0.5739 (shard 2, then its lower child 8), "c" 0.2912 (shard 1,
  // then its lower child 6).
  const std::string scenario = std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/examples/scale-out.json";
  const auto before = shardsim("keys " + scenario + " --at 59.9 a b c");
  REQUIRE(before.exit_code == 0);
  CHECK_THAT(before.out, Catch::Contains("at 59.9 s: 4 open shards"));
  CHECK_THAT(before.out, Catch::Contains("a\t16955237001963240173058271559858726497\tshardId-000000000000"));
  CHECK_THAT(before.out, Catch::Contains("b\t195289424170611159128911017612795795343\tshardId-000000000002"));
  const auto after = shardsim("keys " + scenario + " --at 60 a b c");
  CHECK_THAT(after.out, Catch::Contains("at 60 s: 8 open shards"));
  CHECK_THAT(after.out, Catch::Contains("a\t16955237001963240173058271559858726497\tshardId-000000000004"));
  CHECK_THAT(after.out, Catch::Contains("b\t195289424170611159128911017612795795343\tshardId-000000000008"));
  CHECK_THAT(after.out, Catch::Contains("c\t99079589977253916124855502156832923443\tshardId-000000000006"));
  CHECK(shardsim("keys --at 5 a").exit_code == 2);  // no scenario and key
  CHECK(shardsim("keys /nonexistent.json --at 5 a").exit_code == 2);
}

TEST_CASE("keys --at on a table runs it: its partitions split as the traffic asks") {
  // dynamodb-hot-partition-split.json: one partition under 1,500 WCU/s for split_after_s = 60 s
  // splits at the end of its 60th second: shard 0 closes at 60 s, shard 1 takes the lower half
  // of the hash key space ("a", 0.0498 of 2^128) and shard 2 the upper ("b", 0.5739).
  const std::string scenario = std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/examples/dynamodb-hot-partition-split.json";
  const auto r = shardsim("keys " + scenario + " --at 61 a b");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("at 61 s: 2 open shards (as this run, seed 3, split and rolled over the table's shards)"));
  CHECK_THAT(r.out, Catch::Contains("a\t16955237001963240173058271559858726497\tshardId-000000000001"));
  CHECK_THAT(r.out, Catch::Contains("b\t195289424170611159128911017612795795343\tshardId-000000000002"));
}

TEST_CASE("keys --pf prints each key's hash lane: the MD5 digest's last 8 bytes, big-endian, mod PF") {
  // Computed independently (Python's hashlib): MD5("customer-1") is
  // 206123531217924687484981189258678458385 (shard 2 of 4); its last 8 bytes mod 3 = 1 and
  // mod 10 = 7. MD5("3"): shard 3 of 4, lanes 2 (PF 3) and 1 (PF 10). A rule that took the
  // whole 128-bit value mod PF would give other lanes: customer-1 mod 10 = 5, "3" mod 3 = 1.
  const auto three = shardsim("keys --shards 4 --pf 3 customer-1 3");
  REQUIRE(three.exit_code == 0);
  CHECK_THAT(three.out, Catch::Contains("customer-1\t206123531217924687484981189258678458385\tshardId-000000000002\tlane 1"));
  CHECK_THAT(three.out, Catch::Contains("\tshardId-000000000003\tlane 2"));
  const auto ten = shardsim("keys --shards 4 --pf 10 customer-1 3");
  CHECK_THAT(ten.out, Catch::Contains("shardId-000000000002\tlane 7"));
  CHECK_THAT(ten.out, Catch::Contains("shardId-000000000003\tlane 1"));
  // The same ranges as stream.shards and consumers[].parallelization_factor.
  CHECK(shardsim("keys --shards 10001 a").exit_code == 2);
  CHECK(shardsim("keys --shards 4 --pf 11 a").exit_code == 2);
}

TEST_CASE("the field reference in scenarios/README.md is the one the binary prints") {
  const auto r = shardsim("fields --markdown");
  REQUIRE(r.exit_code == 0);
  const std::string readme = read_file(std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/README.md");
  INFO("regenerate with: shardsim fields --markdown, and paste between the markers in scenarios/README.md");
  CHECK(readme.find(r.out) != std::string::npos);
}

TEST_CASE("every scenario in the tree validates, and the examples run with balanced books") {
  // (scenarios/calibration holds AWS CLI outputs for calibrate, tested in test_calibrate_cli.cpp)
  const auto list = shardsim_list("find scenarios -name '*.json' -not -path '*/calibration/*' | sort");
  REQUIRE(list.size() >= 10);
  for (const auto& file : list) {
    const auto r = shardsim("validate " + file);
    INFO(file << ": " << r.out);
    CHECK(r.exit_code == 0);
    if (file.find("/bench/") != std::string::npos) continue;  // benchmarks are for the bench label
    const auto run = shardsim("run " + file + " --quiet");
    INFO(run.out);
    CHECK(run.exit_code == 0);
  }
}

TEST_CASE("the classroom timeline draws each lane's keys") {
  const auto r = shardsim("run scenarios/teaching/classroom-keys.json --quiet --gantt --gantt-width 45 "
                          "--set consumers.0.parallelization_factor=2");
  REQUIRE(r.exit_code == 0);
  // PF 2 with hash lanes: keys 2 and 4 share lane 0, keys 1 and 3 lane 1 (6 s, 45 columns).
  CHECK_THAT(r.out, Catch::Contains("lane 0 |       22222222444444422222222               |"));
  CHECK_THAT(r.out, Catch::Contains("lane 1 |       11111111111111133333333111111111111111|"));
}

TEST_CASE("run --trace writes a Chrome trace and --out a per-second time series") {
  const std::string dir = temp_dir();
  REQUIRE(shardsim("run scenarios/teaching/classroom-keys.json --quiet --trace " + dir + "/trace.json --out " + dir).exit_code == 0);
  const auto trace = nlohmann::json::parse(read_file(dir + "/trace.json"));
  std::size_t slices = 0;
  for (const auto& e : trace.at("traceEvents")) slices += e.at("ph") == "X";
  CHECK(slices == 8);  // one per invocation
  const std::string csv = read_file(dir + "/timeseries.csv");
  CHECK_THAT(csv, Catch::StartsWith("time_s,produced,written,write_throttled,processed"));
  // 9 simulated seconds: a header and 9 rows; the last row's backlog is 0.
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 10);
  CHECK_THAT(csv, Catch::EndsWith(",0\n"));
  // One shard: its backlog column ends drained as well.
  const std::string shards = read_file(dir + "/backlog_by_shard.csv");
  CHECK_THAT(shards, Catch::StartsWith("time_s,shardId-000000000000\n0,8\n"));
  CHECK_THAT(shards, Catch::EndsWith("\n8,0\n"));
}

TEST_CASE("the result of the quickstart scenario is pinned by a golden file") {
  // A change that moves a number or the schema must update the golden file in the same commit,
  // saying why: build/shardsim run scenarios/quickstart.json --quiet --json tests/cli/golden/quickstart.json
  const std::string dir = temp_dir();
  REQUIRE(shardsim("run scenarios/quickstart.json --quiet --json " + dir + "/r.json").exit_code == 0);
  CHECK(read_file(dir + "/r.json") == read_file(std::string(SHARDSIM_SOURCE_DIR) + "/tests/cli/golden/quickstart.json"));
}

TEST_CASE("a failed expectation exits 4 and says which, and --no-expect skips the check") {
  const std::string dir = temp_dir();
  const std::string file = write_temp(dir, "expect.json", R"({
    "duration_s": 10,
    "producers": [{"rate_per_s": 100, "arrival": {"type": "constant"}, "keys": {"type": "uniform", "count": 10}}],
    "consumers": [{}], "functions": {"f": {}},
    "expect": {"records.written": {"equals": 1000}, "concurrency.peak": {"max": 0}}
  })");
  // 100 records/s evenly spaced for 10 s: exactly 1,000 written; one shard is read, so the
  // peak concurrency is 1, not 0.
  const auto r = shardsim("run " + file + " --quiet");
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.out, Catch::Contains("expectations (1 of 2 met)"));
  CHECK_THAT(r.out, Catch::Contains("records.written = 1000: 1000  ✔"));
  CHECK_THAT(r.out, Catch::Contains("concurrency.peak ≤ 0: 1  ✘"));
  CHECK(shardsim("run " + file + " --quiet --no-expect").exit_code == 0);
  CHECK(shardsim("run " + file + " --quiet --set 'expect={\"concurrency.peak\": {\"max\": 1}}'").exit_code == 0);
}
