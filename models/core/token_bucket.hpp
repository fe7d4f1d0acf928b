#pragma once
// A token bucket refilled continuously: the per-shard limits of Kinesis (1,000 records/s and
// 1 MiB/s for writes, 5 GetRecords/s and 2 MiB/s for reads) are modelled as buckets holding
// one second's worth. Time only moves forward; calls must come in time order.
namespace shardsim {

class TokenBucket {
public:
  TokenBucket(double rate_per_s, double capacity) : rate_(rate_per_s), capacity_(capacity), level_(capacity) {}

  // Takes `amount` if the bucket holds that much at time `now`.
  bool try_take(double now, double amount) {
    refill(now);
    if (level_ < amount) return false;
    level_ -= amount;
    return true;
  }
  // Takes `amount` just found there by has(now, amount), at the same `now`.
  void take_checked(double amount) { level_ -= amount; }
  // Takes `amount` even into debt (a GetRecords call is charged its bytes after it returns).
  void charge(double now, double amount) {
    refill(now);
    level_ -= amount;
  }
  // True if at least `amount` is available at `now` (without taking it).
  bool has(double now, double amount) {
    refill(now);
    return level_ >= amount;
  }
  // Earliest time ≥ now at which the bucket holds `amount` (amount ≤ capacity).
  double time_available(double now, double amount) {
    refill(now);
    return level_ >= amount ? now : now + (amount - level_) / rate_;
  }
  double level(double now) {
    refill(now);
    return level_;
  }

private:
  void refill(double now) {
    if (now > last_) {
      level_ = level_ + (now - last_) * rate_;
      if (level_ > capacity_) level_ = capacity_;
      last_ = now;
    }
  }
  double rate_;
  double capacity_;
  double level_;
  double last_ = 0;
};

}  // namespace shardsim
