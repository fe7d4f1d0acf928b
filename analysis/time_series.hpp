#pragma once
// Per-interval time series of a run (1 s by default): throughput, throttles, concurrency,
// iterator age and backlog, written as CSV (columns in analysis/README.md). Memory grows with
// simulated time / interval, not with records.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace shardsim {

// Unfinished records per shard at the end of each second (summed over consumers), kept only
// while shards × seconds stays under kMaxCells (a million-cell table is ~16 MB).
class ShardBacklog {
public:
  static constexpr std::size_t kMaxCells = 1'000'000;
  // A shard opened: one more column.
  void add_shard();
  void written(std::size_t shard, double t, std::size_t consumers) { add(shard, t, static_cast<std::int64_t>(consumers)); }
  void finished(std::size_t shard, double t, std::size_t n) { add(shard, t, -static_cast<std::int64_t>(n)); }
  // Inline, with the last second's cells at hand (as TimeSeries::add).
  void add(std::size_t shard, double t, std::int64_t n) {
    if (t >= hot_second_ && t < hot_second_ + 1 && hot_row_ + shard < delta_.size()) delta_[hot_row_ + shard] += n;
    else add_slow(shard, t, n);
  }
  bool complete() const { return !overflow_; }
  // CSV: time_s, then one column per shard id.
  std::string csv(double end_s, const std::vector<std::string>& shard_ids) const;

private:
  void add_slow(std::size_t shard, double t, std::int64_t n);
  std::size_t shards_ = 0;
  std::vector<std::int64_t> delta_;  // [second × shards + shard]
  double hot_second_ = -1;           // the last second added to (cells from hot_row_)
  std::size_t hot_row_ = 0;
  bool overflow_ = false;
};

class TimeSeries {
public:
  enum Counter {
    produced, written, write_throttled, finished, processed, read_throttles, lambda_throttles, invocations,
    scaling_throttles, cold_starts,  // not in the CSV: for the scaling rate's bound
    kCounters
  };

  explicit TimeSeries(double interval_s = 1.0) : interval_(interval_s) {}
  // Inline, with the last row's second at hand: it is on every record's path, and most times
  // fall in the same second as the one before.
  void add(Counter counter, double t, std::uint64_t n = 1) {
    (t >= hot_from_ && t < hot_from_ + 1 ? rows_[hot_] : row(t)).counters[counter] += n;
  }
  // The busiest interval's mean concurrency (the level after the last change is not in it).
  double busiest_concurrency() const {
    double most = 0;
    for (const Row& r : rows_) most = std::max(most, r.concurrency_area / interval_);
    return most;
  }
  // The most `counter` counted in any `width` consecutive intervals.
  std::uint64_t busiest_window(Counter counter, std::size_t width) const {
    std::uint64_t in_window = 0, most = 0;
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      in_window += rows_[i].counters[counter];
      if (i >= width) in_window -= rows_[i - width].counters[counter];
      most = std::max(most, in_window);
    }
    return most;
  }
  // Seconds in the intervals in which `counter` counted something.
  double seconds_with(Counter counter) const {
    std::size_t n = 0;
    for (const Row& r : rows_) n += r.counters[counter] > 0;
    return static_cast<double>(n) * interval_;
  }
  // Invocations in flight changed to `level` at time t (a step function).
  void concurrency(int level, double t);
  // Step functions reported as their most per interval: open shards, shards being read (summed
  // over consumers). Changes come in time order for each.
  enum Level { open_shards, shards_being_read, concurrency_bound, kLevels };
  void level(Level which, int value, double t) { levels_[which].push_back({t, value}); }
  void iterator_age(double t, double age_s);
  // The largest iterator age reported in [from_s, to_s).
  double max_iterator_age(double from_s, double to_s) const;
  // CSV up to `end_s`; `consumers` scales the backlog (every consumer reads every record).
  std::string csv(double end_s, std::size_t consumers) const;

private:
  struct Row {
    std::uint64_t counters[kCounters] = {};
    double concurrency_area = 0;
    int concurrency_max = 0;
    double iterator_age_max = 0;
  };
  Row& row(double t);
  double interval_;
  std::vector<Row> rows_;
  // With 1 s intervals, row hot_ holds exactly the times in [hot_from_, hot_from_ + 1).
  std::size_t hot_ = 0;
  double hot_from_ = -1;
  std::vector<std::pair<double, int>> levels_[kLevels];  // (time, level from then on)
  int level_ = 0;
  double level_since_ = 0;
};

}  // namespace shardsim
