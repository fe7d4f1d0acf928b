// Tumbling windows on a stream mapping: batches of one window each, a final invocation without
// records once a window is over (a later record read, the shard's end, or the quiet wait after
// the window's end), retried until it succeeds.
#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
// One producer at 8 records/s, constant arrivals (k / 8 s: exact in binary), for `duration` s,
// over 10 keys; one mapping with batch size 100 and a 10 s window, on enhanced fan-out with no
// propagation delay (each record is pushed when it arrives); 0.05 s per invocation and 0.001 s
// per record, no init time.
// `stream`, `mapping` and `function` add fields.
std::string windowed(const std::string& stream, const std::string& mapping, const std::string& function = "",
                     double duration = 60) {
  return R"({"duration_s": )" + std::to_string(duration) + R"(,
    "stream": {"type": "kinesis", "shards": 1)" + stream + R"(},
    "producers": [{"rate_per_s": 8, "arrival": {"type": "constant"}, "keys": {"type": "uniform", "count": 10}}],
    "consumers": [{"function": "f", "batch_size": 100, "tumbling_window_s": 10, "delivery": "efo",
                   "propagation_delay_s": 0)" + mapping + R"(}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.05},
                                     "per_record": {"type": "constant", "value": 0.001}},
                        "cold_start": {"init_s": {"type": "constant", "value": 0}})" + function + R"(}}})";
}
}  // namespace

TEST_CASE("tumbling windows: one final invocation per window, at the first record of the next one") {
  // Records at k / 8 s, k = 0 … 479: windows [0, 10) … [50, 60), 80 records each. Each record is
  // read as it arrives and runs alone (0.051 s, less than the 0.125 s between records). The
  // record at 10 k s (k = 1 … 5) shows window k − 1 is over: its lane is idle (the batch of
  // 10 k − 0.125 s ended at 10 k − 0.074 s), so the final invocation runs [10 k, 10 k + 0.05]:
  // 0.05 s after the window's end; that record's batch then runs [10 k + 0.05, 10 k + 0.101],
  // before the next record. The last window sees no later record: its final invocation waits
  // the 120 s quiet period, running [180, 180.05]: 120.05 s after its end. 480 batches + 6 finals.
  const RunResult r = run_checked(windowed("", ""));
  CHECK(r.totals.processed == 480);
  CHECK(r.totals.windows_closed == 6);  // duration / window, one shard
  CHECK(r.totals.windows_closed_at_shard_end == 0);
  CHECK(r.totals.final_invocations == 6);
  CHECK(r.totals.invocations == 486);
  CHECK(r.mean_batch_size == Approx(1.0).epsilon(kEps));  // finals are not batches
  CHECK(r.window_final_s.max == Approx(120.05).epsilon(kEps));
  CHECK(r.window_final_s.mean == Approx((5 * 0.05 + 120.05) / 6).epsilon(kEps));
  CHECK(r.simulated_s == Approx(180.05).epsilon(kEps));
  CHECK(r.ordering.safe());
}

TEST_CASE("tumbling windows: with no quiet wait the last window closes at its end") {
  // As above with tumbling_window_quiet_s 0: the reader wakes at 60 s, when the last window is
  // over, and its final invocation runs [60, 60.05]; every final ends 0.05 s after its window.
  const RunResult r = run_checked(windowed("", R"(, "tumbling_window_quiet_s": 0)"));
  CHECK(r.totals.windows_closed == 6);
  CHECK(r.window_final_s.max == Approx(0.05).epsilon(kEps));
  CHECK(r.window_final_s.mean == Approx(0.05).epsilon(kEps));
  CHECK(r.simulated_s == Approx(60.05).epsilon(kEps));
}

TEST_CASE("tumbling windows: a batch never spans two windows, however large") {
  // The mapping is off until 35 s, then reads the 281 records of k / 8 ≤ 35 s at once. Batches
  // of up to 100 cut at the windows' ends: [0, 10), [10, 20) and [20, 30), 80 records each
  // (0.13 s), each followed by its window's final invocation (0.05 s: the next window's records
  // are read), then [30, 35] with 41 records, [35.54, 35.631] s. The reader fetches again only
  // when nothing is buffered: the 5 records of 35.125 … 35.625 s run as one batch, and from
  // 35.75 s each record alone (480 − 286 = 194). Batches 3 + 1 + 1 + 194, finals 6: 205.
  const RunResult r = run_checked(windowed("", R"(, "disabled": [{"from_s": 0, "to_s": 35}])"));
  CHECK(r.totals.processed == 480);
  CHECK(r.totals.windows_closed == 6);
  CHECK(r.totals.invocations == 3 + 1 + 1 + 194 + 6);
  CHECK(r.consumers[0].batch_size.max == Approx(80).epsilon(kEps));
  CHECK(r.ordering.safe());
}

TEST_CASE("tumbling windows: a split closes the parent's window early and its children open their own") {
  // The shard splits at 25 s. The parent holds the records of [0, 25): windows [0, 10) and
  // [10, 20) close at the next window's first record, and [20, 30) at the parent's end (before
  // 30 s: closed at the shard's end). Both children (10 keys spread over them) take records from
  // 25 s and close their own windows [20, 30) (from 25 s), [30, 40), [40, 50), [50, 60): 4 each.
  const RunResult r = run_checked(windowed(R"(, "reshard": [{"at_s": 25, "type": "split", "shard": 0}])", ""));
  CHECK(r.stream.splits == 1);
  CHECK(r.totals.processed == 480);
  CHECK(r.totals.windows_closed == 3 + 2 * 4);
  CHECK(r.totals.windows_closed_at_shard_end == 1);
  CHECK(r.ordering.safe());
}

TEST_CASE("tumbling windows: a failed final invocation is retried until it succeeds") {
  // Every invocation fails with probability 0.3, finals included; a failed batch is retried
  // until it succeeds (no retry limit, records far from expiry), so each failed batch invocation
  // is followed by one retry, and each failed final by another final. Every window still closes:
  // errors = the batches' retries + the finals beyond one per window.
  const RunResult r = run_checked(windowed("", "", R"(, "errors": {"invocation_failure_probability": 0.3})"));
  CHECK(r.totals.processed == 480);
  CHECK(r.totals.windows_closed == 6);
  CHECK(r.totals.final_invocations > 6);
  CHECK(r.totals.errors == r.totals.retries + (r.totals.final_invocations - 6));
}
