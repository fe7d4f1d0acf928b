#include "models/kafka/event_pollers.hpp"

#include <algorithm>
#include <cmath>

namespace shardsim {

EventPollers::EventPollers(const EventPollerParams& params)
    : params_(params), count_(params.minimum), decided_(params.minimum), peak_(params.minimum) {
  budgets_.assign(std::max<std::size_t>(1, params.minimum), TokenBucket(params.bytes_per_s, params.bytes_per_s));
  history_.emplace_back(0, count_);
}

void EventPollers::apply_due(double now) {
  while (!pending_.empty() && pending_.front().first <= now) {
    const auto [when, next] = pending_.front();
    pending_.pop_front();
    if (next == count_) continue;
    ++changes_;
    count_ = next;
    history_.emplace_back(when, count_);
    peak_ = std::max(peak_, count_);
    // A new poller starts with a full second of budget.
    while (budgets_.size() < count_) budgets_.emplace_back(params_.bytes_per_s, params_.bytes_per_s);
  }
}

void EventPollers::charge(std::size_t partition, double now, std::uint64_t bytes) {
  budget(partition, now).charge(now, static_cast<double>(bytes));
  const double second = std::floor(now);
  if (second != second_) {
    peak_utilization_ = std::max(peak_utilization_, second_bytes_ / second_capacity_);
    second_ = second;
    second_bytes_ = 0;
  }
  second_bytes_ += static_cast<double>(bytes);
  second_capacity_ = static_cast<double>(count_) * params_.bytes_per_s;  // the pollers at its last fetch
  bytes_ += static_cast<double>(bytes);
}

double EventPollers::peak_utilization() const { return std::max(peak_utilization_, second_bytes_ / second_capacity_); }

double EventPollers::mean_utilization(double until) const {
  double poller_s = 0;
  for (std::size_t i = 0; i < history_.size() && history_[i].first < until; ++i) {
    const double to = i + 1 < history_.size() ? std::min(until, history_[i + 1].first) : until;
    poller_s += static_cast<double>(history_[i].second) * (to - history_[i].first);
  }
  return poller_s > 0 ? bytes_ / (poller_s * params_.bytes_per_s) : 0;
}

TokenBucket& EventPollers::budget(std::size_t partition, double now) {
  apply_due(now);
  return budgets_[partition % count_];
}

void EventPollers::evaluate(double now, const PollerObservation& seen) {
  const std::size_t ceiling = std::max(params_.minimum, std::min(params_.maximum, seen.partitions));
  std::size_t next = decided_;
  if (seen.throttles > last_.throttles) next = decided_ - (decided_ > params_.minimum ? 1 : 0);
  else if (seen.lag > last_.lag && seen.held_reads > last_.held_reads) next = 2 * decided_;
  else if (seen.lag == 0 && decided_ > params_.minimum) next = decided_ - 1;
  next = std::clamp(next, params_.minimum, ceiling);
  last_ = seen;
  if (next == decided_) return;
  decided_ = next;
  pending_.emplace_back(now + params_.scale_delay_s, next);
}

}  // namespace shardsim
