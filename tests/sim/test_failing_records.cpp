// Failure rules by record and by attempt (functions.<f>.errors.failing_records). One process per
// TEST_CASE.
#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

TEST_CASE("a record whose dependency is cold fails its first delivery and succeeds on the retry") {
  // Records a, b, p, c at t = 0 … 0.003, read together at t = 1.0 (delay 0.5 s, polls once a
  // second). p fails on its first delivery only: 1.0–1.1 the batch fails at p (a and b ran, c
  // did not); after the 1 s backoff, 2.1–2.2 every record succeeds. a waited longest: 2.2 s.
  const RunResult r = run_checked(R"({
    "duration_s": 0.004,
    "producers": [{"rate_per_s": 1000, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["a","b","p","c"]}}],
    "consumers": [{"propagation_delay_s": 0.5}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}},
                        "errors": {"failing_records": [{"key": "p", "attempts": [1]}]},
                        "duration": {"per_invocation": {"type": "constant", "value": 0.1},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  CHECK(r.totals.invocations == 2);
  CHECK(r.totals.errors == 1);
  CHECK(r.totals.processed == 4);
  CHECK(r.totals.discarded == 0);
  CHECK(r.latency_s.max == Approx(2.2).margin(kEps));
}

TEST_CASE("one message of an SQS FIFO group fails once: its group waits a visibility timeout, in order") {
  // Four messages of group g at t = 0 … 0.003. m1 is received at once (long polling) and
  // processed 0–0.1; the group then gives m2 … m4 in one batch at 0.1. m2 (sequence 2) fails its
  // first delivery: the batch fails and its messages are visible again 30 s (the visibility
  // timeout) after their receive, at 30.1; received again, 30.1–30.2 all succeed. m2 waited
  // 30.2 − 0.001 = 30.199 s; the group stays in order.
  const RunResult r = run_checked(R"({
    "duration_s": 0.004,
    "stream": {"type": "sqs_fifo"},
    "producers": [{"rate_per_s": 1000, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["g"], "repeat": true}}],
    "consumers": [{"batch_size": 10}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}},
                        "errors": {"failing_records": [{"key": "g", "sequence": 2, "attempts": [1]}]},
                        "duration": {"per_invocation": {"type": "constant", "value": 0.1},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  CHECK(r.totals.invocations == 3);
  CHECK(r.totals.errors == 1);
  CHECK(r.totals.processed == 4);
  CHECK(r.latency_s.max == Approx(30.199).margin(kEps));
  CHECK(r.ordering.out_of_order == 0);
}
