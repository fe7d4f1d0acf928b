#pragma once
// Exact time-weighted mean, integral and peak of a step function (invocations in flight, open
// shards, shards being read, over time).
namespace shardsim {

class ConcurrencyTracker {
public:
  void set(int level, double now) {
    area_ += current_ * (now - since_);
    since_ = now;
    current_ = level;
    if (level > peak_) peak_ = level;
  }
  int peak() const { return peak_; }
  int current() const { return current_; }
  // Mean over [0, until], and the integral over [0, until] (level × seconds).
  double mean(double until) const {
    if (until <= 0) return 0.0;
    return area(until) / until;
  }
  double area(double until) const { return area_ + current_ * (until - since_); }

private:
  double area_ = 0;
  double since_ = 0;
  int current_ = 0;
  int peak_ = 0;
};

}  // namespace shardsim
