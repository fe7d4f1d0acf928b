#include "models/sqs/queue_poller.hpp"

#include <algorithm>
#include <cmath>

#include <simgrid/s4u.hpp>

#include "models/sqs/sqs.hpp"

namespace shardsim {
namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();
double clock() { return simgrid::s4u::Engine::get_clock(); }
}  // namespace

QueuePoller::QueuePoller(QueuePollerParams params, MessageQueue& queue, Handler handler, Executor& executor,
                         EventSink& sink, RunControl& control)
    : p_(params),
      queue_(queue),
      handler_(std::move(handler)),
      executor_(executor),
      sink_(sink),
      control_(control),
      allowance_(params.scale_gradually ? std::min<double>(params.initial_batches, static_cast<double>(params.max_batches))
                                        : static_cast<double>(params.max_batches)),
      throttle_wait_(params.backoff.initial_s) {
  slots_.reserve(p_.max_batches);  // a running invocation points into its slot: never reallocated
  for (std::size_t i = 0; i < p_.max_batches; ++i) slots_.emplace_back(InvocationRun(p_.consumer, p_.function, 0, i));
  for (std::size_t i = p_.max_batches; i-- > 0;) free_.push_back(i);
}

std::size_t QueuePoller::allowed() const { return static_cast<std::size_t>(std::floor(allowance_ + 1e-9)); }

void QueuePoller::operator()() {
  namespace this_actor = simgrid::s4u::this_actor;
  if (p_.start_s > clock()) {
    this_actor::sleep_until(std::min(p_.start_s, control_.hard_stop_s));
    if (control_.must_stop(clock())) return;
  }
  sink_.reader_started(p_.consumer, 0, clock());
  last_poll_ = clock();
  double wake = clock();
  while (true) {
    const double now = clock();
    const double due = std::max(now, wake);  // SimGrid may stop a hair short of a requested time
    sample_queue(due);
    while (!events_.empty() && events_.top().first <= due) {
      const std::size_t i = events_.top().second;
      events_.pop();
      if (slots_[i].phase == Slot::Phase::running && slots_[i].run.pending()) resume(i, now);
      else if (slots_[i].phase == Slot::Phase::running) finish(i, now);
      else release(i);  // its backoff is over
    }
    wake = poll(now);
    if (!events_.empty()) wake = std::min(wake, events_.top().first);
    if (wake == kNever) break;
    // Past the drain limit (or interrupted) nothing waits on: an invocation still running is cut
    // there, its messages unfinished.
    if (stopping_ && (wake > control_.hard_stop_s || control_.aborted())) {
      for (Slot& slot : slots_)
        if (slot.phase == Slot::Phase::running) slot.run.finish(executor_, sink_, now);
      break;
    }
    if (wake > now) this_actor::sleep_until(wake);
    ++control_.wakeups;
  }
  if (p_.gauge_period_s > 0) {  // the queue as it is now holds at the period ends to come
    sample_queue(clock());
    const double next = static_cast<double>(gauges_ + 1) * p_.gauge_period_s;
    sink_.queue_sampled(p_.consumer, next, gauge(next));
  }
  sink_.reader_finished(p_.consumer, 0, clock());
}

QueueGauge QueuePoller::gauge(double at) const {
  QueueGauge g = queue_.gauge(at);
  for (const Slot& slot : slots_) {
    if (slot.phase == Slot::Phase::idle) continue;
    const ReceivedBatch& b = slot.batch;
    for (std::size_t i = 0; i < b.records.size(); ++i) {
      if (b.copy[i]) continue;
      ++g.not_visible;
      g.oldest_arrival_s = std::min(g.oldest_arrival_s, b.records[i].arrival_s);
    }
  }
  return g;
}

void QueuePoller::sample_queue(double now) {
  if (p_.gauge_period_s <= 0) return;
  for (double at; (at = static_cast<double>(gauges_ + 1) * p_.gauge_period_s) <= now; ++gauges_)
    sink_.queue_sampled(p_.consumer, at, gauge(at));
}

double QueuePoller::poll(double now) {
  if (stopping_) return kNever;
  if (control_.must_stop(now)) {
    stopping_ = true;  // running invocations still end and settle
    return kNever;
  }
  queue_.advance(now);
  const double most = static_cast<double>(p_.max_batches);
  if (saturated_) allowance_ = std::min(most, allowance_ + (now - last_poll_) * p_.batches_added_per_s);
  last_poll_ = now;
  if (!p_.schedule.enabled(now)) {  // turned off: no receive, no scaling
    saturated_ = false;
    return std::min(p_.schedule.enabled_again(now), control_.hard_stop_s);
  }
  const std::size_t max_records = p_.limits.max_records;
  while (active_ < allowed() && now >= next_receive_) {
    if (p_.batching_window_s > 0) {
      const std::size_t visible = queue_.visible(now, max_records);
      if (visible == 0) break;
      if (visible < max_records) {
        if (window_deadline_ == kNever) window_deadline_ = now + p_.batching_window_s;
        if (now < window_deadline_) break;
      }
    }
    const std::size_t i = free_.back();
    slots_[i].gathered_s = window_deadline_ != kNever ? window_deadline_ - p_.batching_window_s : now;
    if (!queue_.receive(now, p_.limits, slots_[i].batch)) {
      if (p_.poll_interval_s > 0) next_receive_ = now + p_.poll_interval_s;
      break;
    }
    free_.pop_back();
    window_deadline_ = kNever;
    ++active_;
    peak_pollers_ = std::max(peak_pollers_, active_);
    if (filter(i, now)) invoke(i, now);
  }
  const bool scaling = p_.scale_gradually && allowance_ < most;
  saturated_ = scaling && active_ >= allowed() && queue_.visible(now, 1) > 0;
  if (queue_.exhausted() && running_ == 0) {
    stopping_ = true;
    return kNever;
  }
  // A free poller waits for the next receivable message; so does a mapping still scaling up with
  // every poller busy (that message starts the scaling).
  double wake = kNever;
  if (active_ < allowed()) {
    // Gathering a batch in its window: the window's end, or the batch filling up.
    const double next = window_deadline_ != kNever ? queue_.visible_by(now, p_.limits.max_records) : queue_.next_visible(now);
    wake = std::min(std::max(next, next_receive_), window_deadline_);
  } else if (scaling && !saturated_) {
    wake = queue_.next_visible(now);
  }
  if (saturated_) wake = std::min(wake, now + (static_cast<double>(allowed() + 1) - allowance_) / p_.batches_added_per_s);
  if (wake == kNever) return kNever;  // the next invocation's end wakes the actor
  return std::min(std::max(wake, now + kMinStepS), control_.hard_stop_s);
}

void QueuePoller::invoke(std::size_t index, double now) {
  Slot& slot = slots_[index];
  if (!slot.run.start(executor_, handler_, slot.records(), p_.report_item_failures, sink_, now)) {
    // Lambda refused: the messages stay invisible until their timeout ends (the receive counts
    // toward maxReceiveCount), and the poller backs off; those its filter discards are deleted.
    slot.deleted.assign(slot.batch.records.size(), slot.kept.empty() ? 0 : 1);
    for (std::size_t i : slot.kept) slot.deleted[i] = 0;
    settle(slot, now);
    slot.batch.clear();
    slot.phase = Slot::Phase::resting;
    slot.at = now + throttle_wait_;
    throttle_wait_ = std::min(throttle_wait_ * p_.backoff.multiplier, p_.backoff.max_s);
    events_.push({slot.at, index});
    return;
  }
  throttle_wait_ = p_.backoff.initial_s;
  slot.phase = Slot::Phase::running;
  ++running_;
  schedule_end(index, now);
}

void QueuePoller::schedule_end(std::size_t index, double now) {
  Slot& slot = slots_[index];
  // An invocation of no duration still ends a step later: with a visibility timeout of 0 its
  // failed messages would otherwise come back, fail and return at one instant forever.
  slot.at = slot.run.pending() ? slot.run.next_event_s() : std::max(slot.run.next_event_s(), now + kMinStepS);
  events_.push({slot.at, index});
}

void QueuePoller::resume(std::size_t index, double now) {
  slots_[index].run.resume(handler_, slots_[index].records(), p_.report_item_failures, sink_, now);
  schedule_end(index, now);
}

void QueuePoller::finish(std::size_t index, double now) {
  Slot& slot = slots_[index];
  slot.run.finish(executor_, sink_, now);
  const Invocation& invocation = slot.run.invocation();
  --running_;
  if (now > slot.batch.receive_s + p_.visibility_timeout_s) ++overruns_;
  // Deleted: every message of a successful invocation; with ReportBatchItemFailures, all but
  // the ones it names.
  // (Positions in the invocation are positions in the batch unless a filter discarded some.)
  const HandlerOutcome& o = slot.run.outcome();
  const auto position = [&slot](std::size_t i) { return slot.kept.empty() ? i : slot.kept[i]; };
  slot.deleted.assign(slot.batch.records.size(), o.function_error && slot.kept.empty() ? 0 : 1);
  for (std::size_t i = 0; o.function_error && i < slot.kept.size(); ++i) slot.deleted[slot.kept[i]] = 0;
  if (!o.function_error)
    for (std::size_t i : o.failed) slot.deleted[position(i)] = 0;
  settle(slot, now);
  // Messages received before come first in a batch (a FIFO group's returned messages are its
  // oldest): settled in that order, a group's records succeed in its order.
  split_.settled(slot, now);
  first_.split = again_.split = &split_;
  if (!again_.succeeded.empty()) sink_.batch_settled(invocation, again_);
  sink_.batch_settled(invocation, first_);
  release(index);
}

bool QueuePoller::filter(std::size_t index, double now) {
  Slot& slot = slots_[index];
  slot.kept.clear();
  slot.invoked.clear();
  if (!p_.filter) return true;
  const auto& records = slot.batch.records;
  for (std::size_t i = 0; i < records.size(); ++i)
    if (p_.filter->keeps(records[i])) slot.kept.push_back(i);
  if (slot.kept.size() == records.size()) {  // all kept: invoked as received
    slot.kept.clear();
    return true;
  }
  if (slot.kept.empty()) {  // nothing to invoke: every message is deleted at once
    slot.deleted.assign(records.size(), 1);
    settle(slot, now);
    release(index);
    return false;
  }
  for (std::size_t i : slot.kept) slot.invoked.push_back(records[i]);
  return true;
}

void QueuePoller::settle(Slot& slot, double now) {
  queue_.settle(slot.batch, slot.deleted, first_, again_);
  if (!p_.filter) return;
  std::uint64_t filtered = 0;
  for (Settlement* s : {&first_, &again_}) {
    auto& done = s->succeeded;
    const auto gone = std::remove_if(done.begin(), done.end(), [this](const Record& r) { return !p_.filter->keeps(r); });
    filtered += static_cast<std::uint64_t>(done.end() - gone);
    done.erase(gone, done.end());
  }
  if (filtered) sink_.records_filtered(p_.consumer, 0, filtered, now);
}

void QueuePoller::BatchSplit::settled(const Slot& slot, double now) {
  const Invocation& inv = slot.run.invocation();
  const double lock = slot.run.outcome().lock_wait_s;
  shared_[LatencyCause::environment] = inv.start_s - slot.batch.receive_s;
  shared_[LatencyCause::cold_start] = inv.init_s;
  shared_[LatencyCause::lock] = lock;
  shared_[LatencyCause::handler] = (now - inv.start_s) - inv.init_s - lock;
  slot_ = &slot;
}

void QueuePoller::BatchSplit::book(const std::vector<Record>& records, double now, LatencyBooks& books) const {
  OwnParts own(books, book_shared(shared_, records.size(), books));
  // Each message's place in the batch: settled messages come in batch order (first the ones
  // received before, then the others), so the search goes on from the last one, wrapping.
  const ReceivedBatch& batch = slot_->batch;
  const std::size_t n = batch.records.size();
  std::size_t at = 0;
  for (const Record& r : records) {
    for (std::size_t k = 0; k < n; ++k, at = (at + 1) % n)
      if (batch.records[at].sequence == r.sequence && !batch.copy[at]) break;
    const double first = batch.first_receive_s[at];
    const double window = first == batch.receive_s ? std::max(0.0, first - std::max(r.arrival_s, slot_->gathered_s)) : 0.0;
    own.set(LatencyCause::put, r.arrival_s - r.produced_s);
    own.set(LatencyCause::poll, (first - r.arrival_s) - window);
    own.set(LatencyCause::batching_window, window);
    own.set(LatencyCause::retries, batch.receive_s - first);
    own.next(now - r.produced_s);
  }
}

void QueuePoller::release(std::size_t index) {
  Slot& slot = slots_[index];
  slot.phase = Slot::Phase::idle;
  slot.batch.clear();
  free_.push_back(index);
  --active_;
}

std::uint64_t QueuePoller::unfinished() const {
  std::uint64_t n = queue_.waiting();
  for (const Slot& slot : slots_)
    if (slot.phase == Slot::Phase::running)
      n += static_cast<std::uint64_t>(std::count(slot.batch.copy.begin(), slot.batch.copy.end(), 0));
  return n;
}

void QueuePoller::for_each_unfinished(const std::function<void(const Record&)>& f) const {
  queue_.for_each_waiting(f);
  for (const Slot& slot : slots_)
    if (slot.phase == Slot::Phase::running)
      for (std::size_t i = 0; i < slot.batch.records.size(); ++i)
        if (!slot.batch.copy[i]) f(slot.batch.records[i]);
}

}  // namespace shardsim
