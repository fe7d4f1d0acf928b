#pragma once
// Exact time-weighted mean, integral and peak of a step function (invocations in flight, open
// shards, shards being read, over time).
namespace shardsim {

class ConcurrencyTracker {
public:
  // A level counts toward the peak once it has lasted: an invocation ending at t and another
  // starting at t are not concurrent, whichever is reported first.
  void set(int level, double now) {
    if (now > since_ && current_ > peak_) peak_ = current_;
    area_ += current_ * (now - since_);
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

private:
  double area_ = 0;
  double since_ = 0;
  int current_ = 0;
  int peak_ = 0;
};

}  // namespace shardsim
