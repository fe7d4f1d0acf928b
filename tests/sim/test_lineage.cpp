// Reading a split shard's children before the parent is drained: the lineage switch. One process
// per TEST_CASE.
#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
// One shard with a backlog (10 keys, 400 records/s, a consumer that takes 100 records per 0.5 s
// invocation: 200/s), split at 10 s; production stops at 20 s. When it splits, the parent still
// holds about 10 s × 200 = 2,000 unread records of every key.
std::string backlog_split(const char* lineage) {
  return R"({
    "duration_s": 20,
    "stream": {"shards": 1, "reshard": [{"at_s": 10, "type": "split", "shard": 0}]},
    "producers": [{"rate_per_s": 400, "keys": {"type": "uniform", "count": 10}}],
    "consumers": [{"batch_size": 100, "lineage": ")" + std::string(lineage) + R"("}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.5},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })";
}
}  // namespace

TEST_CASE("parent_first: children wait for the parent, so no key is reordered and two shards are read at most") {
  const RunResult r = run_checked(backlog_split("parent_first"));
  CHECK(r.ordering.out_of_order == 0);
  CHECK(r.ordering.overlaps == 0);
  CHECK(r.consumers[0].concurrency_limit == 2);  // the two children, after the parent
  CHECK(r.configuration["consumers"][0]["lineage"] == "parent_first");
  // The result's account of the shards: the parent closed at 10 s, two children opened then.
  CHECK(r.stream.splits == 1);
  CHECK(r.stream.max_open_shards == 2);
  REQUIRE(r.stream.shards.size() == 3);
  CHECK(r.stream.shards[0].closed_s == std::optional<double>(10));
  CHECK(r.stream.shards[1].parent == "shardId-000000000000");
  CHECK(r.stream.shards[2].opened_s == 10);
  CHECK(r.stream.shards[1].ending_hash_key == "170141183460469231731687303715884105727");  // 2^127 − 1
  CHECK(r.stream.shards[0].records + r.stream.shards[1].records + r.stream.shards[2].records == r.written);
}

TEST_CASE("ignore: children are read while the parent drains, so keys are reordered and three shards are read") {
  const RunResult r = run_checked(backlog_split("ignore"));
  // At 10 s the parent still holds about (400 − 200) × 10 = 2,000 records (Poisson: ± 190 at 3σ).
  // The children's records of every key finish within their first batches, from 10.5 s; the
  // parent's backlog, drained at 200/s, finishes after them: each of those records is out of
  // order (less the hundred or two the parent runs before the children's first batches end).
  CHECK(r.ordering.out_of_order == Approx(2000).margin(300));
  CHECK(r.ordering.causes.at("out_of_order/lineage") == r.ordering.out_of_order);
  CHECK(r.ordering.causes.count("overlap/same_partition_key") == 0);  // overlaps too are lineage's
  CHECK(r.consumers[0].concurrency_limit == 3);  // parent and both children at once
  CHECK(r.totals.processed == r.written);
}

TEST_CASE("a merge closes two adjacent shards and opens one child with both as parents") {
  // Two shards merge at 5 s: from then on every put goes to shard 2, whose parents are 0 and 1;
  // one shard is open at the end, two at most, and shard-hours count 2 × 5 s + 1 × the rest.
  const RunResult r = run_checked(R"({
    "duration_s": 10,
    "stream": {"shards": 2, "reshard": [{"at_s": 5, "type": "merge", "shard": 0, "adjacent_shard": 1}]},
    "producers": [{"rate_per_s": 100, "arrival": {"type": "constant"}, "keys": {"type": "uniform", "count": 100}}],
    "consumers": [{}],
    "functions": {"f": {}}
  })");
  CHECK(r.stream.merges == 1);
  CHECK(r.stream.open_shards_at_end == 1);
  REQUIRE(r.stream.shards.size() == 3);
  CHECK(r.stream.shards[2].parent == "shardId-000000000000");
  CHECK(r.stream.shards[2].adjacent_parent == "shardId-000000000001");
  CHECK(r.stream.shards[2].records == 500);  // the puts at 5.00, 5.01, …, 9.99
  CHECK(r.totals.processed == r.written);
  CHECK(r.cost.shard_hours * 3600 == Approx(2 * 5 + (r.simulated_s - 5)).epsilon(1e-12));
}

namespace {
// Four shards behind (uniform keys at 1,600 records/s; each mapping lane takes 100 records per
// 0.5 s invocation: 200/s a shard), scaled to eight with UpdateShardCount at 10 s: every shard
// splits in the middle. PF 1.
std::string scale_out(const char* lineage) {
  return R"({
    "duration_s": 20,
    "stream": {"shards": 4, "reshard": [{"at_s": 10, "type": "update_shard_count", "target_shard_count": 8}]},
    "producers": [{"rate_per_s": 1600, "keys": {"type": "uniform", "count": 1000}}],
    "consumers": [{"batch_size": 100, "lineage": ")" + std::string(lineage) + R"("}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.5},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })";
}
}  // namespace

TEST_CASE("UpdateShardCount 4 → 8 under a backlog, parent_first: at most 8 invocations at once") {
  // Each child waits for its parent: a parent and its children are never read together, so
  // the shards being read never exceed 8. The bound (shards being read × PF 1) stays 4 through
  // the second of the split (the children open but wait) and reaches 8 only later, as parents
  // drain: each holds 10 s × (400 − 200)/s = 2,000 unread records at the split, 10 s of reading.
  const auto outcome = simulate(scenario_from(scale_out("parent_first")));
  REQUIRE(outcome.finished());
  const RunResult& r = outcome.result;
  const auto bound = time_series_column(outcome.time_series_csv, "concurrency_bound");
  for (std::size_t t = 0; t <= 10; ++t) CHECK(bound[t] == 4);
  CHECK(bound[15] == 4);
  CHECK(*std::max_element(bound.begin(), bound.end()) == 8);
  CHECK(r.stream.splits == 4);
  CHECK(r.stream.open_shards_at_end == 8);
  CHECK(r.concurrency_peak == 8);
  CHECK(r.ordering.safe());
}

TEST_CASE("UpdateShardCount 4 → 8 under a backlog, lineage ignored: 12 at once, and keys reordered") {
  // The four draining parents and their eight children are read together from 10 s.
  const auto outcome = simulate(scenario_from(scale_out("ignore")));
  REQUIRE(outcome.finished());
  const RunResult& r = outcome.result;
  const auto bound = time_series_column(outcome.time_series_csv, "concurrency_bound");
  for (std::size_t t = 0; t < 10; ++t) CHECK(bound[t] == 4);
  CHECK(bound[10] == 12);
  CHECK(bound[15] == 12);
  CHECK(r.concurrency_peak == 12);
  CHECK(r.consumers[0].concurrency_limit == 12);
  CHECK(r.ordering.causes.at("out_of_order/lineage") == r.ordering.out_of_order);
}

TEST_CASE("UpdateShardCount 3 → 5: splits at the new boundaries, merges between them, equal shards at the end") {
  // From thirds to fifths: boundaries at 1/5, 2/5, 3/5, 4/5 of the space cut the thirds into
  // seven pieces, and the pieces between two boundaries merge: 4 splits, 2 merges, five open
  // shards of equal size, every record read.
  const RunResult r = run_checked(R"({
    "duration_s": 10,
    "stream": {"shards": 3, "reshard": [{"at_s": 5, "type": "update_shard_count", "target_shard_count": 5}]},
    "producers": [{"rate_per_s": 300, "keys": {"type": "uniform", "count": 1000}}],
    "consumers": [{}],
    "functions": {"f": {}}
  })");
  CHECK(r.stream.splits == 4);
  CHECK(r.stream.merges == 2);
  CHECK(r.stream.open_shards_at_end == 5);
  CHECK(r.stream.max_open_shards == 5);  // the pieces live no time
  CHECK(r.totals.processed == r.written);
  std::vector<std::string> starts;
  for (const auto& s : r.stream.shards)
    if (!s.closed_s) starts.push_back(s.starting_hash_key);
  std::sort(starts.begin(), starts.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  // floor(2^128 / 5) × k
  CHECK(starts == std::vector<std::string>{"0", "68056473384187692692674921486353642291",
                                           "136112946768375385385349842972707284582",
                                           "204169420152563078078024764459060926873",
                                           "272225893536750770770699685945414569164"});
}

namespace {
// scenarios/teaching/split-lineage.json: 4 records/s for 4 s, keys A B C D in turn, 1 s of
// work per record; the shard splits at 2 s. The producer generates all 16 records before the
// clock reaches 2 s, so the stream applies the split ahead of the clock: the new shards' readers
// must still start at 2 s (their opening), not earlier, and must start at all.
RunResult teaching_split(const char* lineage) {
  auto loaded = load_scenario(std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/teaching/split-lineage.json",
                              {std::string("consumers.0.lineage=") + lineage});
  INFO(loaded.diagnostics.format());
  REQUIRE(loaded.scenario);
  const auto outcome = simulate(*loaded.scenario);
  REQUIRE(outcome.finished());
  return outcome.result;
}
}  // namespace

TEST_CASE("a split applied ahead of the clock: with parent_first the children are read once the parent is done") {
  const RunResult r = teaching_split("parent_first");
  CHECK(r.totals.processed == 16);
  REQUIRE(r.stream.shards.size() == 3);
  const auto& parent = r.stream.shards[0];
  CHECK(parent.records == 8);  // put at 0, 0.25, …, 1.75 s
  REQUIRE(parent.read_until_s);
  CHECK(*parent.read_until_s >= 8);  // 8 records of 1 s each, one at a time
  for (std::size_t child = 1; child <= 2; ++child) CHECK(r.stream.shards[child].read_from_s == parent.read_until_s);
  CHECK(r.ordering.safe());
}

TEST_CASE("a split applied ahead of the clock: with ignore the children are read from their opening at 2 s") {
  const RunResult r = teaching_split("ignore");
  CHECK(r.totals.processed == 16);
  REQUIRE(r.stream.shards.size() == 3);
  for (std::size_t child = 1; child <= 2; ++child) CHECK(r.stream.shards[child].read_from_s == std::optional<double>(2));
  // The parent runs A B C D A B C D one second each from about 1 s (ending near 2, 3, 4, 5, 6, 7,
  // 8 and 9 s); from 3 s each child runs its own: A C A C on one, B D B D on the other (ending
  // near 4, 5, 6 and 7 s). The parent's second A, B, C and D end after the children's first of
  // their keys, and so does its first D (at 5 s, just after the child's D): 5 out of order.
  CHECK(r.ordering.causes.at("out_of_order/lineage") == 5);
}
