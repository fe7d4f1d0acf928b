// On-demand capacity mode: the stream adds shards for twice its peak write rate, scale_delay_s
// after the second that set it. One process per TEST_CASE.
#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
// 100-byte records at a scheduled rate (constant arrivals, so each second holds its rate to ±1),
// 100,000 uniform keys, no put retries, new peaks served after 60 s.
std::string on_demand(const std::string& points, const char* shape) {
  return R"({
    "duration_s": 300,
    "stream": {"capacity_mode": "on_demand", "on_demand": {"scale_delay_s": 60}},
    "producers": [{"rate_per_s": 1000, "record_bytes": {"type": "constant", "value": 100}, "max_put_attempts": 1,
                   "keys": {"type": "uniform", "count": 100000},
                   "arrival": {"type": "schedule", "within": "constant", "shape": ")" + std::string(shape) +
         R"(", "points": )" + points + R"(}}],
    "consumers": [{"batch_size": 1000}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.05},
                                     "per_record": {"type": "constant", "value": 0.00001}}}}
  })";
}

std::size_t opened_between(const RunResult& r, double from, double to) {
  std::size_t n = 0;
  for (const auto& s : r.stream.shards) n += s.opened_s >= from && s.opened_s < to;
  return n;
}
}  // namespace

TEST_CASE("on demand: a step from 1,000 to 9,700 records/s is throttled until the shards for the new peak open") {
  // 4 shards (a new stream) take 1,000/s easily. At 120 s the rate steps to 9,700/s. In the
  // second [120, 121) each shard takes its full bucket plus a second's refill, 2,000 records:
  // 8,000 in all, but the 4 shards sustain only 4 shard units, the peak that counts, so twice
  // it needs 8 shards: 4 → 8 at 181.0 s (60 s after that second). Until then the 4 shards serve
  // 4,000/s and refuse the rest. The 8 new shards take all of [181, 182) (their full buckets),
  // but sustain 8 units: 16 shards at 242.0 s; meanwhile 8,000/s are served and, once the new
  // shards' bursts (8 × 1,000) are spent after 8,000 / 1,700 = 4.7 s, 1,700/s refused.
  // From 242 s the 9,700/s are served: the second [242, 243) sets the peak at 9.7 units, 20
  // shards needed, 32 at 303.0 s; production has ended by then, so that scale-up never happens.
  // (Counting the first second's burst as the peak made it 4 → 16 at 181 and 32 at 242.)
  const auto outcome = simulate(scenario_from(on_demand(R"([{"at_s": 0, "factor": 1}, {"at_s": 120, "factor": 9.7}])", "step")));
  REQUIRE(outcome.finished());
  const RunResult& r = outcome.result;
  REQUIRE(r.conservation_errors.empty());
  CHECK(opened_between(r, 181, 181.1) == 8);
  CHECK(opened_between(r, 242, 242.1) == 16);
  CHECK(r.stream.shards.size() == 4 + 8 + 16);
  CHECK(r.stream.splits == 4 + 8);
  CHECK(r.stream.open_shards_at_end == 16);
  CHECK(r.stream.max_open_shards == 16);
  const auto throttled = time_series_column(outcome.time_series_csv, "write_throttled");
  const auto open = time_series_column(outcome.time_series_csv, "open_shards");
  REQUIRE(throttled.size() >= 300);
  for (std::size_t t = 0; t < 120; ++t) CHECK(throttled[t] == 0);
  for (std::size_t t = 121; t < 181; ++t) {
    CHECK(throttled[t] > 5000);  // 9,700 offered, 4,000 taken
    CHECK(open[t] == 4);
  }
  // (±3 %: the uniform keys load the 8 shards a little unevenly, second by second.)
  for (std::size_t t = 187; t < 242; ++t) CHECK(throttled[t] == Approx(1700).margin(50));
  for (std::size_t t = 243; t < 300; ++t) CHECK(throttled[t] == 0);
  CHECK(open[200] == 8);
  CHECK(open[250] == 16);
  // On-demand billing: per stream-hour and per GB, not per shard-hour.
  CHECK(r.cost.on_demand);
  CHECK(r.cost.gb_written == Approx(static_cast<double>(r.written) * (100 + 9) / (1ull << 30)).epsilon(0.01));
}

TEST_CASE("on demand: a steady 2,000 records/s is served by the 4 shards, and a step to 3,000/s scales after it") {
  // 4 shards serve twice a peak of 2,000/s (2 shard units): each second holds exactly 2,000
  // records, so nothing is added until the step to 3,000/s at 60 s. Its second [60, 61) sets the
  // peak at 3 units, 6 shards needed: 4 → 8 at 121.0 s. (A 2,001st record in the first second,
  // from rounding, made it 4 → 8 at 61 s, 60 s early.)
  const RunResult r = run_checked(on_demand(R"([{"at_s": 0, "factor": 2}, {"at_s": 60, "factor": 3}])", "step"));
  CHECK(opened_between(r, 1, 121) == 0);  // (the 4 shards of the start open at 0)
  CHECK(opened_between(r, 121, 121.1) == 8);
  CHECK(r.stream.open_shards_at_end == 8);
  CHECK(r.write_throttled == 0);
}

TEST_CASE("on demand: a ramp that never more than doubles within the scale delay is never throttled") {
  // The rate grows 1.5× per 60 s, linearly between points, from 1,000/s to 7,594/s. The shards
  // open at t serve twice the peak second up to t − 60 s, at least 2 × r(t − 61) ≥ 1.33 × r(t):
  // no shard is ever over its 1,000/s. The peak first needs more than 4 shards (> 2,000/s) in
  // the second [100, 101) (the rate is 2,000/s at 100 s), so 8 shards open at 161.0 s; the
  // highest need is 2 × 7.59 → 16 shards.
  const RunResult r = run_checked(on_demand(R"([{"at_s": 0, "factor": 1}, {"at_s": 60, "factor": 1.5},
    {"at_s": 120, "factor": 2.25}, {"at_s": 180, "factor": 3.375}, {"at_s": 240, "factor": 5.0625},
    {"at_s": 300, "factor": 7.59375}])", "linear"));
  CHECK(r.write_throttled == 0);
  CHECK(opened_between(r, 161, 161.1) == 8);
  CHECK(r.stream.open_shards_at_end == 16);
  CHECK(r.stream.max_open_shards == 16);
}

TEST_CASE("on demand: a shard above 500 KB/s of writes is split after the scale delay, its hot key not isolated") {
  // One key, 600 records/s of 1,000 bytes + a 3-byte key: 601,800 bytes/s on one shard, above
  // 500 KB/s (512,000 bytes) but within its 1 MiB/s, and 0.6 shard units in all (no new peak
  // beyond the 4 shards). The second [0, 1) closes with the put at 1.0: the shard splits 60 s
  // later, at 61.0, into two halves. The key goes on to one child, which is hot as well; its
  // split would come at 122 s, after production (100 s), so it does not happen.
  const RunResult r = run_checked(R"({
    "duration_s": 100,
    "stream": {"capacity_mode": "on_demand", "on_demand": {"scale_delay_s": 60}},
    "producers": [{"rate_per_s": 600, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["hot"], "repeat": true},
                   "record_bytes": {"type": "constant", "value": 1000}, "max_put_attempts": 1}],
    "consumers": [{"batch_size": 1000}],
    "functions": {"f": {}}
  })");
  REQUIRE(r.stream.shards.size() == 6);
  CHECK(r.stream.splits == 1);
  CHECK(opened_between(r, 60.9, 61.1) == 2);
  CHECK(r.stream.open_shards_at_end == 5);
  CHECK(r.write_throttled == 0);
}
