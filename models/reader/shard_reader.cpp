#include "models/reader/shard_reader.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <simgrid/s4u.hpp>

#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(reader, shardsim, "reader: GetRecords calls refused by a shard's read limits");
XBT_LOG_EXTERNAL_CATEGORY(kcl);

namespace shardsim {
namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();
double clock() { return simgrid::s4u::Engine::get_clock(); }
}  // namespace

ShardReader::ShardReader(ReaderParams params, std::unique_ptr<RecordSource> source, Dispatcher dispatcher,
                         Executor& executor, std::vector<LaneParts> lanes, EventSink& sink, RunControl& control)
    : p_(params),
      source_(std::move(source)),
      dispatcher_(std::move(dispatcher)),
      executor_(executor),
      sink_(sink),
      control_(control),
      last_call_(-kNever) {
  if (p_.tumbling.on() && lanes.size() != 1) throw std::logic_error("a tumbling window's state is one lane's");
  lanes_.reserve(lanes.size());  // a running invocation points into its lane
  for (auto& parts : lanes)
    lanes_.emplace_back(std::move(parts), InvocationRun(p_.consumer, p_.function, p_.shard, lanes_.size()));
}

void ShardReader::report_position() {
  // The log is needed from the next record to read on, or from a lease's checkpoint, to which a
  // new holder may go back; the buffered and batched records before it are held here.
  std::uint64_t kept = source_->position();
  if (p_.lease.table) kept = std::min(kept, checkpoint_);
  std::uint64_t lowest = kept;
  double arrival = source_->arrival_at(kept);
  const auto lower = [&](const Record& r) {
    if (r.sequence - 1 < lowest) {
      lowest = r.sequence - 1;
      arrival = r.arrival_s;
    }
  };
  if (const Record* buffered = dispatcher_.lowest_buffered()) lower(*buffered);
  for (const Lane& lane : lanes_)  // a batch is in order: its first record is its lowest
    if (!lane.batch.empty()) lower(lane.batch.front());
  timeline_.release_before(lowest, arrival);
  source_->release_before(lowest, kept);
}

double ShardReader::first_shard_sync(double opened) const {
  const double every = p_.lease.shard_sync_interval_s;
  if (every <= 0) return kNever;
  const double origin = p_.lease.table->origin_s();
  return origin + std::ceil((opened - origin) / every - 1e-9) * every;
}

bool ShardReader::join_parents(double until) {
  for (const auto& parent : parents_) {
    if (until == kNever) {
      parent->join();
    } else if (until > clock()) {
      parent->join(until - clock());
    }
  }
  if (until != kNever && clock() >= until) return false;  // the deadline came first
  parents_.clear();
  return true;
}

bool ShardReader::take_lease() {
  LeaseTable& table = *p_.lease.table;
  // A lease is taken at a lease taker's run.
  if (table.next_taker_run(clock()) > clock()) {
    simgrid::s4u::this_actor::sleep_until(std::min(table.next_taker_run(clock()), control_.hard_stop_s));
    ++control_.wakeups;
  }
  for (;;) {
    const double now = clock();
    if (control_.must_stop(now)) return false;
    if (const std::size_t worker = table.take(p_.shard, now); worker != LeaseTable::kNone) {
      XBT_CVERB(kcl, "consumer %zu: worker %zu takes the lease of shard %zu at %.6f s", p_.consumer, worker, p_.shard, now);
      break;
    }
    simgrid::s4u::this_actor::sleep_until(std::min(table.next_taker_run(now + kMinStepS), control_.hard_stop_s));
    ++control_.wakeups;
  }
  lease_lost_at_ = table.holder_fails_at(p_.shard, clock());
  next_call_ = clock();
  behind_ = false;
  return true;
}

void ShardReader::cut_running(double now) {
  for (Lane& lane : lanes_)
    if (lane.phase == Lane::Phase::running) {
      lane.run.finish(executor_, sink_, now);
      if (p_.lease.threads) p_.lease.threads->release(p_.lease.table->holder(p_.shard));
      lane.phase = Lane::Phase::stopped;
    }
}

bool ShardReader::lose_lease(double now) {
  // The worker is gone: its batch in flight never completes (nothing of it is settled), the
  // lease expires failover_s later and the next holder starts from the checkpoint.
  cut_running(now);
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    Lane& lane = lanes_[i];
    if (lane.busy()) {
      dispatcher_.release(i, lane.batch);
      lane.batch.clear();
      lane.phase = Lane::Phase::idle;
    }
  }
  if (dispatcher_.buffered() != 0) throw std::logic_error("a leased reader buffers only its batch");
  source_->rewind(checkpoint_);
  timeline_.rewind(checkpoint_);
  timeline_.enter(ReaderState::not_reading, now);
  XBT_CVERB(kcl, "consumer %zu: the worker holding shard %zu fails at %.6f s; its lease expires in %g s", p_.consumer,
            p_.shard, now, p_.lease.table->failover_s());
  p_.lease.table->drop(p_.shard, true);
  // The lease expires failover_s later; a taker's next run then takes it.
  const double taken = p_.lease.table->next_taker_run(now + p_.lease.table->failover_s());
  if (control_.must_stop(taken)) return false;
  simgrid::s4u::this_actor::sleep_until(taken);
  ++control_.wakeups;
  return take_lease();
}

void ShardReader::settle_leased(Lane& lane, double now) {
  // Records before done_end_ were processed by an earlier holder: again, they are duplicates.
  Settlement& s = lane.settlement;
  s.duplicate_cause = OrderingCause::failover_redelivery;
  auto again = std::stable_partition(s.succeeded.begin(), s.succeeded.end(),
                                     [this](const Record& r) { return r.sequence - 1 >= done_end_; });
  s.duplicates.insert(s.duplicates.end(), again, s.succeeded.end());
  s.succeeded.erase(again, s.succeeded.end());
  if (!lane.retry->done()) return;
  const std::uint64_t end = lane.batch.back().sequence;  // the position after the batch
  done_end_ = std::max(done_end_, end);
  if (p_.lease.checkpoint_interval_s <= 0 || now >= last_checkpoint_s_ + p_.lease.checkpoint_interval_s) {
    checkpoint_ = end;
    last_checkpoint_s_ = now;
    p_.lease.table->checkpointed();
  }
}

bool ShardReader::wants_records() const {
  return dispatcher_.wants_records([this](std::size_t i) { return !lanes_[i].busy(); });
}

double ShardReader::dispatch(double now) {
  const double deadline = dispatcher_.dispatch(
      now, [this, now](std::size_t i) { return !lanes_[i].busy() && !window_over(now); },
      [this](std::size_t i) -> std::vector<Record>& { return lanes_[i].batch; },
      [this, now](std::size_t i) { start_batch(i, now); });
  if (window_over(now)) start_final(now);
  return deadline;
}

bool ShardReader::drained(double now) const {
  if (!source_->exhausted(now) || dispatcher_.buffered() != 0 || window_open_) return false;
  return std::none_of(lanes_.begin(), lanes_.end(), [](const Lane& l) { return l.busy(); });
}

bool ShardReader::window_over(double now) const {
  if (!window_open_ || lanes_[0].busy()) return false;
  // The next record to run (buffered, or the next to read: +inf when none is written) must be of
  // a later window; then a later window's record was read, the shard ended, or the quiet wait
  // after the window's end is over.
  const Record* buffered = dispatcher_.lowest_buffered();
  if ((buffered ? buffered->arrival_s : source_->arrival_at(source_->position())) < window_end_) return false;
  return newest_read_s_ >= window_end_ || source_->ended(now) || now >= window_end_ + p_.tumbling.quiet_s;
}

void ShardReader::start_final(double now) {
  window_over_s_ = now;
  window_at_shard_end_ = source_->ended(now) && now < window_end_;
  Lane& lane = lanes_[0];
  lane.final = true;
  lane.batch.clear();
  start_batch(0, now);
}

double ShardReader::poll(double now) {
  if (stopping_) return kNever;
  if (control_.must_stop(now)) {
    stopping_ = true;  // running invocations still end and settle
    return kNever;
  }
  if (!p_.schedule.enabled(now)) {
    timeline_.enter(ReaderState::not_reading, now);
    return std::min(p_.schedule.enabled_again(now), control_.hard_stop_s);
  }
  // The starting position applies to every record that arrived before it, including records
  // generated after the reader started (AT_TIMESTAMP later than the producers' horizon).
  const bool skipped = source_->skip_before(p_.first_arrival_s, now);
  if (source_->expire(now) || skipped) report_position();
  if (wants_records() && now >= next_call_) {
    const RecordSource::Call call = source_->admit(now);
    if (call == RecordSource::Call::admitted) {
      if (hold_.held) {
        const double wait = now - hold_.wanted_s;
        sink_.read_waited(p_.consumer, p_.shard, hold_.limit, wait, hold_.interval_s > 0 ? wait / hold_.interval_s : 1.0);
        hold_.held = false;
      }
      last_call_ = now;
      const std::uint64_t first = source_->position();
      if (!gathering_) timeline_.called(first, now);
      behind_ = source_->fetch(now, dispatcher_);
      if (gathering_) book_gathered_reads(first, source_->position());
      gathering_ = false;
      // (what was just read is not released yet)
      if (p_.tumbling.on() && source_->position() > 0)
        newest_read_s_ = std::max(newest_read_s_, source_->arrival_at(source_->position() - 1));
    } else {
      XBT_VERB("consumer %zu, shard %zu: GetRecords refused at %.6f s (%s)", p_.consumer, p_.shard, now,
               call == RecordSource::Call::over_byte_rate ? "read bytes in debt" : "no call left this second");
      sink_.read_throttled(p_.consumer, p_.shard, call == RecordSource::Call::over_byte_rate, now);
    }
  }
  const double deadline = dispatch(now);
  if (drained(now)) {
    if (p_.lease.table) p_.lease.table->drop(p_.shard, false);  // SHARD_END: the lease is done
    stopping_ = true;
    return kNever;
  }
  next_call_ = source_->next_call(now, last_call_, behind_);
  double wake = deadline;
  if (wants_records()) {
    wake = std::min(wake, next_call_);
    // Held back by a limit while wanting records: the wait counts from when the call was wanted.
    const RecordSource::Hold hold = source_->hold();
    if (hold.held && !hold_.held) hold_ = {true, hold.limit, std::max(hold.wanted_s, now), hold.interval_s};
    if (const double until = gathered_until(now, deadline); until > next_call_ && until < kNever) {
      gathering_ = true;
      next_call_ = wake = until;
    }
  }
  if (window_open_ && !lanes_[0].busy()) wake = std::min(wake, window_end_ + p_.tumbling.quiet_s);
  timeline_.enter(state(), now);
  return std::min(std::max(wake, now + kMinStepS), control_.hard_stop_s);
}

double ShardReader::gathered_until(double now, double deadline) const {
  // Only a lone lane gathering a batch with nothing else due: a lane of several might take
  // another lane's records, a held or behind reader fetches when it can, a mapping turned off
  // meanwhile stops reading then, and a leased shard may be lost.
  if (!source_->pushes() || lanes_.size() != 1 || lanes_[0].busy() || !dispatcher_.holding(0) || behind_ ||
      hold_.held || p_.lease.table || deadline == kNever || p_.schedule.disabled_after(now) <= deadline)
    return kNever;
  return std::min(deadline, source_->visible_when_full(dispatcher_.limits(), dispatcher_.preview(0), deadline));
}

void ShardReader::book_gathered_reads(std::uint64_t first, std::uint64_t end) {
  double last = -kNever;
  for (std::uint64_t p = first; p < end; ++p)
    if (const double t = source_->visible_at(p); t != last) {
      timeline_.called(p, t);
      last = t;
    }
}

ReaderState ShardReader::state() const {
  if (!wants_records()) return ReaderState::lanes_full;
  return hold_.held ? ReaderState::read_limited : ReaderState::polling;
}

void ShardReader::operator()() {
  namespace this_actor = simgrid::s4u::this_actor;
  if (p_.start_s > clock()) {
    this_actor::sleep_until(std::min(p_.start_s, control_.hard_stop_s));  // a mapping enabled after the run never reads
    if (control_.must_stop(clock())) return;
  }
  if (p_.lease.table) {
    // The KCL: a child's lease is created when its parents are done (or by a shard sync), then
    // taken at a lease taker's run; a holder whose parents are not done yet looks again every
    // parent_poll_interval_s and starts at its first look after they are.
    const bool parents_done = parents_.empty() || join_parents(first_shard_sync(clock()));
    if (!take_lease()) return;
    if (!parents_done) {
      const double taken = clock();
      join_parents(kNever);
      const double look_every = p_.lease.parent_poll_interval_s;
      if (look_every > 0 && clock() > taken) {
        const double look = taken + std::ceil((clock() - taken) / look_every - 1e-9) * look_every;
        this_actor::sleep_until(std::min(look, control_.hard_stop_s));
        if (control_.must_stop(clock())) return;
      }
    }
    checkpoint_ = done_end_ = source_->position();
    last_checkpoint_s_ = clock();
  } else {
    join_parents(kNever);
  }
  sink_.reader_started(p_.consumer, p_.shard, clock());
  next_call_ = clock();
  double wake = clock();
  while (true) {
    // Lane events due now, in lane order; then the reader. SimGrid may stop the clock a hair
    // short of a requested time (or not move it for a step below its precision), so an event
    // is due once the clock or the requested wake-up has reached it.
    if (clock() >= lease_lost_at_ && !lose_lease(clock())) break;
    const double now = clock();
    const double due = std::max(now, wake);
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
      Lane& lane = lanes_[i];
      if (lane.phase == Lane::Phase::running && lane.at <= due && lane.run.pending()) resume_invocation(lane, now);
      if (lane.phase == Lane::Phase::running && lane.at <= due && !lane.run.pending()) finish_invocation(i, now);
      if (lane.phase == Lane::Phase::invoking && lane.at <= due) invoke(i, now);
    }
    wake = poll(clock());  // (a lane that waited for a worker thread moved the clock)
    count_lanes_with_work(clock());
    for (const Lane& lane : lanes_)
      if (lane.phase == Lane::Phase::running || lane.phase == Lane::Phase::invoking) wake = std::min(wake, lane.at);
    if (wake == kNever) break;
    // Past the drain limit (or interrupted) nothing waits on: an invocation still running is cut
    // there, its records unfinished.
    if (stopping_ && (wake > control_.hard_stop_s || control_.aborted())) {
      cut_running(now);
      break;
    }
    wake = std::min(wake, lease_lost_at_);
    if (wake > now) this_actor::sleep_until(wake);
    ++control_.wakeups;
  }
  if (lanes_with_work_ != 0) sink_.lanes_with_work_changed(p_.consumer, p_.shard, -lanes_with_work_, clock());
  lanes_with_work_ = 0;
  sink_.reader_finished(p_.consumer, p_.shard, clock());
}

void ShardReader::count_lanes_with_work(double now) {
  int n = 0;
  for (std::size_t i = 0; i < lanes_.size(); ++i)
    n += (lanes_[i].phase == Lane::Phase::running || lanes_[i].phase == Lane::Phase::invoking || dispatcher_.holding(i)) ? 1 : 0;
  if (n != lanes_with_work_) sink_.lanes_with_work_changed(p_.consumer, p_.shard, n - lanes_with_work_, now);
  lanes_with_work_ = n;
}

void ShardReader::start_batch(std::size_t index, double now) {
  Lane& lane = lanes_[index];
  lane.retry->start(lane.batch);
  lane.failure_wait = p_.backoff.initial_s;
  lane.throttle_wait = p_.backoff.initial_s;
  lane.cut_s = now;
  lane.gathered_s = dispatcher_.gathered_from(index);
  lane.environment_s = lane.off_s = 0;
  lane.refused_at = lane.off_at = -1;
  if (p_.tumbling.on() && !lane.final && !window_open_) {
    window_open_ = true;
    window_end_ = p_.tumbling.end_of(lane.batch.front().arrival_s);
  }
  invoke(index, now);
}

void ShardReader::invoke_later(Lane& lane, double now, double& wait) {
  if (control_.must_stop(now + wait)) {
    lane.phase = Lane::Phase::stopped;
    return;
  }
  lane.phase = Lane::Phase::invoking;
  lane.at = now + wait;
  wait = std::min(wait * p_.backoff.multiplier, p_.backoff.max_s);
}

void ShardReader::invoke(std::size_t index, double now) {
  Lane& lane = lanes_[index];
  if (lane.refused_at >= 0) lane.environment_s += now - lane.refused_at;
  if (lane.off_at >= 0) lane.off_s += now - lane.off_at;
  lane.refused_at = lane.off_at = -1;
  if (!p_.schedule.enabled(now)) {  // the mapping is off: the try waits until it is on again
    lane.off_at = now;
    double wait = p_.schedule.enabled_again(now) - now;
    invoke_later(lane, now, wait);
    return;
  }
  // Records past the maximum age (or gone from the stream) are split off before every try.
  if (!lane.final && lane.retry->drop_stale(now, lane.settlement)) {
    sink_.records_given_up(p_.consumer, p_.shard, lane.settlement, now);
    if (lane.retry->done()) {
      finish_batch(index);
      return;
    }
  }
  if (p_.lease.threads) {  // the batch waits for one of its worker's threads
    const std::size_t worker = p_.lease.table->holder(p_.shard);
    if (!p_.lease.threads->acquire(worker, std::min(lease_lost_at_, control_.hard_stop_s))) {
      lane.phase = control_.must_stop(clock()) ? Lane::Phase::stopped : Lane::Phase::invoking;  // else: the lease is lost
      lane.at = clock();
      return;
    }
    lane.environment_s += clock() - now;
    now = clock();
  }
  const std::vector<Record>& records = lane.final ? lane.batch : lane.retry->next();
  if (!lane.run.start(executor_, lane.handler, records, p_.report_item_failures, sink_, now)) {
    lane.refused_at = now;
    invoke_later(lane, now, lane.throttle_wait);
    return;
  }
  lane.throttle_wait = p_.backoff.initial_s;
  lane.phase = Lane::Phase::running;
  lane.at = lane.run.next_event_s();
}

void ShardReader::resume_invocation(Lane& lane, double now) {
  lane.run.resume(lane.handler, lane.final ? lane.batch : lane.retry->next(), p_.report_item_failures, sink_, now);
  lane.at = lane.run.next_event_s();
}

void ShardReader::finish_invocation(std::size_t index, double now) {
  Lane& lane = lanes_[index];
  lane.run.finish(executor_, sink_, now);
  if (lane.final) {  // retried until it succeeds; then the window is closed
    if (!lane.run.outcome().ok()) {
      invoke_later(lane, now, lane.failure_wait);
      return;
    }
    sink_.window_closed(lane.run.invocation(), window_end_, window_over_s_, window_at_shard_end_);
    lane.final = window_open_ = false;
    finish_batch(index);
    return;
  }
  if (p_.lease.threads) p_.lease.threads->release(p_.lease.table->holder(p_.shard));
  Settlement& settlement = lane.settlement;
  lane.retry->settle(lane.run.outcome(), now, settlement);
  // The usual batch, all of it done in this invocation and none before, is reported from the
  // lane's own storage, lent to the settlement (a leased reader's settlement may lose records to
  // duplicates: a copy).
  const bool lent = settlement.whole_batch && !p_.lease.table;
  if (lent) settlement.succeeded.swap(lane.batch);
  else if (settlement.whole_batch) settlement.succeeded.assign(lane.batch.begin(), lane.batch.end());
  if (p_.lease.table) settle_leased(lane, now);
  split_.settled(lane, now);
  settlement.split = &split_;
  sink_.batch_settled(lane.run.invocation(), settlement);
  if (lent) settlement.succeeded.swap(lane.batch);
  lane.run.release_record_times();
  if (settlement.backoff) {
    invoke_later(lane, now, lane.failure_wait);
    return;
  }
  lane.failure_wait = p_.backoff.initial_s;
  if (!lane.retry->done()) {
    invoke(index, now);  // the next part of a bisected batch
    return;
  }
  finish_batch(index);
}

void ShardReader::BatchSplit::settled(const Lane& lane, double now) {
  // From the cut: refused tries and worker-thread waits (environment), the mapping off (no
  // reader: with each record's own), and the rest until this invocation's start lost to failed
  // attempts, backoffs and the batch's other parts (retries); then the invocation: init, lock
  // waits, the handler's time.
  const Invocation& inv = lane.run.invocation();
  const double lock = lane.run.outcome().lock_wait_s;
  shared_[LatencyCause::environment] = lane.environment_s;
  shared_[LatencyCause::cold_start] = inv.init_s;
  shared_[LatencyCause::lock] = lock;
  shared_[LatencyCause::handler] = (now - inv.start_s) - inv.init_s - lock;
  cut_s_ = lane.cut_s;
  gathered_s_ = lane.gathered_s;
  off_s_ = lane.off_s;
  retries_s_ = (inv.start_s - lane.cut_s) - lane.environment_s - lane.off_s;
}

void ShardReader::BatchSplit::book(const std::vector<Record>& records, double now, LatencyBooks& books) const {
  OwnParts own(books, book_shared(shared_, records.size(), books));
  timeline_.forget_last_lookup();  // the batch's first record gets its parts in full
  for (const Record& r : records) {
    const ReadTimeline::InShard in = timeline_.in_shard(r);
    own.set(LatencyCause::put, r.arrival_s - r.produced_s);
    const double poll = (in.read_s - r.arrival_s) - in.read_limited - in.lanes_full - in.not_reading;
    if (in.same_run) {
      // Read by the same call as the record before, arriving in the same reader state: besides its
      // put, only the part of that state differs (polling: the wait for the call).
      switch (in.state) {
        case ReaderState::polling: own.set(LatencyCause::poll, poll); break;
        case ReaderState::read_limited: own.set(LatencyCause::read_limit, in.read_limited); break;
        case ReaderState::lanes_full:
          own.set(LatencyCause::lane, in.lanes_full + (cut_s_ - in.read_s) - own[LatencyCause::batching_window]);
          break;
        case ReaderState::not_reading: own.set(LatencyCause::no_reader, in.not_reading + off_s_); break;
      }
    } else {
      const double window = std::max(0.0, cut_s_ - std::max(in.read_s, gathered_s_));
      own.set(LatencyCause::poll, poll);
      own.set(LatencyCause::read_limit, in.read_limited);
      own.set(LatencyCause::no_reader, in.not_reading + off_s_);
      own.set(LatencyCause::batching_window, window);
      own.set(LatencyCause::lane, in.lanes_full + (cut_s_ - in.read_s) - window);
      own.set(LatencyCause::retries, retries_s_);
    }
    own.next(now - r.produced_s);
  }
}

void ShardReader::finish_batch(std::size_t index) {
  Lane& lane = lanes_[index];
  dispatcher_.release(index, lane.batch);
  // Freed, not cleared: thousands of idle lanes would each keep room for their largest batch.
  std::vector<Record>().swap(lane.batch);
  lane.phase = Lane::Phase::idle;
  report_position();
}

void ShardReader::for_each_unfinished(const std::function<void(const Record&)>& f) const {
  // A leased shard read again from its checkpoint: what some holder processed is not unfinished.
  source_->for_each_unread([&](const Record& r) {
    if (r.sequence - 1 >= done_end_) f(r);
  });
  dispatcher_.for_each_buffered(f);
  for (const Lane& lane : lanes_)
    if (lane.busy()) lane.retry->for_each_unfinished(f);
}

std::uint64_t ShardReader::unfinished() const {
  const std::uint64_t processed_again = done_end_ > source_->position() ? done_end_ - source_->position() : 0;
  std::uint64_t n = source_->unread() - std::min(processed_again, source_->unread()) + dispatcher_.buffered();
  for (const Lane& lane : lanes_)
    if (lane.busy()) n += lane.retry->unfinished();
  return n;
}

}  // namespace shardsim
