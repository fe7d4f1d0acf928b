// The example scenarios each exist to show one thing; these tests assert that thing on the
// files themselves (so an edit that stops an example from showing it fails here). One process
// per TEST_CASE.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
RunResult run_example(const std::string& name, const std::vector<std::string>& overrides = {}) {
  auto loaded = load_scenario(std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/examples/" + name, overrides);
  INFO(loaded.diagnostics.format());
  REQUIRE(loaded.scenario);
  const auto outcome = simulate(*loaded.scenario);
  REQUIRE(outcome.finished());
  REQUIRE(outcome.result.conservation_errors.empty());
  return outcome.result;
}
}  // namespace

TEST_CASE("kpl-aggregation.json: one partition key leaves PF 10 a single lane") {
  // Every Kinesis record carries the key "kpl-aggregate": a key is in one lane at a time, so
  // at most one invocation runs, whatever the PF (the bound says 10).
  const RunResult r = run_example("kpl-aggregation.json");
  CHECK(r.concurrency_peak == 1);
  CHECK(r.concurrency_limit == 10);
  CHECK(r.ordering.safe());
}

TEST_CASE("fan-out.json: the enhanced fan-out consumer joins at 30 s from LATEST and is never read-throttled") {
  const RunResult r = run_example("fan-out.json");
  REQUIRE(r.consumers.size() == 3);
  const auto& notify = r.consumers[2];
  CHECK(notify.counts.read_throttles == 0);
  // LATEST at 30 s: it skips what was put before (about 30 s × 600/s) and reads the rest.
  CHECK(notify.counts.skipped + notify.counts.processed == r.written);
  CHECK(notify.counts.skipped == Approx(30 * 600).epsilon(0.05));
  // The two polling consumers read everything.
  CHECK(r.consumers[0].counts.processed == r.written);
  CHECK(r.consumers[1].counts.processed == r.written);
}

TEST_CASE("partial-failures.json: checkpointing at the lowest failed record reruns later successes as duplicates") {
  const RunResult r = run_example("partial-failures.json");
  // About 18,000 records, each failing its first try with probability 0.02: about 360 failures
  // (± 57 at 3σ), each one partial failure of its invocation unless another record of the same
  // batch failed too (batches of up to 25: at most a fifth of them), so at least 230. The records
  // after a failed one in its batch ran and run again: about (25 − 1) / 2 ≈ 11 duplicates per
  // partial failure (batches are often shorter: ± 30 %).
  CHECK(r.totals.partial_failures >= 230);
  CHECK(r.totals.duplicates == Approx(11.0 * static_cast<double>(r.totals.partial_failures)).epsilon(0.3));
  CHECK(r.ordering.duplicates == r.totals.duplicates);
  // Every record is processed once or given up; none is lost to the stream.
  CHECK(r.totals.processed + r.totals.discarded == r.written);
  CHECK(r.totals.expired == 0);
}

TEST_CASE("diurnal.json: traffic follows the day's shape") {
  // The factor rises linearly 0.1 → 0.4 → 1.0 → 0.8 → 0.1 over the hour: the expected count is
  // 4,000/s × ∫ factor dt = 4,000 × (1,200 × 0.25 + 900 × 0.7 + 600 × 0.9 + 900 × 0.45) =
  // 4,000 × 1,875 = 7,500,000 records (Poisson: ± 0.1 % at 3σ).
  const RunResult r = run_example("diurnal.json");
  CHECK(r.produced == Approx(7'500'000).epsilon(0.002));
}

TEST_CASE("ordered-puts.json against producer-retries.json: ordering kept, nothing dropped") {
  const RunResult r = run_example("ordered-puts.json");
  // The hot shard is offered 1,080 + 180 records/s for 60 s, 75,600 at 1,000/s: the hot key is
  // backlogged from about 0.85 s (the bucket's 1,000 at a net 1,180/s) until after 74 s. Putting
  // at 2,000/s it empties the bucket 35 ms after each refusal's wait of at most 2 s: at least
  // 73 / 2.035 ≈ 36 refusals.
  CHECK(r.put_retries >= 36);
  CHECK(r.ordering.out_of_order == 0);
  CHECK(r.dropped == 0);
}

TEST_CASE("split-during-backlog.json: with lineage parent_first no key is reordered and two shards are read at most") {
  const RunResult first = run_example("split-during-backlog.json");
  CHECK(first.ordering.safe());
  CHECK(first.concurrency_peak == 2);
}

TEST_CASE("split-during-backlog.json with lineage ignore: the damage, all attributed to lineage") {
  const RunResult r = run_example("split-during-backlog.json", {"consumers.0.lineage=\"ignore\""});
  CHECK(r.concurrency_peak == 3);
  // Batches of 100 take 0.5 s: 200 of the 400 records/s are read, so at the split (30 s) the
  // parent holds about 6,000 (Poisson: ± 330 at 3σ; a poll's lag adds up to 200). It drains them
  // at 200/s while the children's records of every key finish within their first batches: those
  // about 6,000, less the 100 or so before that, are out of order.
  CHECK(r.ordering.out_of_order == Approx(5950).margin(550));
  CHECK(r.ordering.causes.at("out_of_order/lineage") == r.ordering.out_of_order);
  CHECK(r.ordering.causes.at("overlap/lineage") == r.ordering.overlaps);
}

TEST_CASE("scale-out.json: eight shards open at 60 s, but eight are read only as the parents drain") {
  const RunResult r = run_example("scale-out.json");
  CHECK(r.stream.splits == 4);
  CHECK(r.stream.max_open_shards == 8);
  CHECK(r.concurrency_peak == 8);
  CHECK(r.ordering.safe());
}

TEST_CASE("merge-after-peak.json: each merged child is read once both parents are, and shard-hours fall") {
  const RunResult r = run_example("merge-after-peak.json");
  CHECK(r.stream.merges == 2);
  CHECK(r.stream.open_shards_at_end == 2);
  REQUIRE(r.stream.shards.size() == 6);
  // Shards 4 (of 0 and 1) and 5 (of 2 and 3) open at 75 s; each is first read when the later of
  // its parents' readers is done, which the backlog puts after 75 s.
  for (std::size_t child = 4; child <= 5; ++child) {
    const auto& a = r.stream.shards[2 * (child - 4)];
    const auto& b = r.stream.shards[2 * (child - 4) + 1];
    REQUIRE(a.read_until_s);
    REQUIRE(b.read_until_s);
    CHECK(r.stream.shards[child].opened_s == 75);
    CHECK(*r.stream.shards[child].read_from_s == std::max(*a.read_until_s, *b.read_until_s));
    CHECK(*r.stream.shards[child].read_from_s > 75);
  }
  // Four shards over [0, 75), two over [75, end).
  CHECK(r.cost.shard_hours * 3600 == Approx(4 * 75 + 2 * (r.simulated_s - 75)).epsilon(1e-12));
  CHECK(r.ordering.safe());
}

TEST_CASE("on-demand-burst.json: a 6× launch is throttled for the 15 minutes the new shards take") {
  // A new on-demand stream has 4 shards. The second [300, 301) at 6,000 records/s gets 4 ×
  // (1,000 bucket + 1,000 refill) ≥ 6,000 accepted, but 4 shards sustain 4 shard units, the
  // peak that counts: twice that is 8 shards, 900 s after the second that set the peak closed
  // (301 s). Until then 4,000/s are taken and the rest refused; from 1,201 s the 8 shards serve
  // the 6,000/s. Their peak of 6 units would call for 12 shards at 2,102 s, after production.
  auto loaded = load_scenario(std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/examples/on-demand-burst.json");
  REQUIRE(loaded.scenario);
  const auto outcome = simulate(*loaded.scenario);
  REQUIRE(outcome.finished());
  const RunResult& r = outcome.result;
  CHECK(r.stream.open_shards_at_end == 8);
  CHECK(r.stream.max_open_shards == 8);
  std::size_t opened_at_1201 = 0;
  for (const auto& s : r.stream.shards) opened_at_1201 += s.opened_s > 1201 && s.opened_s < 1201.1;
  CHECK(opened_at_1201 == 8);
  const auto throttled = time_series_column(outcome.time_series_csv, "write_throttled");
  for (std::size_t t = 0; t < 300; ++t) CHECK(throttled[t] == 0);
  for (std::size_t t = 302; t < 1200; t += 100) CHECK(throttled[t] > 1000);
  for (std::size_t t = 1203; t < 1500; ++t) CHECK(throttled[t] == 0);
  CHECK(r.cost.on_demand);
}

TEST_CASE("tumbling-window.json: one final invocation per shard and minute, the last one two minutes late") {
  // 600 s of records on 4 shards with 60 s windows: 10 windows per shard, 40 closed, none early.
  // The last minute's finals wait the 120 s quiet period: the run ends at 720 s plus one final's
  // 0.1 s; the others end about a poll after their minute, well under the 3 s the file expects.
  const RunResult r = run_example("tumbling-window.json");
  CHECK(r.totals.windows_closed == 40);
  CHECK(r.totals.windows_closed_at_shard_end == 0);
  CHECK(r.totals.final_invocations == 40);
  CHECK(r.window_final_s.max == Approx(120.1).epsilon(kEps));
  CHECK(r.simulated_s == Approx(720.1).epsilon(kEps));
  CHECK(r.window_final_s.p50 < 3);
  CHECK(r.ordering.safe());
}
