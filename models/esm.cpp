#include "models/esm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

#include <simgrid/s4u.hpp>

#include "models/kinesis_limits.hpp"

namespace shardsim {
namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();
// A wake-up is never scheduled closer than this: SimGrid does not advance its clock for sleeps
// below its timing precision (1e-9 s), and an actor must not spin at one instant.
constexpr double kMinStepS = 1e-6;
// GetRecords hands records to the lane assignment in order; it looks this far ahead.
constexpr std::uint64_t kPrefetchAhead = 8;
double clock() { return simgrid::s4u::Engine::get_clock(); }
}  // namespace

ShardReader::ShardReader(MappingContext context, std::size_t shard, std::vector<Handler> handlers)
    : c_(context),
      shard_(shard),
      assignment_(make_lane_assignment(context.config.lane_assignment, handlers.size(), context.keys)),
      mutex_(simgrid::s4u::Mutex::create()),
      reader_wakeup_(simgrid::s4u::ConditionVariable::create()) {
  for (auto& h : handlers) lanes_.push_back({std::move(h), {}, false, nullptr, simgrid::s4u::ConditionVariable::create()});
  window_deadline_.assign(lanes_.size(), kNever);
  limits_.max_records = static_cast<std::size_t>(c_.config.batch_size);
  limits_.max_bytes = kinesis::kMaxLambdaPayloadBytes;
  rules_ = {c_.config.max_retry_attempts, c_.config.max_record_age_s, c_.config.bisect_on_error,
            c_.config.report_batch_item_failures, c_.stream.retention_s()};
  fetched_ = c_.stream.shard(shard_).begin();  // TRIM_HORIZON
}

double ShardReader::visible_time(std::uint64_t position) const {
  return c_.stream.shard(shard_).record(position).arrival_s + c_.config.propagation_delay_s;
}

bool ShardReader::fetch(double now) {
  Shard& shard = c_.stream.shard(shard_);
  std::uint64_t bytes = 0;
  std::int64_t count = 0;
  while (fetched_ < shard.end() && visible_time(fetched_) <= now) {
    const Record& r = shard.record(fetched_);
    if (count == kinesis::kMaxRecordsPerGetRecords || bytes + r.bytes > kinesis::kMaxBytesPerGetRecords) break;
    bytes += r.bytes;
    ++count;
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
  while (fetched_ < shard.end() && shard.record(fetched_).arrival_s < now - c_.stream.retention_s())
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
    if (lanes_[i].busy) continue;
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
    if (lane.busy) continue;
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
    lane.busy = true;
    lane.wakeup->notify_one();
  }
  return earliest_deadline;
}

bool ShardReader::drained() const {
  if (!c_.stream.production_complete() || fetched_ != c_.stream.shard(shard_).end()) return false;
  if (assignment_->buffered() != 0) return false;
  return std::none_of(lanes_.begin(), lanes_.end(), [](const Lane& l) { return l.busy; });
}

void ShardReader::skip_to_starting_position() {
  using Position = ConsumerConfig::StartingPosition;
  const Shard& shard = c_.stream.shard(shard_);
  double first_arrival = -kNever;  // TRIM_HORIZON: everything still in the stream
  if (c_.config.starting_position == Position::LATEST) first_arrival = c_.config.start_s;
  if (c_.config.starting_position == Position::AT_TIMESTAMP) first_arrival = c_.config.starting_position_timestamp_s;
  std::uint64_t skipped = 0;
  while (fetched_ < shard.end() && shard.record(fetched_).arrival_s < first_arrival) {
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

void ShardReader::run_reader() {
  Shard& shard = c_.stream.shard(shard_);
  const double poll_interval = c_.config.poll_interval_s;
  const bool efo = c_.config.delivery == ConsumerConfig::Delivery::efo;
  std::unique_lock<simgrid::s4u::Mutex> lock(*mutex_);
  if (c_.config.start_s > clock()) reader_wakeup_->wait_until(lock, c_.config.start_s);
  skip_to_starting_position();
  double last_call = -kNever;  // time of the last GetRecords call (or push)
  bool behind = false;         // the last call stopped at a per-call limit
  double next_call = clock();  // earliest time of the next GetRecords call (or push)
  while (true) {
    double now = clock();
    if (c_.control.must_stop(now)) break;
    expire(now);
    const bool wants = wants_records();
    if (wants && now >= next_call) {
      const auto admission = efo ? Shard::ReadAdmission::admitted : shard.admit_get_records(now);
      if (admission == Shard::ReadAdmission::admitted) {
        last_call = now;
        behind = fetch(now);
      } else {
        c_.sink.read_throttled(c_.consumer, shard_, admission == Shard::ReadAdmission::over_byte_rate, now);
      }
    }
    const double deadline = dispatch(now);
    if (drained()) break;
    // The next call: when caught up, one poll interval after the last; when behind, as soon as
    // the read limits allow. Enhanced fan-out pushes each record when it becomes visible, as
    // does polling with poll_interval_s 0 (an idealisation for validation).
    if (behind) {
      next_call = now;
    } else if (poll_interval > 0 && !efo) {
      next_call = last_call + poll_interval;
    } else {
      next_call = fetched_ < shard.end() ? visible_time(fetched_) : c_.stream.horizon();
    }
    next_call = std::max(next_call, efo ? efo_ready(now) : shard.next_read_time(now));
    double wake = deadline;
    if (wants_records()) wake = std::min(wake, next_call);
    wake = std::min(std::max(wake, now + kMinStepS), c_.control.hard_stop_s);
    // Lanes that finish a batch wake the reader early.
    reader_wakeup_->wait_until(lock, wake);
    ++c_.control.wakeups;
  }
  stopping_ = true;
  for (Lane& lane : lanes_) lane.wakeup->notify_one();
}

void ShardReader::run_lane(std::size_t index) {
  Lane& lane = lanes_[index];
  std::unique_lock<simgrid::s4u::Mutex> lock(*mutex_);
  while (true) {
    while (!lane.busy && !stopping_) {
      lane.wakeup->wait(lock);
      ++c_.control.wakeups;
    }
    if (!lane.busy) break;
    lock.unlock();
    const bool finished = process(lane, index);
    lock.lock();
    if (!finished) break;  // the run ended while the batch waited for concurrency
    assignment_->release(index, lane.batch);
    lane.batch.clear();
    lane.retry.reset();
    lane.busy = false;
    report_position();
    reader_wakeup_->notify_one();
  }
}

LambdaService::Start ShardReader::acquire_concurrency() {
  using Start = LambdaService::Start;
  double wait = c_.backoff.initial_s;
  double now = clock();
  while (true) {
    const Start start = c_.lambda.try_start(c_.function, now);
    if (start == Start::warm || start == Start::cold) return start;
    c_.sink.invocation_throttled(c_.consumer, c_.function, start == Start::throttled_scaling, now);
    if (c_.control.must_stop(now + wait)) return start;
    simgrid::s4u::this_actor::sleep_for(wait);
    now = clock();
    wait = std::min(wait * c_.backoff.multiplier, c_.backoff.max_s);
  }
}

bool ShardReader::process(Lane& lane, std::size_t index) {
  lane.retry = std::make_unique<BatchRetry>(rules_, lane.batch);
  BatchRetry& retry = *lane.retry;
  double wait = c_.backoff.initial_s;  // before retrying a failed batch (AWS: undocumented)
  while (!retry.done()) {
    const LambdaService::Start start_kind = acquire_concurrency();
    const bool cold = start_kind == LambdaService::Start::cold;
    if (!cold && start_kind != LambdaService::Start::warm) return false;
    const double start = clock();
    const double init = cold ? lane.handler.init_duration() : 0.0;
    const HandlerOutcome outcome = lane.handler.run(retry.next(), rules_.report_batch_item_failures);
    Invocation invocation{c_.consumer, c_.function, shard_, index, cold, init,
                          start, start + init + outcome.duration_s, &retry.next(), &outcome};
    c_.sink.invocation_started(invocation);
    simgrid::s4u::this_actor::sleep_for(init + outcome.duration_s);
    ++c_.control.wakeups;
    invocation.end_s = clock();
    c_.lambda.finish(c_.function, invocation.end_s);
    c_.sink.invocation_finished(invocation);
    const double end = invocation.end_s;
    const Settlement settlement = retry.settle(outcome, end);
    c_.sink.batch_settled(invocation, settlement);
    if (settlement.backoff) {
      if (c_.control.must_stop(end + wait)) return false;
      simgrid::s4u::this_actor::sleep_for(wait);
      wait = std::min(wait * c_.backoff.multiplier, c_.backoff.max_s);
    } else {
      wait = c_.backoff.initial_s;
    }
  }
  return true;
}

std::uint64_t ShardReader::unfinished() const {
  std::uint64_t n = c_.stream.shard(shard_).end() - fetched_ + assignment_->buffered();
  for (const Lane& lane : lanes_)
    if (lane.busy) n += lane.retry ? lane.retry->unfinished() : lane.batch.size();
  return n;
}

}  // namespace shardsim
