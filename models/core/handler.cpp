#include "models/core/handler.hpp"

#include <algorithm>
#include <unordered_map>

namespace shardsim {

inline double Handler::record_duration(const Record& record) {
  const Distribution& per_record = config_.duration.per_record;
  double d = 0;
  for (std::uint16_t i = 0; i < record.user_records; ++i)
    d += per_record.is_constant() ? per_record.value : per_record.sample(rng_);
  if (!slow_.empty() && std::binary_search(slow_.begin(), slow_.end(), record.key))
    d *= config_.duration.slow_key_multiplier;
  return d;
}

inline bool Handler::record_fails(const Record& record) {
  if (failures_ && failures_->fails(record)) return true;
  const double p = config_.errors.record_failure_probability;
  return p > 0 && rng_.uniform01() < p;
}

double Handler::run_sequential(const std::vector<Record>& batch, double t, bool report_item_failures,
                               HandlerOutcome& out) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const double start = t;
    t += record_duration(batch[i]);
    out.record_start_s[i] = start;
    out.record_end_s[i] = t;
    if (record_fails(batch[i])) {
      out.failed.push_back(i);
      if (!report_item_failures) {
        out.function_error = true;  // thrown here: the rest of the batch does not run
        return t;
      }
    }
  }
  return t;
}

double Handler::run_per_key_parallel(const std::vector<Record>& batch, double t0, HandlerOutcome& out) {
  // Groups by ordering key, in order of first appearance.
  std::unordered_map<KeyId, std::size_t> group_of;
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto [it, fresh] = group_of.try_emplace(batch[i].order_key, groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  const auto workers = static_cast<std::size_t>(std::max<std::int64_t>(1, config_.max_in_handler_concurrency));
  std::vector<double> free_at(std::min(workers, groups.size()), t0);
  for (const auto& group : groups) {
    auto worker = std::min_element(free_at.begin(), free_at.end());
    double t = *worker;
    for (std::size_t i : group) {
      out.record_start_s[i] = t;
      t += record_duration(batch[i]);
      out.record_end_s[i] = t;
      if (record_fails(batch[i])) out.failed.push_back(i);
    }
    *worker = t;
  }
  std::sort(out.failed.begin(), out.failed.end());
  return free_at.empty() ? t0 : *std::max_element(free_at.begin(), free_at.end());
}

void Handler::resume(const std::vector<Record>& batch, bool report_item_failures, HandlerOutcome& out) {
  HandlerOutcome::LockStep& s = out.lock;
  const double timeout = config_.timeout_s;
  const Record& record = batch[s.record];
  if (s.requested < 0) {
    s.requested = s.t;
    s.work = record_duration(record);
    s.acquire = config_.lock.acquire_s.sample(rng_);
    s.release = config_.lock.release_s.sample(rng_);
  }
  const double hold = s.acquire + s.work + s.release;
  // Stopped by the timeout before its release, the holder never releases the lock.
  const LockTable::Attempt a = locks_->attempt(record.order_key, s.handler_start_s + s.requested,
                                               s.handler_start_s + s.t, s.acquire, std::min(hold, timeout - s.t),
                                               s.t + hold <= timeout);
  bool next_record = true;
  if (a.taken) {
    out.lock_wait_s += s.t - s.requested;
    if (s.t + s.acquire + s.work <= timeout) {
      out.record_start_s[s.record] = s.t + s.acquire;
      out.record_end_s[s.record] = s.t + s.acquire + s.work;
      out.took_expired_lock[s.record] = a.took_expired;
      if (record_fails(record)) out.failed.push_back(s.record);
    }
    s.t += hold;
  } else {
    const double next = a.next_s - s.handler_start_s;
    if (next > timeout) {  // the invocation times out while this record waits
      out.lock_wait_s += timeout - s.requested;
      locks_->stopped_waiting(timeout - s.requested, false);
      end_at(next, report_item_failures, out);
      return;
    }
    s.t = next;
    if (a.gave_up) {  // the record fails, never having run, where its acquirer gave up
      out.lock_wait_s += s.t - s.requested;
      locks_->stopped_waiting(s.t - s.requested, true);
      out.failed.push_back(s.record);
    } else {
      next_record = false;
    }
  }
  if (next_record) {
    s.requested = -1;
    out.laid_out = ++s.record;
    if (!report_item_failures && !out.failed.empty()) out.function_error = true;  // thrown here
    if (out.function_error || s.record == batch.size() || s.t > timeout) {
      end_at(s.t, report_item_failures, out);
      return;
    }
  }
  out.resume_s = s.handler_start_s + s.t;
}

void Handler::end_at(double end, bool report_item_failures, HandlerOutcome& out) const {
  const double timeout = config_.timeout_s;
  const std::size_t records = out.record_end_s.size();
  out.pending = false;
  out.laid_out = records;
  if (end > timeout) {
    out.function_error = out.timed_out = true;
    out.failed.clear();
    for (std::size_t i = 0; i < records; ++i)
      if (out.record_end_s[i] > timeout) out.record_start_s[i] = out.record_end_s[i] = -1;
    out.duration_s = timeout;
    return;
  }
  if (!report_item_failures) out.failed.clear();
  out.duration_s = end;
}

void Handler::run(const std::vector<Record>& batch, bool report_item_failures, HandlerOutcome& out, double start_s) {
  out.function_error = out.timed_out = false;
  out.failed.clear();
  out.record_start_s.assign(batch.size(), -1);
  out.record_end_s.assign(batch.size(), -1);
  out.lock_wait_s = 0;
  out.pending = false;
  out.laid_out = batch.size();
  if (failures_) failures_->delivered(batch);
  const double timeout = config_.timeout_s;
  const double t0 = config_.duration.per_invocation.sample(rng_);
  const double p_invocation = config_.errors.invocation_failure_probability;
  if (p_invocation > 0 && rng_.uniform01() < p_invocation) {
    out.function_error = true;
    out.duration_s = std::min(t0, timeout);
    out.timed_out = t0 > timeout;
    return;
  }
  if (locks_) {
    out.took_expired_lock.assign(batch.size(), 0);
    if (batch.empty() || t0 > timeout) {
      end_at(t0, report_item_failures, out);
      return;
    }
    out.pending = true;
    out.laid_out = 0;
    out.lock = {0, t0, -1, 0, 0, 0, start_s};
    out.resume_s = start_s + t0;
    return;
  }
  const bool parallel = config_.strategy == FunctionConfig::Strategy::per_key_parallel;
  const double end = parallel ? run_per_key_parallel(batch, t0, out) : run_sequential(batch, t0, report_item_failures, out);
  if (parallel && !report_item_failures && !out.failed.empty()) out.function_error = true;
  end_at(end, report_item_failures, out);
}

}  // namespace shardsim
