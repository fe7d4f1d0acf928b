#include "models/core/batch_retry.hpp"

#include <algorithm>

namespace shardsim {

BatchRetry::Part& BatchRetry::push_part() {
  if (live_ == parts_.size()) parts_.emplace_back();
  Part& part = parts_[live_++];
  part.records.clear();
  part.succeeded_before.clear();
  part.failures = 0;
  part.failed_before = false;
  part.borrowed = false;
  return part;
}

void BatchRetry::start(const std::vector<Record>& batch) {
  live_ = 0;
  batch_ = &batch;
  push_part().borrowed = true;
}

void BatchRetry::own(Part& part) {
  if (!part.borrowed) return;
  part.records.assign(batch_->begin(), batch_->end());
  part.succeeded_before.assign(part.records.size(), false);
  part.borrowed = false;
}

// The first `count` records of the part are done: successes (or duplicates) leave the part.
void BatchRetry::finish_records(Part& part, std::size_t count, Settlement& s) {
  // The usual case: every record of the batch succeeded now, none before.
  if (part.borrowed && count == batch_->size() && s.succeeded.empty()) {
    if (rules_.lend_whole_batch) s.whole_batch = true;
    else s.succeeded.assign(batch_->begin(), batch_->end());
    return;
  }
  own(part);
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
  for (std::size_t i = 0; i < live_; ++i)
    n += parts_[i].borrowed ? batch_->size()
                            : static_cast<std::size_t>(std::count(parts_[i].succeeded_before.begin(), parts_[i].succeeded_before.end(), false));
  return n;
}

void BatchRetry::for_each_unfinished(const std::function<void(const Record&)>& f) const {
  for (std::size_t i = 0; i < live_; ++i) {
    const std::vector<Record>& rs = records(parts_[i]);
    for (std::size_t k = 0; k < rs.size(); ++k)
      if (parts_[i].borrowed || !parts_[i].succeeded_before[k]) f(rs[k]);
  }
}

BatchRetry::Part& BatchRetry::begin_settlement(Settlement& s) {
  s.succeeded.clear();
  s.duplicates.clear();
  s.discarded.clear();
  s.expired.clear();
  s.bisected = s.backoff = s.whole_batch = false;
  Part& part = parts_[live_ - 1];
  s.after_failure = part.failed_before;
  return part;
}

void BatchRetry::settle(const HandlerOutcome& outcome, double now, Settlement& s) {
  Part& part = begin_settlement(s);
  if (outcome.ok()) {
    finish_records(part, records(part).size(), s);
    --live_;
    s.retry = live_ > 0;
    return;
  }
  if (!outcome.function_error && rules_.report_batch_item_failures) {
    // Checkpoint at the lowest failed record. The records after it that succeeded have
    // succeeded (first time, or again) but will run again.
    own(part);
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
    part.failed_before = true;
    if (lowest > 0) {  // the checkpoint advanced: the rest is a new batch, invoked at once
      part.failures = 0;
      s.retry = true;
      return;
    }
    ++part.failures;
  } else if (rules_.bisect_on_error && records(part).size() > 1) {
    // The part keeps its second half; the first half goes ahead of it.
    own(part);
    const std::size_t second = live_ - 1;
    const auto half = static_cast<std::ptrdiff_t>(part.records.size() / 2);
    Part& first = push_part();  // may move parts_: `part` is not used after this
    Part& rest = parts_[second];
    first.records.assign(rest.records.begin(), rest.records.begin() + half);
    first.succeeded_before.assign(rest.succeeded_before.begin(), rest.succeeded_before.begin() + half);
    first.failures = rest.failures;
    first.failed_before = rest.failed_before = true;
    rest.records.erase(rest.records.begin(), rest.records.begin() + half);
    rest.succeeded_before.erase(rest.succeeded_before.begin(), rest.succeeded_before.begin() + half);
    s.bisected = true;
    s.retry = true;
    return;
  } else {
    ++part.failures;
    part.failed_before = true;
  }
  const bool out_of_attempts = rules_.max_retry_attempts >= 0 && part.failures > rules_.max_retry_attempts;
  if (prune(part, now, out_of_attempts, s)) --live_;
  else s.backoff = true;
  s.retry = live_ > 0;
}

bool BatchRetry::drop_stale(double now, Settlement& s) {
  begin_settlement(s);
  // A part left empty is done; the next one is looked at in turn.
  while (live_ > 0 && prune(parts_[live_ - 1], now, false, s)) --live_;
  s.retry = live_ > 0;
  return !s.discarded.empty() || !s.expired.empty();
}

bool BatchRetry::prune(Part& part, double now, bool out_of_attempts, Settlement& s) {
  // Records that expired in the stream cannot be retried, and records past the maximum age are
  // not (one that had succeeded is neither lost nor discarded).
  const bool aged = rules_.max_record_age_s >= 0;
  const auto goes = [&](const Record& r) {
    return r.arrival_s < now - rules_.retention_s || (aged && now - r.arrival_s > rules_.max_record_age_s);
  };
  // The usual case, nothing to drop, only reads the records.
  const std::vector<Record>& rs = records(part);
  std::size_t kept = static_cast<std::size_t>(std::find_if(rs.begin(), rs.end(), goes) - rs.begin());
  if (kept == rs.size() && !out_of_attempts) return rs.empty();
  own(part);
  for (std::size_t i = kept; i < part.records.size(); ++i) {
    const Record& r = part.records[i];
    if (goes(r)) {
      if (!part.succeeded_before[i]) (r.arrival_s < now - rules_.retention_s ? s.expired : s.discarded).push_back(r);
      continue;
    }
    part.records[kept] = part.records[i];
    part.succeeded_before[kept] = part.succeeded_before[i];
    ++kept;
  }
  part.records.resize(kept);
  part.succeeded_before.resize(kept);
  if (part.records.empty()) return true;
  if (!out_of_attempts) return false;
  for (std::size_t i = 0; i < part.records.size(); ++i)
    if (!part.succeeded_before[i]) s.discarded.push_back(part.records[i]);
  return true;
}

}  // namespace shardsim
