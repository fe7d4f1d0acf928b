// Concurrency over time: an invocation that ends at t and one that starts at t are not
// concurrent, in whichever order the two events are reported.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "analysis/concurrency_tracker.hpp"
#include "analysis/time_series.hpp"

using namespace shardsim;

namespace {
// The concurrency_max column of timeseries.csv, row by row.
std::vector<int> max_column(const TimeSeries& series, double end_s) {
  std::istringstream csv(series.csv(end_s, 1));
  std::string line;
  std::getline(csv, line);  // header
  std::vector<int> out;
  while (std::getline(csv, line)) {
    std::istringstream row(line);
    std::string cell;
    for (int column = 0; column < 10; ++column) std::getline(row, cell, ',');
    out.push_back(std::stoi(cell));  // column 10: concurrency_max
  }
  return out;
}
}  // namespace

TEST_CASE("a start reported before an end at the same instant is not a peak") {
  // Two invocations run [0.5, 2] and [1, 3]; a third starts at 2, the instant the first ends,
  // and the start is reported first. At most two run at once in every second.
  TimeSeries series;
  ConcurrencyTracker tracker;
  const std::vector<std::pair<double, int>> levels{{0.5, 1}, {1, 2}, {2, 3}, {2, 2}, {3, 1}, {3.5, 0}};
  for (auto [t, level] : levels) {
    series.concurrency(level, t);
    tracker.set(level, t);
  }
  CHECK(max_column(series, 4) == std::vector<int>{1, 2, 2, 1});
  CHECK(tracker.peak(4) == 2);
  // Mean over [0, 4]: 1 × 0.5 + 2 × 2 + 1 × 0.5 = 5 invocation-seconds.
  CHECK(tracker.mean(4) == Approx(5.0 / 4));
}

TEST_CASE("a level held until the end counts, one that lasts no time does not") {
  ConcurrencyTracker tracker;
  tracker.set(4, 0);
  CHECK(tracker.peak(0) == 0);   // nothing has lasted yet
  CHECK(tracker.peak(1) == 4);   // held over [0, 1]
  tracker.set(7, 1);
  tracker.set(4, 1);             // 7 for no time
  CHECK(tracker.peak(2) == 4);
  TimeSeries series;
  series.concurrency(4, 0);
  series.concurrency(7, 1);
  series.concurrency(4, 1);
  CHECK(max_column(series, 2) == std::vector<int>{4, 4});
}

TEST_CASE("the time-weighted p99 of concurrency is the level exceeded at most 1 % of the time") {
  // 0 for 98 s, 5 for 1.5 s, 2 for 0.5 s over [0, 100]: at or below 2 for 98.5 % of the time,
  // so p99 is 5; p98 is 0 (0 holds for exactly 98 %); the median 0.
  ConcurrencyTracker t;
  t.set(5, 98);
  t.set(2, 99.5);
  CHECK(t.quantile(0.99, 100) == 5);
  CHECK(t.quantile(0.98, 100) == 0);
  CHECK(t.quantile(0.985, 100) == 2);
  CHECK(t.quantile(0.5, 100) == 0);
  CHECK(t.quantile(1.0, 100) == 5);
  // The level held since the last change counts up to `until`: 2 from 99.5 s to 200 s.
  CHECK(t.quantile(0.99, 200) == 2);
}
