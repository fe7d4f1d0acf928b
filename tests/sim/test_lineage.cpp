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
}

TEST_CASE("ignore: children are read while the parent drains, so keys are reordered and three shards are read") {
  const RunResult r = run_checked(backlog_split("ignore"));
  CHECK(r.ordering.out_of_order > 0);  // a child's records of a key finish before the parent's older ones
  CHECK(r.ordering.causes.at("out_of_order/lineage") == r.ordering.out_of_order);
  CHECK(r.consumers[0].concurrency_limit == 3);  // parent and both children at once
  CHECK(r.totals.processed == r.written);
}
