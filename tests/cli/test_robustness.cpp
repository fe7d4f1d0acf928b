// Bad input and hostile sizes: each is refused with exit code 2 and a message that names what
// is wrong, before any work is done; the text report's books are per consumer.
#include <nlohmann/json.hpp>

#include "tests/cli/support.hpp"

using namespace cli_test;

namespace {
const char* kSmall = R"({"duration_s": 5, "producers": [{"rate_per_s": 10}], "consumers": [{}], "functions": {"f": {}}})";
}  // namespace

TEST_CASE("absurd work is refused before running, with the estimate") {
  const std::string file = write_temp(temp_dir(), "small.json", kSmall);
  for (const std::string set : {"duration_s=1e308", "producers.0.rate_per_s=1e308", "duration_s=6e8"}) {
    const auto r = shardsim("run " + file + " --quiet --set " + set);
    INFO(set << "\n" << r.out);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.out, Catch::Contains("beyond limits.max_records"));
  }
  // 10 records/s × 6e8 s = 6e9 records: over the default 5e9, allowed when the limit is raised.
  CHECK(shardsim("validate " + file + " --set duration_s=6e8 --set limits.max_records=1e10").exit_code == 0);
}

TEST_CASE("unwritable outputs and bytes that are not UTF-8 exit 2 with one line") {
  const std::string dir = temp_dir();
  const std::string file = write_temp(dir, "small.json", kSmall);
  const auto json = shardsim("run " + file + " --quiet --json /nonexistent/dir/x.json");
  CHECK(json.exit_code == 2);
  CHECK_THAT(json.out, Catch::Contains("--json /nonexistent/dir/x.json: its directory /nonexistent/dir does not exist"));
  const auto out = shardsim("run " + file + " --quiet --out " + file);
  CHECK(out.exit_code == 2);
  CHECK_THAT(out.out, Catch::Contains("is a file, not a directory"));
  for (const std::string set : {"'stream.shards=\xff'", "'name=\xff'"}) {
    const auto r = shardsim("run " + file + " --quiet --set " + set);
    INFO(set << "\n" << r.out);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.out, Catch::Contains("not valid UTF-8"));
  }
}

TEST_CASE("the books are per consumer when several read, and say so when none does") {
  const auto fan = shardsim("run scenarios/examples/fan-out.json");
  REQUIRE(fan.exit_code == 0);
  CHECK_THAT(fan.out, Catch::Contains("for each consumer, written = processed + lost + skipped + in flight"));
  CHECK_THAT(fan.out, Catch::Contains("notify-mapping"));
  const std::string none = write_temp(temp_dir(), "none.json",
                                      R"({"duration_s": 5, "producers": [{"rate_per_s": 10}], "functions": {"f": {}}})");
  const auto r = shardsim("run " + none);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("none: no consumer reads this stream"));
  CHECK_THAT(r.out, Catch::Contains("balanced (produced = written + dropped)"));
}

TEST_CASE("validate checks a sweep block as sweep does, with line and column") {
  const std::string dir = temp_dir();
  const auto bad = [&](const std::string& sweep, const std::string& expected) {
    const std::string file = write_temp(dir, "sweep.json", R"({"duration_s": 5, "producers": [{"rate_per_s": 10}],
      "consumers": [{}], "functions": {"f": {}},
      "sweep": )" + sweep + "}");
    const auto r = shardsim("validate " + file);
    INFO(sweep << "\n" << r.out);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.out, Catch::Contains(expected));
  };
  bad(R"({"parameterz": {"stream.shards": [1, 2]}})", "sweep.json:3:17: error: sweep.parameterz: unknown field");
  bad(R"({"mode": "zipp", "parameters": {"stream.shards": [1, 2]}})", "sweep.mode: expected \"product\" or \"zip\"");
  bad(R"({"parameters": {"stream.shardz": [1, 2]}})", "stream.shardz");
  bad(R"({"parameters": {"stream.shards": {"from": 1, "to": 4, "step": 0}}})", "with step > 0 or factor > 1");
  bad(R"({"parameters": {"stream.shards": {"from": 1, "to": 4, "factor": 1}}})", "with step > 0 or factor > 1");
  bad(R"({"parameters": {"stream.shards": {"from": 1, "to": 1e12, "step": 1}}})", "more than 10,000 values");
  bad(R"({"parameters": {"stream.shards": ["many"]}})", "stream.shards");
  bad(R"({"parameters": {}})", "with at least one entry");
  bad(R"({"parameters": {"stream.shards": []}})", "no values");
}

TEST_CASE("trace rows with non-finite times, a directory for a trace, and empty names are refused") {
  const std::string dir = temp_dir();
  write_temp(dir, "t.csv", "time_s,key,bytes\n1,a,100\nnan,b,100\ninf,c,100\n");
  const auto trace = shardsim("validate " + write_temp(dir, "trace.json", R"({"duration_s": 5,
    "producers": [{"arrival": {"type": "trace", "file": "t.csv"}}], "consumers": [{}], "functions": {"f": {}}})"));
  CHECK(trace.exit_code == 2);
  CHECK_THAT(trace.out, Catch::Contains("t.csv:3:1: error: producers[0].arrival.file: time_s \"nan\" is not a finite number"));
  CHECK_THAT(trace.out, Catch::Contains("t.csv:4:1"));
  const auto directory = shardsim("validate " + write_temp(dir, "dir.json", R"({"duration_s": 5,
    "producers": [{"arrival": {"type": "trace", "file": "/tmp"}}], "consumers": [{}], "functions": {"f": {}}})"));
  CHECK(directory.exit_code == 2);
  CHECK_THAT(directory.out, Catch::Contains("/tmp is a directory, not a trace file"));
  const auto names = shardsim("validate " + write_temp(dir, "names.json", R"({"name": "", "duration_s": 5,
    "producers": [{"rate_per_s": 10}], "consumers": [{"function": ""}], "functions": {"f": {}}})"));
  CHECK(names.exit_code == 2);
  CHECK_THAT(names.out, Catch::Contains("error: name: empty"));
  CHECK_THAT(names.out, Catch::Contains("error: consumers[0].function: empty"));
}

TEST_CASE("command-line mistakes are named in the user's terms") {
  const auto unknown = shardsim("frobnicate x.json");
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.out, Catch::Contains("unknown command \"frobnicate\"; the commands are run, sweep, plan"));
  const auto jobs = shardsim("sweep scenarios/capacity/shards-x-pf.json --jobs 0");
  CHECK(jobs.exit_code == 2);
  CHECK_THAT(jobs.out, Catch::Contains("--jobs: expected a whole number ≥ 1, got \"0\""));
  const auto seed = shardsim("run scenarios/quickstart.json --seed abc");
  CHECK(seed.exit_code == 2);
  CHECK_THAT(seed.out, Catch::Contains("--seed: expected a whole number ≥ 0, got \"abc\""));
}

TEST_CASE("deep nesting is refused at once, and a message quotes at most 80 characters of a value") {
  const std::string dir = temp_dir();
  const auto deep = shardsim("validate " + write_temp(dir, "deep.json", "{\"description\": " + std::string(10000, '[') +
                                                                          std::string(10000, ']') + "}"));
  CHECK(deep.exit_code == 2);
  CHECK_THAT(deep.out, Catch::Contains("the JSON nests deeper than 64 levels"));
  std::string list = "[";
  for (int i = 0; i < 100000; ++i) list += (i ? ",1234567" : "1234567");
  const auto big = shardsim("validate " + write_temp(dir, "big.json", "{\"description\": " + list + "]}"));
  CHECK(big.exit_code == 2);
  CHECK_THAT(big.out, Catch::Contains("description: expected a string, got [1234567,1234567,"));
  CHECK_THAT(big.out, Catch::Contains("… (800001 characters)"));
  CHECK(big.out.size() < 1000);
}

TEST_CASE("outputs that cannot be written, empty file names and malformed slices are input errors, exit 2") {
  const auto full = shardsim("run scenarios/quickstart.json --quiet --json /dev/full");
  CHECK(full.exit_code == 2);
  CHECK_THAT(full.out, Catch::Contains("cannot write /dev/full"));
  const std::string dir = temp_dir();
  write_temp(dir, "a-file", "x");
  const auto under_file = shardsim("sweep scenarios/capacity/shards-x-pf.json --out " + dir + "/a-file/sub");
  CHECK(under_file.exit_code == 2);
  const auto empty = shardsim("run scenarios/quickstart.json --quiet --json ''");
  CHECK(empty.exit_code == 2);
  CHECK_THAT(empty.out, Catch::Contains("--json: expected a file or folder name"));
  const auto slice = shardsim("sweep scenarios/capacity/shards-x-pf.json --slice 1/2/3 --out " + dir + "/s");
  CHECK(slice.exit_code == 2);
  CHECK_THAT(slice.out, Catch::Contains("--slice 1/2/3: expected I/N"));
}
