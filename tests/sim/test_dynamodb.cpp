// DynamoDB Streams: a table's partitions, their shards, splits and rollovers, the readers-per-
// shard limit, per-item order, and Lambda's 4 polls per second. One process per TEST_CASE.
#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
// A table of `partitions` written by one producer of `rate` constant arrivals of 900-byte items
// (900 + the key's bytes < 1 KB: one write unit each), keys uniform over 1,000, no put retries;
// a fast handler (10 ms + 0.1 ms per record) behind one mapping per entry of `consumers`.
// `extra_stream` adds stream fields (", \"shard_rollover_s\": 30"), `extra_table` table fields.
std::string table(int partitions, double rate, const std::string& extra_stream, const std::string& consumers,
                  double duration = 120, const std::string& extra_table = "") {
  return R"({"duration_s": )" + std::to_string(duration) + R"(,
    "stream": {"type": "dynamodb", "table": {"partitions": )" + std::to_string(partitions) + extra_table + "}" +
         extra_stream + R"(},
    "producers": [{"rate_per_s": )" + std::to_string(rate) + R"(, "arrival": {"type": "constant"},
                   "keys": {"type": "uniform", "count": 1000}, "record_bytes": {"type": "constant", "value": 900},
                   "max_put_attempts": 1}],
    "consumers": )" + consumers + R"(,
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.01},
                                     "per_record": {"type": "constant", "value": 0.0001}}}}})";
}
}  // namespace

TEST_CASE("dynamodb: one partition is one shard, so a mapping at PF 1 runs one invocation at a time") {
  // 800 items/s of one write unit each fit the partition's 1,000 units/s; one shard, one lane,
  // however many items and keys: 24,000 items in batches of at most 10, one after another.
  const RunResult r = run_checked(table(1, 800, "", R"([{"batch_size": 10}])", 30));
  CHECK(r.stream.open_shards_at_end == 1);
  CHECK(r.stream.partitions_at_end == 1);
  CHECK(r.concurrency_peak == 1);
  CHECK(r.concurrency_limit == 1);
  // At least 24,000 / 10 invocations; each poll (4 a second, 30 s and the drain: ≤ 125) may end
  // with one partial batch.
  CHECK(r.totals.invocations >= 2400);
  CHECK(r.totals.invocations <= 2400 + 125);
  CHECK(r.ordering.safe());
  CHECK(r.order_key == "item");
}

namespace {
// One item put at 10.1 s, visible at once (propagation 0), a 0.1 s invocation without init time.
RunResult one_item(const std::string& type) {
  return run_checked(R"({"duration_s": 20, "stream": {"type": ")" + type + R"("},
    "producers": [{"rate_per_s": 1, "arrival": {"type": "constant"}, "start_s": 10.1,
                   "keys": {"type": "sequence", "values": ["a"]}}],
    "consumers": [{"batch_size": 10, "propagation_delay_s": 0}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.1},
                                     "per_record": {"type": "constant", "value": 0}},
                        "cold_start": {"init_s": {"type": "constant", "value": 0}}}}})");
}
}  // namespace

TEST_CASE("dynamodb: Lambda polls an idle shard 4 times per second") {
  // The mapping polls the idle shard every 0.25 s from 0: the poll at 10.25 s gets the item put
  // at 10.1 s, and its invocation ends at 10.35 s: latency 0.25 s.
  const RunResult r = one_item("dynamodb");
  REQUIRE(r.totals.processed == 1);
  CHECK(r.latency_s.max == Approx(0.25).margin(kEps));
}

TEST_CASE("dynamodb: the same item on Kinesis waits for the once-a-second poll") {
  // Kinesis: the poll after 10.1 s is at 11.0 s, the invocation ends at 11.1 s: latency 1.0 s.
  const RunResult r = one_item("kinesis");
  REQUIRE(r.totals.processed == 1);
  CHECK(r.latency_s.max == Approx(1.0).margin(kEps));
}

TEST_CASE("dynamodb: a partition asked for more than its write units for split_after_s seconds splits, and the concurrency bound doubles") {
  // 1,500 items/s (1 unit each) on one partition of 1,000 units/s. Every second [0, 1) … [59, 60)
  // asks for 1,500 ≥ the threshold of 1,000, so with split_after_s 60 the streak completes at
  // the end of [59, 60): shard 0 closes at 60.0 s and two children (each half the hash range)
  // open then. Until 60 s the partition takes its bucket (1,000) plus 1,000/s: in [0, 1) all
  // 1,500, in [1, 2) the 500 left + 1,000 refilled, from [2, 3) on 1,000 of each 1,500 (500
  // refused). From 60 s each child takes about half of 1,500 < 1,000: nothing is refused. The
  // mapping (PF 1) reads each child once the parent is drained: the bound goes from 1 to 2.
  const auto outcome = simulate(scenario_from(table(1, 1500, "", R"([{"batch_size": 100}])", 120, R"(, "split_after_s": 60)")));
  REQUIRE(outcome.finished());
  const RunResult& r = outcome.result;
  REQUIRE(r.conservation_errors.empty());
  REQUIRE(r.stream.shards.size() == 3);
  CHECK(r.stream.partition_splits == 1);
  CHECK(r.stream.rollovers == 0);
  CHECK(r.stream.partitions_at_end == 2);
  CHECK(r.stream.shards[0].closed_s == Approx(60.0).margin(kEps));
  for (std::size_t child : {1, 2}) {
    CHECK(r.stream.shards[child].opened_s == Approx(60.0).margin(kEps));
    CHECK(r.stream.shards[child].parent == r.stream.shards[0].id);
    CHECK(*r.stream.shards[child].read_from_s >= *r.stream.shards[0].read_until_s);
  }
  const auto throttled = time_series_column(outcome.time_series_csv, "write_throttled");
  REQUIRE(throttled.size() >= 120);
  CHECK(throttled[0] == 0);
  for (std::size_t t = 2; t < 60; ++t) CHECK(throttled[t] == Approx(500).margin(1));
  for (std::size_t t = 60; t < 120; ++t) CHECK(throttled[t] == 0);
  CHECK(r.concurrency_limit == 2);
  CHECK(r.concurrency_peak == 2);
  // An on-demand table bills each accepted write's units.
  CHECK(r.cost.write_request_units == Approx(static_cast<double>(r.written)).margin(kEps));
  CHECK(r.cost.stream_usd == Approx(static_cast<double>(r.written) / 1e6 * 0.625).epsilon(1e-9));
}

TEST_CASE("dynamodb: a rollover keeps its partition: the split pressure and the write capacity go on in the child") {
  // The split case above with a rollover at 45 s: shard 0 [0, 45), its child shard 1 serves the
  // same partition from 45 s and carries on its streak, so the split still comes at the end of
  // [59, 60): shard 1 closes at 60 and two children open. The child also carries on the
  // partition's write capacity (no fresh burst at 45 s): 500 of each 1,500 are refused from
  // [2, 3) to [59, 60), 58 × 500 = 29,000, as without the rollover. (Known by its shard, the
  // partition lost its streak at 45 s: no split, and 500 refused every second to the end.)
  const auto outcome = simulate(scenario_from(table(1, 1500, R"(, "shard_rollover_s": 45)", R"([{"batch_size": 100}])", 120,
                                                    R"(, "split_after_s": 60)")));
  REQUIRE(outcome.finished());
  const RunResult& r = outcome.result;
  CHECK(r.stream.partition_splits == 1);
  REQUIRE(r.stream.shards.size() >= 4);
  CHECK(r.stream.shards[1].opened_s == Approx(45.0).margin(kEps));
  CHECK(r.stream.shards[1].closed_s == Approx(60.0).margin(kEps));
  CHECK(r.stream.shards[2].parent == r.stream.shards[1].id);
  CHECK(static_cast<double>(r.write_throttled) == Approx(29000).margin(2));
}

TEST_CASE("dynamodb: a shard rolls over every shard_rollover_s while producers write, and its child is read after it") {
  // Rollover every 30 s, production for 70 s: shard 0 [0, 30), shard 1 [30, 60), shard 2 from
  // 60 s (the next at 90 s comes after production, when the model stops rolling over). Each
  // child has its predecessor as parent and is read once that one is drained (parent first).
  const RunResult r = run_checked(table(1, 100, R"(, "shard_rollover_s": 30)", R"([{"batch_size": 100}])", 70));
  REQUIRE(r.stream.shards.size() == 3);
  CHECK(r.stream.rollovers == 2);
  CHECK(r.stream.partition_splits == 0);
  CHECK(r.stream.partitions_at_end == 1);
  for (std::size_t s = 1; s < 3; ++s) {
    CHECK(r.stream.shards[s].opened_s == Approx(30.0 * static_cast<double>(s)).margin(kEps));
    CHECK(r.stream.shards[s - 1].closed_s == Approx(30.0 * static_cast<double>(s)).margin(kEps));
    CHECK(r.stream.shards[s].parent == r.stream.shards[s - 1].id);
    CHECK(*r.stream.shards[s].read_from_s >= *r.stream.shards[s - 1].read_until_s);
  }
  CHECK(r.stream.shards[0].records == 3000);  // 100/s × 30 s
  CHECK(r.ordering.safe());
}

namespace {
// 100 items/s on one partition read by `n` mappings (a, b, c, …) of the same function.
RunResult readers(int n) {
  std::string consumers = "[";
  for (int i = 0; i < n; ++i)
    consumers += std::string(i ? ", " : "") + R"({"function": "f", "batch_size": 100, "name": ")" + char('a' + i) + "\"}";
  return run_checked(table(1, 100, "", consumers + "]", 30));
}
}  // namespace

TEST_CASE("dynamodb: two mappings on one shard are served without throttling") {
  // The shard serves 2 readers' worth of calls: 2 × 4 = 8 GetRecords per second; two mappings
  // polling 4 times per second use exactly that.
  const RunResult r = readers(2);
  CHECK(r.totals.read_throttles == 0);
  CHECK(to_json(r)["throttles"]["read_readers"] == 0);
}

namespace {
// Partition key = customer (20), sort key = event (50): 1,000 items over 2 partitions, PF 4.
// Lanes go by item, so a customer's items spread over the lanes.
RunResult customers(const char* order_by) {
  return run_checked(std::string(R"({"seed": 7, "duration_s": 30, "stream": {"type": "dynamodb", "table": {"partitions": 2}},
    "producers": [{"rate_per_s": 300, "keys": {"type": "uniform", "count": 20, "prefix": "customer-"},
                   "sort_keys": {"type": "uniform", "count": 50, "prefix": "event-"},
                   "record_bytes": {"type": "constant", "value": 500}, "order_by": ")") + order_by + R"("}],
    "consumers": [{"batch_size": 20, "parallelization_factor": 4}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.01},
                                     "per_record": {"type": "exponential", "mean": 0.005}}}}})");
}
}  // namespace

TEST_CASE("dynamodb: at PF 4 each item keeps its order") {
  const RunResult r = customers("item");
  CHECK(r.order_key == "item");
  CHECK(r.ordering.safe());
  CHECK(r.concurrency_peak > 2);  // more than one lane of a shard in use
}

TEST_CASE("dynamodb: at PF 4 one customer's items run at once, each overlap caused by per-item order") {
  const RunResult r = customers("partition_key");
  CHECK(r.order_key == "partition_key");
  // Each customer has 15 items/s on its partition, spread over its 4 lanes by item: a lane runs
  // one of them about 1.9 % of the time (3.75/s × 5 ms), so each of its 450 records starts while
  // one runs in another lane with odds of about 5 %: every customer is affected, many times over.
  CHECK(r.ordering.keys_affected == 20);
  CHECK(r.ordering.overlaps >= 20);
  CHECK(r.ordering.causes.at("overlap/per_item_order") == r.ordering.overlaps);
  CHECK(r.ordering.causes.at("out_of_order/per_item_order") == r.ordering.out_of_order);
}

TEST_CASE("dynamodb: a scheduled split names a partition by its position in hash key order") {
  // Two partitions at 0 s; at 10 s the second (upper half of the hash range) splits in the
  // middle: shard 1 closes, shards 2 and 3 open with parent shard 1, holding a quarter each.
  const RunResult r = run_checked(table(2, 100, R"(, "reshard": [{"at_s": 10, "type": "split", "shard": 1}])",
                                        R"([{"batch_size": 100}])", 20));
  REQUIRE(r.stream.shards.size() == 4);
  CHECK(r.stream.partition_splits == 1);
  CHECK(r.stream.partitions_at_end == 3);
  CHECK(r.stream.shards[1].closed_s == Approx(10).margin(kEps));
  for (std::size_t s : {2, 3}) {
    CHECK(r.stream.shards[s].parent == r.stream.shards[1].id);
    CHECK(r.stream.shards[s].opened_s == Approx(10).margin(kEps));
  }
  CHECK(r.stream.shards[2].starting_hash_key == "170141183460469231731687303715884105728");  // 2^127
  CHECK(r.stream.shards[3].starting_hash_key == "255211775190703847597530955573826158592");  // 3 × 2^126
}
