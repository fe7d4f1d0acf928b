#pragma once
// Exact time-weighted mean, integral, peak and quantiles of a step function (invocations in
// flight, open shards, shards being read, over time).
#include <algorithm>
#include <cstddef>
#include <vector>

namespace shardsim {

class ConcurrencyTracker {
public:
  // A level counts toward the peak once it has lasted: an invocation ending at t and another
  // starting at t are not concurrent, whichever is reported first.
  void set(int level, double now) {
    if (now > since_ && current_ > peak_) peak_ = current_;
    area_ += current_ * (now - since_);
    if (current_ >= 0) {
      if (static_cast<std::size_t>(current_) >= time_at_level_.size()) time_at_level_.resize(current_ + 1, 0.0);
      time_at_level_[current_] += now - since_;
    }
    since_ = now;
    current_ = level;
  }
  // The highest level held for some time up to `until` (≥ the last change).
  int peak(double until) const { return until > since_ && current_ > peak_ ? current_ : peak_; }
  int current() const { return current_; }
  // Mean over [0, until], and the integral over [0, until] (level × seconds).
  double mean(double until) const {
    if (until <= 0) return 0.0;
    return area(until) / until;
  }
  double area(double until) const { return area_ + current_ * (until - since_); }
  // Seconds of [0, until] spent at `level` or above.
  double time_at_or_above(int level, double until) const {
    double t = current_ >= level ? until - since_ : 0.0;
    for (std::size_t l = static_cast<std::size_t>(std::max(level, 0)); l < time_at_level_.size(); ++l) t += time_at_level_[l];
    return t;
  }
  // The lowest level the function stays at or below for at least a share q of [0, until]
  // (q = 0.99: exceeded only 1 % of the time).
  int quantile(double q, double until) const {
    if (until <= 0) return current_;
    double below = 0;
    for (std::size_t level = 0; level < time_at_level_.size() || level <= static_cast<std::size_t>(current_); ++level) {
      below += level < time_at_level_.size() ? time_at_level_[level] : 0.0;
      if (static_cast<int>(level) == current_) below += until - since_;
      if (below >= q * until * (1 - 1e-12)) return static_cast<int>(level);
    }
    return current_;
  }

private:
  double area_ = 0;
  double since_ = 0;
  int current_ = 0;
  int peak_ = 0;
  std::vector<double> time_at_level_;  // seconds spent at each level, up to since_
};

}  // namespace shardsim
