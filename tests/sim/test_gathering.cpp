// A push source (enhanced fan-out, a Kafka poller) hands each record over as it becomes
// visible; while a lone lane's batch gathers in its batching window the reader fetches those
// records together when the batch is cut, and books each read at its visible time. The batches
// and the latency split are those of a reader that took each record as it came.
#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
// Records at k / 8 s for 10 s on one shard (exact in binary), read by enhanced fan-out with no
// propagation delay, batches of `batch` records in a 1 s window; 0.05 s per invocation and
// 0.001 s per record, no init time.
std::string gathering(int batch) {
  return R"({"duration_s": 10,
    "stream": {"shards": 1},
    "producers": [{"rate_per_s": 8, "arrival": {"type": "constant"}, "keys": {"type": "uniform", "count": 10}}],
    "consumers": [{"function": "f", "delivery": "efo", "propagation_delay_s": 0, "batching_window_s": 1,
                   "batch_size": )" + std::to_string(batch) + R"(}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.05},
                                     "per_record": {"type": "constant", "value": 0.001}},
                        "cold_start": {"init_s": {"type": "constant", "value": 0}}}}})";
}
double cause_mean(const RunResult& r, LatencyCause c) {
  REQUIRE(r.latency_causes_s);
  return (*r.latency_causes_s)[static_cast<std::size_t>(c)].mean;
}
}  // namespace

TEST_CASE("gathering: a window's records are fetched together and booked to the window") {
  // The first record (0 s) opens a 1 s window: the batch is cut at 1 s with the 9 records of
  // 0 … 1 s (the one of 1 s is visible then) and runs 0.059 s; the next record (1.125 s) opens
  // the next window. Windows of 9 records start every 1.125 s: 8 of them take 72 records, and
  // the last 8 (9 … 9.875 s) are cut at 10 s. A record's batching-window wait is the cut less
  // its arrival: 1 − 0.125 j for j = 0 … 8 (mean 0.5) in a full window, 1 … 0.125 s (mean 0.5625)
  // in the last: (72 × 0.5 + 8 × 0.5625) / 80 = 0.50625 s. Nothing is waited for a poll. The
  // reader wakes about three times per batch (its window opens, its cut, its end), not per record.
  const RunResult r = run_checked(gathering(100));
  CHECK(r.totals.processed == 80);
  CHECK(r.totals.invocations == 9);
  CHECK(r.consumers[0].batch_size.max == Approx(9).epsilon(kEps));
  CHECK(cause_mean(r, LatencyCause::batching_window) == Approx(0.50625).epsilon(1e-9));
  CHECK(cause_mean(r, LatencyCause::poll) == Approx(0).margin(1e-9));
  CHECK(r.wakeups < 40);
}

TEST_CASE("gathering: a batch that fills before its window ends is cut when its last record is visible") {
  // Batches of 5: the window opened by the record of 0 s fills at 0.5 s (records 0 … 0.5 s) and
  // runs 0.055 s; the next opens at 0.625 s and fills at 1.125 s: every batch holds 5 records
  // spanning 0.5 s, 16 batches for 80 records, each record waiting 0.5 − 0.125 j (j = 0 … 4):
  // mean 0.25 s in the window. Woken per record, the reader would wake at least 80 times.
  const RunResult r = run_checked(gathering(5));
  CHECK(r.totals.invocations == 16);
  CHECK(cause_mean(r, LatencyCause::batching_window) == Approx(0.25).epsilon(1e-9));
  CHECK(r.wakeups < 80);
}
