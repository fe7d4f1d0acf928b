// Each part logs its decisions under its own SimGrid log category (--log=PART.thres:verbose);
// without --log nothing is logged.
#include <regex>
#include <set>

#include <catch2/catch.hpp>

#include "tests/cli/support.hpp"

using namespace cli_test;

namespace {
std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("log: --log=stream.thres:verbose shows the split of split-during-backlog.json, and only that part") {
  // The scenario splits its one shard at 30 s: shard 0 closes and shards 1 and 2 open then.
  const auto r = shardsim("run scenarios/examples/split-during-backlog.json --quiet --log=stream.thres:verbose");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("[stream/VERBOSE] shard shardId-000000000000 closes at 30.000000 s") != std::string::npos);
  CHECK(r.out.find("[stream/VERBOSE] shard shardId-000000000001 opens at 30.000000 s") != std::string::npos);
  CHECK(r.out.find("[stream/VERBOSE] shard shardId-000000000002 opens at 30.000000 s") != std::string::npos);
  CHECK(count_of(r.out, "/VERBOSE]") == 3);  // the stream's first shard is its layout, not a change
  const auto quiet = shardsim("run scenarios/examples/split-during-backlog.json --quiet");
  CHECK(quiet.out.find("VERBOSE") == std::string::npos);
}

TEST_CASE("log: --log=kcl.thres:verbose names the leases a failed worker held") {
  // Worker 1 fails at 60 s (the scenario's worker_failures): every lease it took fails with it.
  const auto r = shardsim("run scenarios/examples/kcl-worker-failover.json --quiet --log=kcl.thres:verbose");
  CHECK(r.exit_code == 0);
  std::set<std::string> taken, failed;
  const std::regex take(R"(worker 1 takes the lease of shard (\d+) at 0\.000000 s)");
  const std::regex fail(R"(the worker holding shard (\d+) fails at 60\.000000 s)");
  for (std::sregex_iterator it(r.out.begin(), r.out.end(), take), end; it != end; ++it) taken.insert((*it)[1]);
  for (std::sregex_iterator it(r.out.begin(), r.out.end(), fail), end; it != end; ++it) failed.insert((*it)[1]);
  CHECK(!taken.empty());
  CHECK(failed == taken);
}

TEST_CASE("log: --log=sqs.thres:verbose shows each dead-lettered message after max_receive_count receives") {
  // max_receive_count is 3; the log's count matches the result's (a consistency check).
  const auto r = shardsim("run scenarios/examples/sqs-fifo-dead-letter.json --quiet --log=sqs.thres:verbose --json -");
  CHECK(r.exit_code == 0);
  const std::size_t logged = count_of(r.out, "[sqs/VERBOSE]");
  CHECK(logged > 0);
  CHECK(logged == count_of(r.out, "goes to the dead-letter queue at"));
  CHECK(logged == count_of(r.out, " s after 3 receives"));
  const std::smatch m = [&] {
    std::smatch found;
    std::regex_search(r.out, found, std::regex(R"re("dead_lettered":\s*(\d+))re"));
    return found;
  }();
  REQUIRE(!m.empty());
  CHECK(logged == std::stoul(m[1]));
}

TEST_CASE("log: --log=kinesis.thres:verbose shows on-demand-burst.json's scale-ups") {
  // The scenario's burst needs more shards; the scaler splits them scale_delay_s after the
  // second that set the peak; the stream's own log (category stream) stays quiet.
  const auto r = shardsim("run scenarios/examples/on-demand-burst.json --quiet --log=kinesis.thres:verbose");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("[kinesis/VERBOSE] on demand: ") != std::string::npos);
  CHECK(r.out.find("[stream/VERBOSE]") == std::string::npos);
}
