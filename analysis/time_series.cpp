#include "analysis/time_series.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace shardsim {

TimeSeries::Row& TimeSeries::row(double t) {
  const auto index = static_cast<std::size_t>(std::max(0.0, std::floor(t / interval_)));
  if (index >= rows_.size()) rows_.resize(index + 1);
  if (interval_ == 1 && t >= 0) {
    hot_ = index;
    hot_from_ = static_cast<double>(index);
  }
  return rows_[index];
}

void TimeSeries::iterator_age(double t, double age_s) {
  Row& r = row(t);
  r.iterator_age_max = std::max(r.iterator_age_max, age_s);
}

void TimeSeries::concurrency(int level, double t) {
  // Spread the previous level's area, and its level as a maximum, over the intervals it covered.
  // A level that lasts no time (an invocation ending at t and another starting at t, in either
  // order) is no concurrency: the new level counts once it has lasted.
  double from = level_since_;
  while (from < t) {
    const double bucket_end = (std::floor(from / interval_) + 1) * interval_;
    const double to = std::min(t, bucket_end);
    Row& r = row(from);
    r.concurrency_area += level_ * (to - from);
    r.concurrency_max = std::max(r.concurrency_max, level_);
    from = to;
  }
  level_ = level;
  level_since_ = t;
}

double TimeSeries::max_iterator_age(double from_s, double to_s) const {
  double age = 0;
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const double t = static_cast<double>(i) * interval_;
    if (t >= from_s && t < to_s) age = std::max(age, rows_[i].iterator_age_max);
  }
  return age;
}

std::string TimeSeries::csv(double end_s, std::size_t consumers) const {
  std::string out =
      "time_s,produced,written,write_throttled,processed,read_throttles,lambda_throttles,invocations,"
      "concurrency_mean,concurrency_max,concurrency_bound,open_shards,shards_being_read,iterator_age_max_s,backlog_records\n";
  TimeSeries copy = *this;
  copy.concurrency(level_, end_s);  // close the last step
  const auto n = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(end_s / interval_)));
  // Events at exactly end_s (the last completion) belong to the last interval.
  while (copy.rows_.size() > n) {
    const Row extra = copy.rows_.back();
    copy.rows_.pop_back();
    Row& last = copy.rows_.back();
    for (int c = 0; c < kCounters; ++c) last.counters[c] += extra.counters[c];
    last.concurrency_area += extra.concurrency_area;
    last.concurrency_max = std::max(last.concurrency_max, extra.concurrency_max);
    last.iterator_age_max = std::max(last.iterator_age_max, extra.iterator_age_max);
  }
  std::int64_t backlog = 0;
  char line[256];
  // The most of each level during an interval: the level it starts with and every later one.
  std::size_t next[kLevels] = {};
  int current[kLevels] = {};
  const auto most = [&](int which, double from, double to) {
    const auto& events = levels_[which];
    while (next[which] < events.size() && events[next[which]].first <= from) current[which] = events[next[which]++].second;
    int m = current[which];
    while (next[which] < events.size() && events[next[which]].first < to) {
      current[which] = events[next[which]++].second;
      m = std::max(m, current[which]);
    }
    return m;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const Row r = i < copy.rows_.size() ? copy.rows_[i] : Row{};
    backlog += static_cast<std::int64_t>(r.counters[written] * consumers) - static_cast<std::int64_t>(r.counters[finished]);
    const double length = std::min(interval_, end_s - static_cast<double>(i) * interval_);
    const double from = static_cast<double>(i) * interval_, to = i + 1 == n ? end_s + 1e-9 : from + interval_;
    const int shards_open = most(open_shards, from, to), shards_read = most(shards_being_read, from, to),
              bound = most(concurrency_bound, from, to);
    std::snprintf(line, sizeof line, "%g,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%.6g,%d,%d,%d,%d,%.6g,%lld\n",
                  static_cast<double>(i) * interval_, static_cast<unsigned long long>(r.counters[produced]),
                  static_cast<unsigned long long>(r.counters[written]),
                  static_cast<unsigned long long>(r.counters[write_throttled]),
                  static_cast<unsigned long long>(r.counters[processed]),
                  static_cast<unsigned long long>(r.counters[read_throttles]),
                  static_cast<unsigned long long>(r.counters[lambda_throttles]),
                  static_cast<unsigned long long>(r.counters[invocations]),
                  length > 0 ? r.concurrency_area / length : 0.0, r.concurrency_max, bound, shards_open, shards_read,
                  r.iterator_age_max,
                  static_cast<long long>(backlog));
    out += line;
  }
  return out;
}

}  // namespace shardsim

namespace shardsim {

void ShardBacklog::add_shard() {
  hot_second_ = -1;  // rows are wider from now on
  const std::size_t rows = shards_ ? delta_.size() / shards_ : 0;
  if (overflow_ || rows == 0) {
    ++shards_;
    return;
  }
  if (rows * (shards_ + 1) > kMaxCells) {
    ++shards_;
    overflow_ = true;
    delta_.clear();
    return;
  }
  std::vector<std::int64_t> wider(rows * (shards_ + 1), 0);
  for (std::size_t r = 0; r < rows; ++r)
    std::copy(delta_.begin() + static_cast<std::ptrdiff_t>(r * shards_),
              delta_.begin() + static_cast<std::ptrdiff_t>((r + 1) * shards_),
              wider.begin() + static_cast<std::ptrdiff_t>(r * (shards_ + 1)));
  delta_.swap(wider);
  ++shards_;
}

void ShardBacklog::add_slow(std::size_t shard, double t, std::int64_t n) {
  if (overflow_) return;
  const auto second = static_cast<std::size_t>(std::max(0.0, std::floor(t)));
  const std::size_t cell = second * shards_ + shard;
  if (cell >= kMaxCells) {
    overflow_ = true;
    delta_.clear();
    hot_second_ = -1;
    return;
  }
  if (cell >= delta_.size()) delta_.resize((second + 1) * shards_, 0);
  delta_[cell] += n;
  if (t >= 0) {
    hot_second_ = static_cast<double>(second);
    hot_row_ = second * shards_;
  }
}

std::string ShardBacklog::csv(double end_s, const std::vector<std::string>& shard_ids) const {
  std::string out = "time_s";
  for (const auto& id : shard_ids) out += "," + id;
  out += "\n";
  const auto seconds = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(end_s)));
  const std::size_t rows = shards_ ? delta_.size() / shards_ : 0;
  std::vector<std::int64_t> level(shards_, 0);
  for (std::size_t s = 0; s < seconds; ++s) {
    // The last row also takes events at exactly end_s, as in timeseries.csv.
    const std::size_t last = s + 1 == seconds ? std::max(rows, s + 1) : s + 1;
    for (std::size_t r = s; r < last && r < rows; ++r)
      for (std::size_t k = 0; k < shards_; ++k) level[k] += delta_[r * shards_ + k];
    out += std::to_string(s);
    for (auto v : level) out += "," + std::to_string(v);
    out += "\n";
  }
  return out;
}

}  // namespace shardsim
