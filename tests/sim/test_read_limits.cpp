// Read limits that hold readers back: the time and calls they cost, and the counts that name
// them. One process per TEST_CASE.
#include "tests/sim/support.hpp"

#include "analysis/result.hpp"

using namespace shardsim;
using namespace shardsim::testing;

TEST_CASE("a drain bound by the 2 MiB/s read byte rate says so: the calls held back, their wait, a warning") {
  // 900 records/s of 1,000 bytes + a 1-byte key (1,001 bytes) for 50 s: 45,000 records. The
  // mapping starts at 60 s and drains them 10,000 records (10,010,000 bytes) a call. The shard's
  // budget holds 2 MiB (2,097,152 bytes) and refills at 2 MiB/s, so after the call at 60 the
  // next waits (10,010,000 − 2,097,152) / 2,097,152 = 3.77305 s, and the three after it
  // 10,010,000 / 2,097,152 = 4.77314 s each: calls at 60, 63.773, 68.546, 73.319 and 78.093.
  // After each call Lambda runs its records as two batches (the 6 MB payload cap) of 0.01 s,
  // and then the reader wants more: each of the 4 held calls waited 0.02 s less than the gap.
  const RunResult r = run_checked(R"({
    "duration_s": 50,
    "producers": [{"rate_per_s": 900, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["k"], "repeat": true},
                   "record_bytes": {"type": "constant", "value": 1000}}],
    "stream": {"shards": 1},
    "consumers": [{"start_s": 60, "propagation_delay_s": 0, "batch_size": 10000}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}},
                        "duration": {"per_invocation": {"type": "constant", "value": 0.01},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  const double first = (10'010'000.0 - 2'097'152.0) / 2'097'152.0, later = 10'010'000.0 / 2'097'152.0;
  CHECK(r.totals.read_throttles == 0);  // no call was refused: the limit held them back instead
  CHECK(r.totals.read_waits[1] == 4);
  CHECK(r.totals.read_wait_s[1] == Approx(first - 0.02 + 3 * (later - 0.02)).margin(1e-6));
  CHECK(r.totals.read_waits[0] == 0);
  CHECK(r.simulated_s == Approx(60 + first + 3 * later + 0.01).margin(1e-6));
  REQUIRE_FALSE(r.warnings.empty());
  CHECK_THAT(r.warnings.front(), Catch::Contains("on the shard's read byte rate (2 MiB/s"));
  const auto j = to_json(r);
  CHECK(j["throttles"]["read_held"]["byte_rate"]["calls"] == 4);
}

namespace {
// 100 items/s for 30 s on one DynamoDB partition, read by `n` mappings polling 4 times a second
// with no propagation delay. The shard serves 2 readers' worth of calls (8/s), shared equally:
// each mapping gets 8/n calls/s. A mapping that wants 4 calls/s gets its calls 1/4 s apart up to
// n = 2; beyond, each call comes n/8 s after the last instead of 1/4 s: it wanted
// (n/8 − 1/4) / (1/4) = n/2 − 1 calls beyond its share meanwhile. Over 30 s the n mappings want
// 4n × 30 calls and are served 8 × 30: (4n − 8) × 30 beyond their share. The ends differ a
// little: each mapping's first calls use the burst of its share (one second's, 8/n calls) and the
// last comes up to n/8 s after production ends, so the count is within (8 + n)(n/2 − 1) of it.
// No call is refused: each mapping waits for its share.
void check_readers(int n) {
  std::string consumers = "[";
  for (int i = 0; i < n; ++i)
    consumers += std::string(i ? ", " : "") + R"({"function": "f", "batch_size": 100, "propagation_delay_s": 0, "name": ")" +
                 char('a' + i) + "\"}";
  const RunResult r = run_checked(R"({"duration_s": 30,
    "stream": {"type": "dynamodb", "table": {"partitions": 1}},
    "producers": [{"rate_per_s": 100, "arrival": {"type": "constant"}, "keys": {"type": "uniform", "count": 1000},
                   "record_bytes": {"type": "constant", "value": 900}, "max_put_attempts": 1}],
    "consumers": )" + consumers + R"(],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.01},
                                     "per_record": {"type": "constant", "value": 0.0001}}}}})");
  const double derived = (4.0 * n - 8) * 30;
  const double ends = (8.0 + n) * std::max(0.0, n / 2.0 - 1);
  const auto beyond = to_json(r)["throttles"]["read_readers"].get<double>();
  INFO("n = " << n << ": " << beyond << " calls beyond the share, derived " << derived << " ± " << ends);
  CHECK(std::abs(beyond - derived) <= ends);
  CHECK(r.totals.read_throttles == 0);
  for (const auto& c : r.consumers) CHECK(c.counts.processed == r.written);
}
}  // namespace

TEST_CASE("dynamodb readers per shard: 2 mappings are within the share") { check_readers(2); }
TEST_CASE("dynamodb readers per shard: 3 mappings want 120 calls beyond the share") { check_readers(3); }
TEST_CASE("dynamodb readers per shard: 4 mappings want 240 calls beyond the share") { check_readers(4); }
TEST_CASE("dynamodb readers per shard: 5 mappings want 360 calls beyond the share") { check_readers(5); }
TEST_CASE("dynamodb readers per shard: 6 mappings want 480 calls beyond the share") { check_readers(6); }
TEST_CASE("dynamodb readers per shard: 7 mappings want 600 calls beyond the share") { check_readers(7); }
TEST_CASE("dynamodb readers per shard: 8 mappings want 720 calls beyond the share") { check_readers(8); }

namespace {
// `n` > 5 Lambda mappings polling one Kinesis shard once a second, 100 records/s for 60 s. The
// shard serves 5 calls/s; each mapping gets an equal share, 5/n calls/s, so its calls come n/5 s
// apart instead of 1 s: it wanted n/5 − 1 calls beyond its share meanwhile. The default
// propagation delay (0.2 s × n) makes the last record visible at 60 + 0.2n, so the mappings want
// (n − 5) × (60 + 0.2n) calls beyond the shard's rate in all, within one call per mapping at
// the start (each share's burst) and the end.
RunResult polling(int n) {
  std::string consumers = "[";
  for (int i = 0; i < n; ++i)
    consumers += std::string(i ? ", " : "") + R"({"function": "f", "name": "m)" + std::to_string(i) + "\"}";
  return run_checked(R"({"duration_s": 60, "stream": {"shards": 1},
    "producers": [{"rate_per_s": 100, "arrival": {"type": "constant"}}],
    "consumers": )" + consumers + R"(],
    "functions": {"f": {}}})");
}

void check_shares(int n) {
  const RunResult r = polling(n);
  const double derived = (n - 5) * (60 + 0.2 * n);
  const auto wanted = to_json(r)["throttles"]["read_held"]["call_rate"]["calls_wanted"].get<double>();
  INFO("n = " << n << ": " << wanted << " calls wanted beyond the rate, derived " << derived);
  CHECK(std::abs(wanted - derived) <= n);
  CHECK(r.totals.read_throttles == 0);
  // Equal shares: every mapping's calls and mean latency within ±20 % of the mappings' mean.
  double calls = 0, latency = 0;
  for (const auto& c : r.consumers) {
    calls += static_cast<double>(c.read_calls) / n;
    latency += c.latency_s.mean / n;
  }
  for (const auto& c : r.consumers) {
    CHECK(static_cast<double>(c.read_calls) == Approx(calls).epsilon(0.2));
    CHECK(c.latency_s.mean == Approx(latency).epsilon(0.2));
    CHECK(c.counts.processed == r.written);
  }
}
}  // namespace

TEST_CASE("six mappings polling one Kinesis shard share its 5 calls/s equally") { check_shares(6); }
TEST_CASE("ten mappings polling one Kinesis shard share its 5 calls/s equally") { check_shares(10); }
