// Reading the stream: shared read limits, enhanced fan-out, starting positions, retention.
// One process per TEST_CASE.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>

#include "tests/sim/support.hpp"
#include "tests/support/scratch.hpp"

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

TEST_CASE("six polling consumers exceed a shard's 5 GetRecords/s and are held to their shares") {
  // Each of the six gets 5/6 calls/s: every call after the first is held back by the call rate.
  // Over the run (20 s and about 1.6 s of drain) they want one call a second more than the
  // shard's 5: about 21 calls wanted beyond it; each made about 5/6 × 21.6 + its share of the
  // first second's burst ≈ 19 calls.
  const RunResult r = run(shared_shard(6, "polling"));
  // Every call of each consumer after its first is held back: the waits are the calls less 6.
  std::uint64_t calls = 0;
  for (const auto& c : r.consumers) calls += c.read_calls;
  CHECK(r.totals.read_waits[static_cast<std::size_t>(ReadLimit::call_rate)] == calls - 6);
  CHECK(to_json(r)["throttles"]["read_held"]["call_rate"]["calls_wanted"].get<double>() == Approx(21).margin(1.5));
  for (const auto& c : r.consumers) CHECK(c.read_calls == Approx(19).margin(1));
  CHECK(r.totals.read_throttles == 0);
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
  const std::string file = test_scratch::folder("shardsim-trace") + "/trace.csv";
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
  // Ordering is checked per entity (the trace's fourth column), and the result says so.
  CHECK(r.order_key == "entity");
  // Sizes: data bytes plus the 7-byte partition keys, 107 + 207 + 307 + 407, each one PUT
  // payload unit (25 KB).
  CHECK(r.cost.put_payload_units == 4);
}

TEST_CASE("a bad trace row is an input error naming the file and line") {
  const std::string file = test_scratch::folder("shardsim-trace") + "/bad.csv";
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

namespace {
// A backlog: records of `data_bytes` + the 2-byte key "k0" put at 950/s for `duration_s`, read
// from `start_s` on by `readers` mappings (polling or efo) in batches of up to 10,000, 10 ms an
// invocation.
std::string backlog(double duration_s, int data_bytes, double start_s, int readers = 1, const char* delivery = "polling") {
  std::string consumers;
  for (int i = 0; i < readers; ++i)
    consumers += std::string(i ? ", " : "") + R"({"name": "c)" + std::to_string(i) + R"(", "function": "f", "delivery": ")" +
                 delivery + R"(", "batch_size": 10000, "start_s": )" + std::to_string(start_s) +
                 R"(, "propagation_delay_s": 0})";
  return R"({
    "duration_s": )" + std::to_string(duration_s) + R"(,
    "producers": [{"rate_per_s": 950, "arrival": {"type": "constant"},
                   "keys": {"type": "uniform", "count": 1, "prefix": "k"},
                   "record_bytes": {"type": "constant", "value": )" + std::to_string(data_bytes) + R"(}}],
    "consumers": [)" + consumers + R"(],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.01},
                                     "per_record": {"type": "constant", "value": 0}},
                        "cold_start": {"init_s": {"type": "constant", "value": 0}}}}
  })";
}
}  // namespace

TEST_CASE("a GetRecords call returns at most 10 MB, a batch at most 6 MB, and a 10 MB call costs about 4 s of reads") {
  // 19,000 records of 1,100 bytes (1,098 of data + the 2-byte key "k0") put at 950/s, read from
  // 25 s on. Call 1 at 25 s returns 9,532 records (9,532 × 1,100 = 10,485,200 ≤ 10 MiB; one
  // more would not fit); the 6 MiB payload cap cuts them into batches of 5,719 (5,719 × 1,100 =
  // 6,290,900 ≤ 6,291,456) and 3,813. The call leaves the shard's 2 MiB/s byte budget at
  // 2,097,152 − 10,485,200 = −8,388,048, so the next call waits until it is positive again:
  // 8,388,048 / 2,097,152 = 3.99970 s, at 28.99970 s; it returns the other 9,468 records
  // (10,414,800 bytes): batches of 5,719 and 3,749. Each invocation takes 10 ms.
  const RunResult r = run(backlog(20, 1098, 25));
  REQUIRE(r.written == 19000);
  CHECK(r.totals.invocations == 4);
  CHECK(r.consumers[0].batch_size.max == 5719);  // maxima are exact
  CHECK(r.mean_batch_size == Approx(4750));
  CHECK(r.totals.read_throttles == 0);  // the reader waits for the budget instead of calling early
  // The second call's batches: [28.99970, 29.00970] and [29.00970, 29.01970].
  CHECK(r.simulated_s == Approx(25 + 8388048.0 / 2097152 + 1e-9 + 0.02).margin(1e-6));
}

TEST_CASE("a GetRecords call returns at most 10,000 records, and calls share 5 per second") {
  // 70,000 records of 12 bytes (the byte limits never bind), read from 80 s on in batches of
  // 10,000 that take 10 ms each. Each call returns 10,000 records and the lane takes them at
  // once; the shard's 5 calls/s bucket starts full, so calls 1-5 go at 80.00, 80.01, …, 80.04,
  // leaving 0.2 of a call; call 6 waits for a whole one, at 80.04 + 0.8 / 5 = 80.2, and call 7
  // at 80.2 + 1 / 5 = 80.4; its batch ends at 80.41. With 20,000 records a call, four calls
  // would do and the run would end at 80.07.
  const RunResult r = run(backlog(73.6842, 10, 80));
  REQUIRE(r.written == 70000);
  CHECK(r.totals.invocations == 7);
  CHECK(r.mean_batch_size == 10000);
  CHECK(r.simulated_s == Approx(80.41).margin(1e-5));
}

TEST_CASE("enhanced fan-out gives each consumer its own 2 MiB/s of a shard") {
  // The 10 MB backlog case above with two enhanced fan-out consumers: each pushes 10 MB at 25 s
  // and waits 3.99970 s (plus the model's 1 µs step) for its own budget, so both finish at
  // 29.0197 s, as one polling consumer alone would. Sharing one budget, the second would wait
  // for the first's 10 MB and finish about 5 s later.
  const RunResult r = run(backlog(20, 1098, 25, 2, "efo"));
  REQUIRE(r.written == 19000);
  CHECK(r.totals.invocations == 8);
  CHECK(r.totals.read_throttles == 0);
  CHECK(r.simulated_s == Approx(25 + 8388048.0 / 2097152 + 1e-6 + 0.02).margin(1e-5));
}

TEST_CASE("two polling consumers share a shard's 2 MiB/s: each call waits for the one before") {
  // The same backlog read by two polling mappings: four calls of about 10 MB (9,532 and 9,468
  // records for each mapping) draw on one budget. The first, at 25 s with the budget full,
  // leaves a debt of 8,388,048 bytes: the next call comes 3.99970 s later; each later one finds
  // the budget just positive and waits for the previous call's bytes at 2 MiB/s, 10,485,200 and
  // 10,414,800 (in whichever order the two mappings get them): 9.96590 s more. The last batch
  // ends 20 ms after the last call. With a budget each, both would end at 29.02 s.
  const RunResult r = run(backlog(20, 1098, 25, 2, "polling"));
  REQUIRE(r.written == 19000);
  CHECK(r.totals.invocations == 8);
  // When the budget turns positive, every mapping still wanting records calls at that instant;
  // one is served, the other refused. Each mapping needs two calls: at the first two calls both
  // want; at the third, both still do if the first two went one to each: 2 or 3 refusals.
  CHECK(r.totals.read_throttles >= 2);
  CHECK(r.totals.read_throttles <= 3);
  CHECK(r.simulated_s == Approx(25 + 8388048.0 / 2097152 + (10485200.0 + 10414800) / 2097152 + 0.02).margin(1e-5));
}

namespace {
// 40,000 small records read from 50 s on by `readers` polling mappings that are behind: each
// needs four calls of 10,000 and runs each batch for 10 ms; the byte budget never binds. The
// shard's bucket of 5 calls/s starts full and refills one call every 0.2 s, so the n-th call
// overall can go no earlier than 50 + (n − 5) / 5 s, and someone is always ready for it: the
// last of 4 × readers calls goes at 50 + (4 readers − 5) / 5 and its batch ends 10 ms later.
double last_batch_end(int readers) { return 50 + (4.0 * readers - 5) / 5 + 0.01; }
}  // namespace

TEST_CASE("two mappings behind on one shard share its 5 GetRecords calls a second") {
  const RunResult r = run(backlog(42.105, 10, 50, 2));
  REQUIRE(r.written == 40000);
  CHECK(r.totals.invocations == 8);
  CHECK(r.simulated_s == Approx(last_batch_end(2)).margin(1e-4));  // 50.61 s
}

TEST_CASE("three mappings behind on one shard share its 5 GetRecords calls a second") {
  const RunResult r = run(backlog(42.105, 10, 50, 3));
  REQUIRE(r.written == 40000);
  CHECK(r.totals.invocations == 12);
  // They race for the calls. Right after the burst of 5 (three at 50 s, two at 50.01 s) the
  // third reader is refused, and one more may call at 50.02 s on a count read before the others
  // took theirs: 1 or 2. Each later token goes to one reader still needing calls and the others
  // are refused (2 per token while all three need calls, 1 while two do): the readers need 2, 2
  // and 3 more calls (7 tokens), so between 2 + 2 + 1 + 1 = 6 (served out one after the other)
  // and 5 × 2 + 1 = 11 (all three needing as long as they can) refusals. In all, 7 to 13.
  CHECK(r.totals.read_throttles >= 7);
  CHECK(r.totals.read_throttles <= 13);
  CHECK(r.simulated_s == Approx(last_batch_end(3)).margin(1e-4));  // 51.41 s
}

TEST_CASE("a split gives a hot shard a second shard's write capacity from the moment it happens") {
  // 1,500 records/s (one put attempt each) over 1,000 keys into one shard for 20 s; it splits at
  // 10 s. Before: the shard admits its 1,000-record burst and 1,000/s, so of the 15,000 offered
  // 4,000 are refused (± 1 at the edges). After: each child takes about 750/s, under its limit:
  // nothing more is refused, and every record written is read (parents first).
  const RunResult r = run(R"({
    "duration_s": 20,
    "stream": {"shards": 1, "reshard": [{"at_s": 10, "type": "split", "shard": 0}]},
    "producers": [{"rate_per_s": 1500, "arrival": {"type": "constant"}, "max_put_attempts": 1,
                   "keys": {"type": "uniform", "count": 1000}, "record_bytes": {"type": "constant", "value": 100}}],
    "consumers": [{"batch_size": 1000}],
    "functions": {"f": {}}
  })");
  CHECK(std::abs(static_cast<double>(r.write_throttled) - 4000) <= 1);
  CHECK(r.totals.processed == r.written);
  CHECK(r.cost.shard_hours * 3600 == Approx(10 + 2 * (r.simulated_s - 10)).epsilon(1e-12));
}
