// A mapping turned off and on again (consumers[].disabled). One process per TEST_CASE.
#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
// One record a second at t = 0 … 19, visible at once; invocations of 0.1 s, no cold-start time.
// The mapping is off from 5.5 to 12.5 s.
std::string switched_off(const std::string& stream, const std::string& consumer) {
  return R"({
    "duration_s": 20,
    "stream": )" + stream + R"(,
    "producers": [{"rate_per_s": 1, "arrival": {"type": "constant"}}],
    "consumers": [{"propagation_delay_s": 0, "disabled": [{"from_s": 5.5, "to_s": 12.5}])" + consumer + R"(}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}},
                        "duration": {"per_invocation": {"type": "constant", "value": 0.1},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })";
}
}  // namespace

TEST_CASE("a Kinesis mapping turned off reads nothing, then resumes from its checkpoint") {
  // Reads once a second at 0 … 5: one record and one invocation each. Off from 5.5: nothing is
  // read. On at 12.5: one read takes records 6 … 12 (7) into one batch, 12.5–12.6; then reads at
  // 13.5 … 19.5 take one record each. 6 + 1 + 7 = 14 invocations; record 6 waited longest,
  // 12.6 − 6 = 6.6 s; the last ends at 19.6.
  const RunResult r = run_checked(switched_off("{}", R"(, "poll_interval_s": 1)"));
  CHECK(r.totals.processed == 20);
  CHECK(r.totals.invocations == 14);
  CHECK(r.latency_s.max == Approx(6.6).margin(kEps));
  CHECK(r.simulated_s == Approx(19.6).margin(kEps));
}

TEST_CASE("an SQS mapping turned off receives nothing, then takes what waited") {
  // Long polling: each message is received as it arrives (0 … 5). Off from 5.5: messages 6 … 12
  // wait; on at 12.5: one poller receives all 7 (batch size 10), 12.5–12.6; then 13 … 19 one
  // each. 14 invocations; message 6 waited 6.6 s; the last ends at 19.1.
  const RunResult r = run_checked(switched_off(R"({"type": "sqs_standard"})", ""));
  CHECK(r.totals.processed == 20);
  CHECK(r.totals.invocations == 14);
  CHECK(r.latency_s.max == Approx(6.6).margin(kEps));
  CHECK(r.simulated_s == Approx(19.1).margin(kEps));
}

TEST_CASE("a retry that falls in an off period waits for the mapping to be on again") {
  // One poison record at t = 0 (MaximumRetryAttempts 1): fails 0–0.1; the retry is due at 1.1
  // (backoff 1 s) but the mapping is off from 0.5 to 4: it runs 4–4.1, fails, and the record is
  // discarded at 4.1.
  const RunResult r = run_checked(R"({
    "duration_s": 0.5,
    "producers": [{"rate_per_s": 1, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["p"]}}],
    "consumers": [{"propagation_delay_s": 0, "max_retry_attempts": 1, "disabled": [{"from_s": 0.5, "to_s": 4}]}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}}, "errors": {"poison_keys": ["p"]},
                        "duration": {"per_invocation": {"type": "constant", "value": 0.1},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  CHECK(r.totals.invocations == 2);
  CHECK(r.totals.discarded == 1);
  CHECK(r.simulated_s == Approx(4.1).margin(kEps));
}

TEST_CASE("a mapping turned off for good leaves its records unfinished") {
  // Off from 5.5 to the end: records 0 … 5 are processed, 6 … 19 stay in the stream.
  const auto outcome = simulate(scenario_from(R"({
    "duration_s": 20,
    "producers": [{"rate_per_s": 1, "arrival": {"type": "constant"}}],
    "consumers": [{"propagation_delay_s": 0, "poll_interval_s": 1, "disabled": [{"from_s": 5.5, "to_s": -1}]}],
    "functions": {"f": {}}
  })"));
  CHECK(outcome.result.totals.processed == 6);
  CHECK(outcome.result.in_flight_at_end == 14);
  CHECK(outcome.result.conservation_errors.empty());
}
