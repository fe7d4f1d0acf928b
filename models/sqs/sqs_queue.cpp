#include "models/sqs/sqs_queue.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/sqs/sqs.hpp"

#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(sqs, shardsim, "sqs: messages dead-lettered");

namespace shardsim {
namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();
}  // namespace

MessageQueue::MessageQueue(QueueParams params, Stream& stream, std::size_t consumer, Rng duplicates, EventSink& sink)
    : p_(params), stream_(stream), consumer_(consumer), duplicates_(duplicates), sink_(sink), next_(stream.shard(0).begin()) {
  given_up_.discard_cause = OrderingCause::dead_letter;
}

void MessageQueue::release_log() {
  stream_.reader_advanced(consumer_, 0, next_, next_);
  stream_.set_held_elsewhere(in_groups_ + returned_.size() + visible_returned_.size() - copies_waiting_);
}

bool MessageQueue::keep(const Message& m, double now) {
  const bool dead_letter = p_.max_receive_count > 0 && m.receives >= static_cast<std::uint64_t>(p_.max_receive_count);
  const bool expired = m.record.arrival_s < now - p_.retention_s;
  if (!dead_letter && !expired) return true;
  if (m.copy) {
    --copies_waiting_;  // an extra delivery that never happens: nothing is lost
  } else if (dead_letter) {
    XBT_VERB("a message of group #%u goes to the dead-letter queue at %.6f s after %llu receives",
             static_cast<unsigned>(m.record.key), now, static_cast<unsigned long long>(m.receives));
    given_up_.discarded.push_back(m.record);
    ++counts_.dead_lettered;
  } else {
    given_up_.expired.push_back(m.record);
  }
  return false;
}

void MessageQueue::make_ready(KeyId group, Group& g) {
  if (g.in_flight || g.blocked || g.ready || g.waiting.empty()) return;
  g.ready = true;
  ready_.push({g.waiting.front().record.sequence, group});
}

void MessageQueue::advance(double now) {
  const Shard& shard = log();
  // Never received and past retention: gone.
  while (next_ < shard.end() && shard.arrival_s(next_) < now - p_.retention_s)
    sink_.record_expired(consumer_, 0, shard.record(next_++), now);
  if (p_.fifo) {
    while (next_ < shard.end() && visible_time(next_) <= now) {
      const Record r = shard.record(next_++);
      Group& g = groups_[r.key];
      g.waiting.push_back({r, 0, false});
      ++in_groups_;
      make_ready(r.key, g);
    }
    while (!blocked_.empty() && blocked_.top().first <= now) {
      const KeyId key = blocked_.top().second;
      blocked_.pop();
      Group& g = groups_.at(key);
      g.blocked = false;
      while (!g.waiting.empty() && !keep(g.waiting.front(), now)) {
        g.waiting.pop_front();
        --in_groups_;
      }
      if (g.waiting.empty() && !g.in_flight) groups_.erase(key);
      else make_ready(key, g);
    }
  }
  const auto later = std::greater<Returned>();
  while (!returned_.empty() && returned_.front().at <= now) {
    std::pop_heap(returned_.begin(), returned_.end(), later);
    if (keep(returned_.back().message, now)) visible_returned_.push_back(returned_.back().message);
    returned_.pop_back();
  }
  if (!given_up_.discarded.empty() || !given_up_.expired.empty()) {
    sink_.records_given_up(consumer_, 0, given_up_, now);
    given_up_.discarded.clear();
    given_up_.expired.clear();
  }
  release_log();
}

std::size_t MessageQueue::visible(double now, std::size_t enough) const {
  if (p_.fifo) return ready_.empty() ? 0 : 1;
  std::size_t n = std::min(visible_returned_.size(), enough);
  // Send order is time order: the visible new messages are a prefix of the log.
  std::uint64_t lo = 0, hi = std::min<std::uint64_t>(enough - n, log().end() - next_);
  while (lo < hi) {  // the largest k ≤ hi with message next_ + k − 1 visible
    const std::uint64_t mid = (lo + hi + 1) / 2;
    if (visible_time(next_ + mid - 1) <= now) lo = mid;
    else hi = mid - 1;
  }
  return n + static_cast<std::size_t>(lo);
}

bool MessageQueue::receive(double now, const BatchLimits& limits, ReceivedBatch& out) {
  out.clear();
  out.receive_s = now;
  std::uint64_t bytes = 0;
  const auto fits = [&](const Record& r) {
    return out.records.size() < limits.max_records && (out.records.empty() || bytes + r.bytes <= limits.max_bytes);
  };
  const auto take = [&](const Message& m) {
    out.records.push_back(m.record);
    out.receives.push_back(m.receives + 1);
    out.copy.push_back(m.copy);
    out.first_receive_s.push_back(m.first_receive_s < 0 ? now : m.first_receive_s);
    bytes += m.record.bytes;
  };
  if (p_.fifo) {
    while (!ready_.empty() && out.records.size() < limits.max_records) {
      const KeyId key = ready_.top().second;
      Group& g = groups_.at(key);
      if (!fits(g.waiting.front().record)) break;
      ready_.pop();
      g.ready = false;
      g.in_flight = true;
      while (!g.waiting.empty() && fits(g.waiting.front().record)) {
        take(g.waiting.front());
        g.waiting.pop_front();
        --in_groups_;
      }
    }
  } else {
    while (!visible_returned_.empty() && fits(visible_returned_.front().record)) {
      if (visible_returned_.front().copy) --copies_waiting_;
      take(visible_returned_.front());
      visible_returned_.pop_front();
    }
    const Shard& shard = log();
    while (next_ < shard.end() && visible_time(next_) <= now && fits(shard.record(next_)))
      take({shard.record(next_++), 0, false});
  }
  release_log();
  if (out.records.empty()) return false;
  counts_.receives += out.records.size();
  // ReceiveMessage returns at most 10 messages; each 64 KB of a response is billed as a request.
  const double calls = std::ceil(static_cast<double>(out.records.size()) / sqs::kMaxMessagesPerCall);
  counts_.requests += std::max(calls, std::ceil(static_cast<double>(bytes) / sqs::kRequestChunkBytes));
  return true;
}

void MessageQueue::settle(const ReceivedBatch& batch, const std::vector<char>& deleted, Settlement& first,
                          Settlement& again) {
  for (Settlement* s : {&first, &again}) {
    s->succeeded.clear();
    s->duplicates.clear();
    s->discarded.clear();
    s->expired.clear();
    s->duplicate_cause = OrderingCause::at_least_once;
  }
  first.after_failure = false;
  again.after_failure = true;
  const double visible_again = batch.receive_s + p_.visibility_timeout_s;
  const auto later = std::greater<Returned>();
  std::size_t deletes = 0;
  std::vector<Message>& back = returning_;  // fifo: the current group's messages that return
  back.clear();
  // fifo: a batch holds its groups one after another; once a message of a group is not deleted,
  // the group's later messages return with it (deleting them would break the group's order).
  const auto end_group = [&](KeyId key) {
    Group& g = groups_.at(key);
    g.in_flight = false;
    if (!back.empty()) {
      for (auto it = back.rbegin(); it != back.rend(); ++it) g.waiting.push_front(*it);
      in_groups_ += back.size();
      counts_.returned += back.size();
      g.blocked = true;
      g.blocked_until = visible_again;
      blocked_.push({visible_again, key});
      back.clear();
    } else if (g.waiting.empty()) {
      groups_.erase(key);
    } else {
      make_ready(key, g);
    }
  };
  for (std::size_t i = 0; i < batch.records.size(); ++i) {
    const Record& r = batch.records[i];
    const Message m{r, batch.receives[i], batch.copy[i] != 0, batch.first_receive_s[i]};
    if (p_.fifo && i > 0 && batch.records[i - 1].key != r.key) end_group(batch.records[i - 1].key);
    if (deleted[i] && back.empty()) {
      ++deletes;
      if (m.copy) first.duplicates.push_back(r);
      else (m.receives > 1 ? again : first).succeeded.push_back(r);
      if (!m.copy && p_.duplicate_probability > 0 && duplicates_.uniform01() < p_.duplicate_probability) {
        returned_.push_back({visible_again, {r, m.receives, true}});
        std::push_heap(returned_.begin(), returned_.end(), later);
        ++copies_waiting_;
        ++counts_.duplicates_delivered;
      }
    } else if (p_.fifo) {
      back.push_back(m);
    } else {
      returned_.push_back({visible_again, m});
      std::push_heap(returned_.begin(), returned_.end(), later);
      if (m.copy) ++copies_waiting_;
      else ++counts_.returned;
    }
  }
  if (p_.fifo && !batch.records.empty()) end_group(batch.records.back().key);
  // DeleteMessageBatch: up to 10 receipt handles per call.
  counts_.requests += std::ceil(static_cast<double>(deletes) / sqs::kMaxMessagesPerCall);
  release_log();
}

double MessageQueue::next_visible(double now) const {
  const Shard& shard = log();
  double t = next_ < shard.end() ? visible_time(next_) : stream_.production_complete() ? kNever : stream_.horizon();
  if (!visible_returned_.empty() || !ready_.empty()) return now;
  if (!returned_.empty()) t = std::min(t, returned_.front().at);
  if (!blocked_.empty()) t = std::min(t, blocked_.top().first);
  return t;
}

double MessageQueue::visible_by(double now, std::size_t n) const {
  if (p_.fifo || visible(now, n) >= n) return p_.fifo ? next_visible(now) : now;
  // The n-th is a new message (returned ones may come sooner).
  const Shard& shard = log();
  const std::uint64_t nth = next_ + (n - std::min(n, visible_returned_.size())) - 1;
  double t = nth < shard.end() ? visible_time(nth) : stream_.production_complete() ? kNever : stream_.horizon();
  if (!returned_.empty()) t = std::min(t, returned_.front().at);
  return t;
}

bool MessageQueue::exhausted() const {
  return stream_.production_complete() && next_ == log().end() && returned_.empty() && visible_returned_.empty() &&
         in_groups_ == 0;
}

std::uint64_t MessageQueue::waiting() const {
  return (log().end() - next_) + returned_.size() + visible_returned_.size() - copies_waiting_ + in_groups_;
}

QueueGauge MessageQueue::gauge(double at) const {
  QueueGauge g;
  const auto held = [&g](const Message& m, bool visible) {
    if (m.copy) return;
    ++(visible ? g.visible : g.not_visible);
    g.oldest_arrival_s = std::min(g.oldest_arrival_s, m.record.arrival_s);
  };
  // The log's messages not yet taken that were sent before `at` (a prefix: send order is time order).
  const Shard& shard = log();
  std::uint64_t lo = next_, hi = shard.end();
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (shard.arrival_s(mid) < at) lo = mid + 1;
    else hi = mid;
  }
  g.visible += lo - next_;
  if (lo > next_) g.oldest_arrival_s = shard.arrival_s(next_);
  for (const Returned& r : returned_) held(r.message, r.at < at);
  for (const Message& m : visible_returned_) held(m, true);
  for (const auto& [key, group] : groups_)
    for (const Message& m : group.waiting)  // a blocked group's returned messages come first
      held(m, !(group.blocked && m.receives > 0 && group.blocked_until >= at));
  return g;
}

void MessageQueue::for_each_waiting(const std::function<void(const Record&)>& f) const {
  const Shard& shard = log();
  for (std::uint64_t p = next_; p < shard.end(); ++p) f(shard.record(p));
  for (const Returned& r : returned_)
    if (!r.message.copy) f(r.message.record);
  for (const Message& m : visible_returned_)
    if (!m.copy) f(m.record);
  for (const auto& [key, g] : groups_)
    for (const Message& m : g.waiting) f(m.record);
}

}  // namespace shardsim
