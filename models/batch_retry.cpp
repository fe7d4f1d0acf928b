#include "models/batch_retry.hpp"

#include <algorithm>

namespace shardsim {

BatchRetry::BatchRetry(const RetryRules& rules, std::vector<Record> batch) : rules_(rules) {
  const std::size_t n = batch.size();
  pending_.push_back({std::move(batch), std::vector<bool>(n, false), 0});
}

// The first `count` records of the part are done: successes (or duplicates) leave the part.
void BatchRetry::finish_records(Part& part, std::size_t count, Settlement& s) {
  if (count == part.records.size() && s.succeeded.empty() &&
      std::find(part.succeeded_before.begin(), part.succeeded_before.end(), true) == part.succeeded_before.end()) {
    s.succeeded.swap(part.records);  // the usual case: the whole part succeeded the first time
    part.succeeded_before.clear();
    return;
  }
  s.succeeded.reserve(s.succeeded.size() + count);
  for (std::size_t i = 0; i < count; ++i) {
    if (part.succeeded_before[i]) s.duplicates.push_back(part.records[i]);
    else s.succeeded.push_back(part.records[i]);
  }
  part.records.erase(part.records.begin(), part.records.begin() + static_cast<std::ptrdiff_t>(count));
  part.succeeded_before.erase(part.succeeded_before.begin(),
                              part.succeeded_before.begin() + static_cast<std::ptrdiff_t>(count));
}

std::size_t BatchRetry::unfinished() const {
  std::size_t n = 0;
  for (const Part& part : pending_) n += static_cast<std::size_t>(std::count(part.succeeded_before.begin(), part.succeeded_before.end(), false));
  return n;
}

Settlement BatchRetry::settle(const HandlerOutcome& outcome, double now) {
  Settlement s;
  Part& part = pending_.front();
  s.after_failure = part.failures > 0;
  if (outcome.ok()) {
    finish_records(part, part.records.size(), s);
    pending_.pop_front();
    s.retry = !pending_.empty();
    return s;
  }
  if (!outcome.function_error && rules_.report_batch_item_failures) {
    // Checkpoint at the lowest failed record. The records after it that succeeded have
    // succeeded (first time, or again) but will run again.
    const std::size_t lowest = *std::min_element(outcome.failed.begin(), outcome.failed.end());
    std::vector<bool> failed(part.records.size(), false);
    for (std::size_t i : outcome.failed) failed[i] = true;
    std::vector<Record> later_successes;
    for (std::size_t i = lowest; i < part.records.size(); ++i) {
      if (failed[i]) continue;
      if (part.succeeded_before[i]) s.duplicates.push_back(part.records[i]);
      else later_successes.push_back(part.records[i]);
      part.succeeded_before[i] = true;
    }
    finish_records(part, lowest, s);
    s.succeeded.insert(s.succeeded.end(), later_successes.begin(), later_successes.end());
    ++part.failures;
  } else if (rules_.bisect_on_error && part.records.size() > 1) {
    const auto half = static_cast<std::ptrdiff_t>(part.records.size() / 2);
    Part first{{part.records.begin(), part.records.begin() + half},
               {part.succeeded_before.begin(), part.succeeded_before.begin() + half},
               part.failures};
    Part second{{part.records.begin() + half, part.records.end()},
                {part.succeeded_before.begin() + half, part.succeeded_before.end()},
                part.failures};
    pending_.pop_front();
    pending_.push_front(std::move(second));
    pending_.push_front(std::move(first));
    s.bisected = true;
    s.retry = true;
    return s;
  } else {
    ++part.failures;
  }
  // Records that expired in the stream cannot be retried (one that had succeeded is not lost).
  std::size_t kept = 0;
  for (std::size_t i = 0; i < part.records.size(); ++i) {
    if (part.records[i].arrival_s < now - rules_.retention_s) {
      if (!part.succeeded_before[i]) s.expired.push_back(part.records[i]);
      continue;
    }
    part.records[kept] = part.records[i];
    part.succeeded_before[kept] = part.succeeded_before[i];
    ++kept;
  }
  part.records.resize(kept);
  part.succeeded_before.resize(kept);
  bool discard = false;
  if (!part.records.empty()) {
    const bool out_of_attempts = rules_.max_retry_attempts >= 0 && part.failures > rules_.max_retry_attempts;
    double oldest = part.records.front().arrival_s;
    for (const Record& r : part.records) oldest = std::min(oldest, r.arrival_s);
    const bool too_old = rules_.max_record_age_s >= 0 && now - oldest > rules_.max_record_age_s;
    discard = out_of_attempts || too_old;
  }
  if (discard)
    for (std::size_t i = 0; i < part.records.size(); ++i)
      if (!part.succeeded_before[i]) s.discarded.push_back(part.records[i]);
  if (discard || part.records.empty()) pending_.pop_front();
  else s.backoff = true;
  s.retry = !pending_.empty();
  return s;
}

}  // namespace shardsim
