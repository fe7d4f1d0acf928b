#include "models/kafka/event_pollers.hpp"

#include <algorithm>

namespace shardsim {

EventPollers::EventPollers(const EventPollerParams& params)
    : params_(params), count_(params.minimum), decided_(params.minimum), peak_(params.minimum) {
  budgets_.assign(std::max<std::size_t>(1, params.minimum), TokenBucket(params.bytes_per_s, params.bytes_per_s));
}

void EventPollers::apply_due(double now) {
  while (!pending_.empty() && pending_.front().first <= now) {
    const std::size_t next = pending_.front().second;
    pending_.pop_front();
    if (next == count_) continue;
    ++changes_;
    count_ = next;
    peak_ = std::max(peak_, count_);
    // A new poller starts with a full second of budget.
    while (budgets_.size() < count_) budgets_.emplace_back(params_.bytes_per_s, params_.bytes_per_s);
  }
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
