// The bound the records set on concurrency: lanes with records to run, against shards × PF.
// One process per TEST_CASE.
#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
// One shard, PF 10, hash lanes; 300 records/s over three keys (prefix 0, 1, 2) for 10 s; each
// record takes 10 ms, so each key alone about fills its lane (100 records/s × 10 ms) and a lane
// with two keys falls behind: every lane that gets records has records to run most of the time.
RunResult three_keys(const char* prefix) {
  return run_checked(std::string(R"({"seed": 1, "duration_s": 10, "stream": {"shards": 1},
    "producers": [{"rate_per_s": 300, "arrival": {"type": "constant"},
                   "keys": {"type": "uniform", "count": 3, "prefix": ")") + prefix + R"("}}],
    "consumers": [{"parallelization_factor": 10, "batch_size": 10}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0},
                                     "per_record": {"type": "constant", "value": 0.01}}}}})");
}
}  // namespace

TEST_CASE("lanes with work: PF 10 on three keys, two of them in one hash lane, keeps at most 2 lanes busy") {
  // MD5 hash lanes at PF 10 (shardsim keys --pf 10): "k0" lane 3, "k1" and "k2" lane 0.
  const RunResult r = three_keys("k");
  CHECK(r.concurrency_limit == 10);
  REQUIRE(r.lanes_with_work);
  CHECK(r.lanes_with_work->peak == 2);
  CHECK(r.concurrency_peak == 2);
  REQUIRE(r.consumers.at(0).lanes_with_work);
  CHECK(r.consumers.at(0).lanes_with_work->peak == 2);
}

TEST_CASE("lanes with work: three keys in three hash lanes keep 3 lanes busy") {
  // "x0" lane 1, "x1" lane 5, "x2" lane 6. Each lane has about a second's work per second from
  // the first poll on (0.2 s), until the backlog is done shortly after 10 s: a mean of at most 3
  // and, over the run's about 10 s, above 2.
  const RunResult r = three_keys("x");
  REQUIRE(r.lanes_with_work);
  CHECK(r.lanes_with_work->peak == 3);
  CHECK(r.concurrency_peak == 3);
  CHECK(r.lanes_with_work->mean > 2);
  CHECK(r.lanes_with_work->mean <= 3);
}
