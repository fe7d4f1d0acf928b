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
