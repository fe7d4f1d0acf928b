// Reading the stream: shared read limits, enhanced fan-out, starting positions, retention.
// One process per TEST_CASE.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>

#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {

RunResult run(const std::string& text) { return run_checked(text); }

std::string consumers(int n, const char* delivery) {
  std::string list;
  for (int i = 0; i < n; ++i)
    list += std::string(i ? "," : "") + R"({"name": "c)" + std::to_string(i) + R"(", "delivery": ")" + delivery + "\"}";
  return list;
}

// One shard, 10 records/s for 20 s, n consumers of one function.
std::string shared_shard(int n, const char* delivery) {
  return R"({
    "duration_s": 20,
    "producers": [{"rate_per_s": 10}],
    "consumers": [)" + consumers(n, delivery) + R"(],
    "functions": {"f": {}}
  })";
}

}  // namespace

TEST_CASE("five polling consumers fit in a shard's 5 GetRecords/s") {
  // Each calls once per second while caught up: 5 calls/s, exactly the shard's limit.
  const RunResult r = run(shared_shard(5, "polling"));
  CHECK(r.totals.read_throttles == 0);
  CHECK(r.totals.processed == 5 * r.written);
}

TEST_CASE("six polling consumers exceed a shard's 5 GetRecords/s and are throttled") {
  const RunResult r = run(shared_shard(6, "polling"));
  CHECK(r.totals.read_throttles > 0);
  CHECK(r.totals.processed == 6 * r.written);
  // The default propagation delay grows with the polling consumers: 0.2 s × 6.
  CHECK(r.configuration["consumers"][0]["propagation_delay_s"].get<double>() == Approx(1.2));
}

TEST_CASE("enhanced fan-out consumers do not share the read limits") {
  const RunResult r = run(shared_shard(6, "efo"));
  CHECK(r.totals.read_throttles == 0);
  CHECK(r.configuration["consumers"][0]["propagation_delay_s"].get<double>() == Approx(0.07));
}

TEST_CASE("enhanced fan-out delivers a record when it becomes visible, without polling") {
  // One record at t = 0, pushed at 0.07 (the default EFO delay), handler 0.5 s, warm start.
  const RunResult r = run(R"({
    "duration_s": 0.001,
    "producers": [{"rate_per_s": 1000, "arrival": {"type": "constant"}}],
    "consumers": [{"delivery": "efo"}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}},
                        "duration": {"per_invocation": {"type": "constant", "value": 0.5},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  CHECK(r.latency_s.max == Approx(0.57).margin(kEps));
}

TEST_CASE("LATEST and AT_TIMESTAMP skip the records put before the starting position") {
  // Records at t = 0, 1, …, 9. The LATEST mapping is enabled at 4.5: it reads 5 … 9 and skips
  // five. The AT_TIMESTAMP mapping starts at 2: it reads 2 … 9 and skips two.
  const RunResult r = run(R"({
    "duration_s": 10,
    "producers": [{"rate_per_s": 1, "arrival": {"type": "constant"}}],
    "consumers": [{"name": "latest", "starting_position": "LATEST", "start_s": 4.5},
                  {"name": "at", "starting_position": "AT_TIMESTAMP", "starting_position_timestamp_s": 2}],
    "functions": {"f": {}}
  })");
  REQUIRE(r.consumers.size() == 2);
  CHECK(r.consumers[0].counts.skipped == 5);
  CHECK(r.consumers[0].counts.processed == 5);
  CHECK(r.consumers[1].counts.skipped == 2);
  CHECK(r.consumers[1].counts.processed == 8);
}

TEST_CASE("AT_TIMESTAMP skips every record before the timestamp, even one far after the mapping starts") {
  // Records at t = 0, 1, …, 19; the mapping starts at 0 with AT_TIMESTAMP 10 s, well past the
  // producers' horizon (they generate a couple of seconds ahead of the clock): it skips the ten
  // records put before 10 s and reads the ten after.
  const RunResult r = run(R"({
    "duration_s": 20,
    "producers": [{"rate_per_s": 1, "arrival": {"type": "constant"}}],
    "consumers": [{"starting_position": "AT_TIMESTAMP", "starting_position_timestamp_s": 10}],
    "functions": {"f": {}}
  })");
  CHECK(r.totals.skipped == 10);
  CHECK(r.totals.processed == 10);
}

TEST_CASE("records older than the retention period vanish unread and are lost") {
  // Records at t = 0 … 4; retention 0.001 h = 3.6 s (what_if); the mapping starts at 10, when
  // every record is older than 3.6 s.
  const RunResult r = run(R"({
    "what_if": true,
    "duration_s": 5,
    "stream": {"retention_hours": 0.001},
    "producers": [{"rate_per_s": 1, "arrival": {"type": "constant"}}],
    "consumers": [{"start_s": 10}],
    "functions": {"f": {}}
  })");
  CHECK(r.totals.expired == 5);
  CHECK(r.lost == 5);
  CHECK(r.ordering.lost == 5);
  CHECK(r.totals.processed == 0);
}

TEST_CASE("a trace is replayed with its keys, sizes and entities") {
  // Four rows; the two "customer-1" rows go to different partition keys.
  char dir[] = "/tmp/shardsim-trace-XXXXXX";
  REQUIRE(mkdtemp(dir));
  const std::string file = std::string(dir) + "/trace.csv";
  FILE* out = std::fopen(file.c_str(), "w");
  std::fputs("time_s,partition_key,bytes,entity\n0.0,order-1,100,customer-1\n0.5,order-2,200,customer-2\n"
             "1.0,order-3,300,customer-1\n1.5,order-4,400\n",
             out);
  std::fclose(out);
  const RunResult r = run(R"({
    "duration_s": 10,
    "producers": [{"arrival": {"type": "trace", "file": ")" + file + R"("}}],
    "consumers": [{}],
    "functions": {"f": {}}
  })");
  CHECK(r.produced == 4);
  CHECK(r.totals.processed == 4);
  CHECK(r.order_key == "partition_key");  // entities came from the trace, not an entity field
}

TEST_CASE("a bad trace row is an input error naming the file and line") {
  char dir[] = "/tmp/shardsim-trace-XXXXXX";
  REQUIRE(mkdtemp(dir));
  const std::string file = std::string(dir) + "/bad.csv";
  FILE* out = std::fopen(file.c_str(), "w");
  std::fputs("0.0,a,100\n1.0,b\n2.0,c,100\n1.5,d,100\n", out);
  std::fclose(out);
  auto loaded = load_scenario_text("x.json", R"({"producers": [{"arrival": {"type": "trace", "file": ")" + file + R"("}}]})");
  CHECK_FALSE(loaded.scenario);
  const std::string m = loaded.diagnostics.format();
  CHECK_THAT(m, Catch::Contains(file + ":2:1: error: producers[0].arrival.file: expected 3 or 4 columns"));
  CHECK_THAT(m, Catch::Contains(file + ":4:1") && Catch::Contains("must not decrease"));
}

TEST_CASE("the price per hour counts the shards open during production, not the drain") {
  // Four shards for 10 s of production, then the drain (the last batch ends after 10 s). With
  // Lambda and PUTs free, the steady-state price is the shards alone: 4 × $0.015 = $0.06 an
  // hour, while the run's total also pays for the drain: 4 × simulated_s / 3600 × 0.015.
  const RunResult r = run(R"({
    "duration_s": 10,
    "stream": {"shards": 4},
    "producers": [{"rate_per_s": 100}],
    "consumers": [{"function": "f"}],
    "functions": {"f": {}},
    "pricing": {"lambda_per_million_requests": 0, "lambda_per_gb_s": 0, "per_million_put_payload_units": 0}
  })");
  REQUIRE(r.simulated_s > 10);
  CHECK(r.cost.per_hour_usd == Approx(0.06).epsilon(1e-12));
  CHECK(r.cost.total_usd() == Approx(4 * r.simulated_s / 3600 * 0.015).epsilon(1e-12));
}

namespace {
// 1,500 records in 1 s (evenly spaced, 100 bytes: the byte limit never binds), one put attempt
// each, on one shard whose write buckets refill at 1,000 records/s.
std::string burst_of_1500(const std::string& stream) {
  return R"({
    "duration_s": 1,
    "stream": )" + stream + R"(,
    "producers": [{"rate_per_s": 1500, "arrival": {"type": "constant"}, "max_put_attempts": 1,
                   "record_bytes": {"type": "constant", "value": 100}}],
    "consumers": [{"function": "f"}],
    "functions": {"f": {}}
  })";
}
}  // namespace

TEST_CASE("a shard's write bucket holds one second by default: 1,500 records in a second fit") {
  // The bucket holds 1,000 records and refills at 1,000/s: 1,000 + 999.3 tokens for 1,500.
  const RunResult r = run(burst_of_1500("{}"));
  CHECK(r.write_throttled == 0);
  CHECK(r.written == 1500);
}

TEST_CASE("stream.write_burst_s sets how big a burst a shard's write limit takes") {
  // With 0.2 s the bucket holds 200: 200 + 1,000 × 0.9993 = 1,199.3 tokens, so 1,199 records are
  // written and 301 refused (the bucket is empty from the first refusal on: every token is used).
  const RunResult r = run(burst_of_1500(R"({"write_burst_s": 0.2})"));
  CHECK(r.written == 1199);
  CHECK(r.write_throttled == 301);
  CHECK(r.dropped == 301);
}
