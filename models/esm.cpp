#include "models/esm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <simgrid/s4u.hpp>

#include "models/kinesis_limits.hpp"

namespace shardsim {
namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();
// A wake-up is never scheduled closer than this: SimGrid does not advance its clock for sleeps
// below its timing precision (1e-9 s), and an actor must not spin at one instant.
constexpr double kMinStepS = 1e-6;
// GetRecords hands records to the lane assignment in order; it prefetches the log this far
// ahead, and the lane assignment's state for a record kPrefetchAhead ahead.
constexpr std::uint64_t kLogAhead = 32;
constexpr std::uint64_t kPrefetchAhead = 8;
double clock() { return simgrid::s4u::Engine::get_clock(); }
}  // namespace

ShardReader::ShardReader(MappingContext context, std::size_t shard, std::vector<Handler> handlers)
    : c_(context),
      shard_(shard),
      assignment_(make_lane_assignment(context.config.lane_assignment, handlers.size(), context.keys)),
      last_call_(-kNever) {
  rules_ = {c_.config.max_retry_attempts, c_.config.max_record_age_s, c_.config.bisect_on_error,
            c_.config.report_batch_item_failures, c_.stream.retention_s()};
  lanes_.reserve(handlers.size());  // a running invocation points into its lane
  for (auto& h : handlers) lanes_.emplace_back(std::move(h), rules_);
  window_deadline_.assign(lanes_.size(), kNever);
  limits_.max_records = static_cast<std::size_t>(c_.config.batch_size);
  limits_.max_bytes = kinesis::kMaxLambdaPayloadBytes;
  fetched_ = c_.stream.shard(shard_).begin();  // TRIM_HORIZON
}

double ShardReader::visible_time(std::uint64_t position) const {
  return c_.stream.shard(shard_).arrival_s(position) + c_.config.propagation_delay_s;
}

bool ShardReader::fetch(double now) {
  Shard& shard = c_.stream.shard(shard_);
  std::uint64_t bytes = 0;
  std::int64_t count = 0;
  while (fetched_ < shard.end() && visible_time(fetched_) <= now) {
    const Record r = shard.record(fetched_);
    if (count == kinesis::kMaxRecordsPerGetRecords || bytes + r.bytes > kinesis::kMaxBytesPerGetRecords) break;
    bytes += r.bytes;
    ++count;
    if (fetched_ + kLogAhead < shard.end()) shard.prefetch(fetched_ + kLogAhead);
    if (fetched_ + kPrefetchAhead < shard.end()) assignment_->prefetch(shard.record(fetched_ + kPrefetchAhead));
    assignment_->add(r);
    ++fetched_;
  }
  if (c_.config.delivery == ConsumerConfig::Delivery::efo) efo_bytes_.charge(now, static_cast<double>(bytes));
  else shard.charge_read_bytes(now, bytes);
  return fetched_ < shard.end() && visible_time(fetched_) <= now;
}

void ShardReader::expire(double now) {
  const Shard& shard = c_.stream.shard(shard_);
  const std::uint64_t before = fetched_;
  while (fetched_ < shard.end() && shard.arrival_s(fetched_) < now - c_.stream.retention_s())
    c_.sink.record_expired(c_.consumer, shard_, shard.record(fetched_++), now);
  if (fetched_ != before) report_position();
}

void ShardReader::report_position() {
  std::uint64_t lowest = std::min(fetched_, assignment_->lowest_buffered_position());
  for (const Lane& lane : lanes_)  // a batch is in shard order: its first record is its lowest
    if (!lane.batch.empty()) lowest = std::min(lowest, lane.batch.front().sequence - 1);
  c_.stream.reader_advanced(c_.consumer, shard_, lowest);
}

bool ShardReader::wants_records() const {
  if (assignment_->buffered() >= static_cast<std::size_t>(kinesis::kMaxRecordsPerGetRecords)) return false;
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    if (lanes_[i].busy()) continue;
    const BatchPreview p = assignment_->preview(i, limits_);
    if (p.records == 0 || (!p.full && window_deadline_[i] != kNever)) return true;
  }
  return false;
}

double ShardReader::dispatch(double now) {
  const double window = c_.config.batching_window_s;
  double earliest_deadline = kNever;
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    Lane& lane = lanes_[i];
    if (lane.busy()) continue;
    const BatchPreview p = assignment_->preview(i, limits_);
    if (p.records == 0) continue;
    // MaximumBatchingWindowInSeconds: a partial batch waits for more records, at most `window`.
    if (window > 0 && !p.full) {
      if (window_deadline_[i] == kNever) window_deadline_[i] = now + window;
      if (now < window_deadline_[i]) {
        earliest_deadline = std::min(earliest_deadline, window_deadline_[i]);
        continue;
      }
    }
    window_deadline_[i] = kNever;
    assignment_->take(i, limits_, lane.batch);
    start_batch(i, now);
  }
  return earliest_deadline;
}

bool ShardReader::drained() const {
  if (!c_.stream.production_complete() || fetched_ != c_.stream.shard(shard_).end()) return false;
  if (assignment_->buffered() != 0) return false;
  return std::none_of(lanes_.begin(), lanes_.end(), [](const Lane& l) { return l.busy(); });
}

void ShardReader::skip_to_starting_position() {
  using Position = ConsumerConfig::StartingPosition;
  const Shard& shard = c_.stream.shard(shard_);
  double first_arrival = -kNever;  // TRIM_HORIZON: everything still in the stream
  if (c_.config.starting_position == Position::LATEST) first_arrival = c_.config.start_s;
  if (c_.config.starting_position == Position::AT_TIMESTAMP) first_arrival = c_.config.starting_position_timestamp_s;
  std::uint64_t skipped = 0;
  while (fetched_ < shard.end() && shard.arrival_s(fetched_) < first_arrival) {
    ++fetched_;
    ++skipped;
  }
  if (skipped) {
    c_.sink.records_skipped(c_.consumer, shard_, skipped, clock());
    report_position();
  }
}

double ShardReader::efo_ready(double now) {
  const double level = efo_bytes_.level(now);
  return level > 0 ? now : now + (-level) / kinesis::kReadBytesPerShardPerS + kMinStepS;
}

double ShardReader::poll(double now) {
  if (stopping_) return kNever;
  if (c_.control.must_stop(now)) {
    stopping_ = true;  // running invocations still end and settle
    return kNever;
  }
  Shard& shard = c_.stream.shard(shard_);
  const bool efo = c_.config.delivery == ConsumerConfig::Delivery::efo;
  expire(now);
  if (wants_records() && now >= next_call_) {
    const auto admission = efo ? Shard::ReadAdmission::admitted : shard.admit_get_records(now);
    if (admission == Shard::ReadAdmission::admitted) {
      last_call_ = now;
      behind_ = fetch(now);
    } else {
      c_.sink.read_throttled(c_.consumer, shard_, admission == Shard::ReadAdmission::over_byte_rate, now);
    }
  }
  const double deadline = dispatch(now);
  if (drained()) {
    stopping_ = true;
    return kNever;
  }
  // The next call: when caught up, one poll interval after the last; when behind, as soon as
  // the read limits allow. Enhanced fan-out pushes each record when it becomes visible, as
  // does polling with poll_interval_s 0 (an idealisation for validation).
  const double poll_interval = c_.config.poll_interval_s;
  if (behind_) {
    next_call_ = now;
  } else if (poll_interval > 0 && !efo) {
    next_call_ = last_call_ + poll_interval;
  } else {
    next_call_ = fetched_ < shard.end() ? visible_time(fetched_) : c_.stream.horizon();
  }
  next_call_ = std::max(next_call_, efo ? efo_ready(now) : shard.next_read_time(now));
  double wake = deadline;
  if (wants_records()) wake = std::min(wake, next_call_);
  return std::min(std::max(wake, now + kMinStepS), c_.control.hard_stop_s);
}

void ShardReader::operator()() {
  namespace this_actor = simgrid::s4u::this_actor;
  if (c_.config.start_s > clock()) this_actor::sleep_until(c_.config.start_s);
  skip_to_starting_position();
  next_call_ = clock();
  double wake = clock();
  while (true) {
    // Lane events due now, in lane order; then the reader. SimGrid may stop the clock a hair
    // short of a requested time (or not move it for a step below its precision), so an event
    // is due once the clock or the requested wake-up has reached it.
    const double now = clock();
    const double due = std::max(now, wake);
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
      Lane& lane = lanes_[i];
      if (lane.phase == Lane::Phase::running && lane.at <= due) finish_invocation(i, now);
      if (lane.phase == Lane::Phase::invoking && lane.at <= due) invoke(i, now);
    }
    wake = poll(now);
    for (const Lane& lane : lanes_)
      if (lane.phase == Lane::Phase::running || lane.phase == Lane::Phase::invoking) wake = std::min(wake, lane.at);
    if (wake == kNever) break;
    if (wake > now) this_actor::sleep_until(wake);
    ++c_.control.wakeups;
  }
}

void ShardReader::start_batch(std::size_t index, double now) {
  Lane& lane = lanes_[index];
  lane.retry.start(lane.batch);
  lane.failure_wait = c_.backoff.initial_s;  // AWS does not document this backoff
  lane.throttle_wait = c_.backoff.initial_s;
  invoke(index, now);
}

void ShardReader::invoke_later(Lane& lane, double now, double& wait) {
  if (c_.control.must_stop(now + wait)) {
    lane.phase = Lane::Phase::stopped;
    return;
  }
  lane.phase = Lane::Phase::invoking;
  lane.at = now + wait;
  wait = std::min(wait * c_.backoff.multiplier, c_.backoff.max_s);
}

void ShardReader::invoke(std::size_t index, double now) {
  using Start = LambdaService::Start;
  Lane& lane = lanes_[index];
  const Start start = c_.lambda.try_start(c_.function, now);
  if (start != Start::warm && start != Start::cold) {
    c_.sink.invocation_throttled(c_.consumer, c_.function, start == Start::throttled_scaling, now);
    invoke_later(lane, now, lane.throttle_wait);
    return;
  }
  lane.throttle_wait = c_.backoff.initial_s;
  const bool cold = start == Start::cold;
  const double init = cold ? lane.handler.init_duration() : 0.0;
  lane.handler.run(lane.retry.next(), rules_.report_batch_item_failures, lane.outcome);
  lane.invocation = {c_.consumer, c_.function, shard_, index, cold, init,
                     now, now + init + lane.outcome.duration_s, &lane.retry.next(), &lane.outcome};
  c_.sink.invocation_started(lane.invocation);
  lane.phase = Lane::Phase::running;
  lane.at = lane.invocation.end_s;
}

void ShardReader::finish_invocation(std::size_t index, double now) {
  Lane& lane = lanes_[index];
  Invocation& invocation = lane.invocation;
  invocation.end_s = now;
  c_.lambda.finish(c_.function, now);
  c_.sink.invocation_finished(invocation);
  const Settlement& settlement = lane.settlement;
  lane.retry.settle(lane.outcome, now, lane.settlement);
  c_.sink.batch_settled(invocation, settlement);
  if (settlement.backoff) {
    invoke_later(lane, now, lane.failure_wait);
    return;
  }
  lane.failure_wait = c_.backoff.initial_s;
  if (!lane.retry.done()) {
    invoke(index, now);  // the next part of a bisected batch
    return;
  }
  assignment_->release(index, lane.batch);
  lane.batch.clear();
  lane.phase = Lane::Phase::idle;
  report_position();
}

std::uint64_t ShardReader::unfinished() const {
  std::uint64_t n = c_.stream.shard(shard_).end() - fetched_ + assignment_->buffered();
  for (const Lane& lane : lanes_)
    if (lane.busy()) n += lane.retry.unfinished();
  return n;
}

}  // namespace shardsim
