#include "models/esm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <simgrid/s4u.hpp>

#include "models/kinesis_limits.hpp"

namespace shardsim {
namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();
// A retry is never scheduled closer than this: SimGrid does not advance its clock for sleeps
// below its timing precision (1e-9 s), and a reader must not spin at one instant.
constexpr double kMinRetryS = 1e-6;
double clock() { return simgrid::s4u::Engine::get_clock(); }
}  // namespace

double ShardReader::visible_time(std::uint64_t position) const {
  return c_.stream.shard(shard_).record(position).arrival_s + c_.config.propagation_delay_s;
}

bool ShardReader::fetch(double now) {
  Shard& shard = c_.stream.shard(shard_);
  std::uint64_t bytes = 0;
  std::int64_t count = 0;
  while (fetched_ < shard.end() && visible_time(fetched_) <= now) {
    const std::uint32_t b = shard.record(fetched_).bytes;
    if (count == kinesis::kMaxRecordsPerGetRecords || bytes + b > kinesis::kMaxBytesPerGetRecords) break;
    bytes += b;
    ++count;
    ++fetched_;
  }
  shard.charge_read_bytes(now, bytes);
  return fetched_ < shard.end() && visible_time(fetched_) <= now;
}

ShardReader::Scan ShardReader::next_batch() const {
  const Shard& shard = c_.stream.shard(shard_);
  const auto max_records = static_cast<std::size_t>(c_.config.batch_size);
  Scan s;
  std::uint64_t bytes = 0;
  for (std::uint64_t p = position_; p < fetched_; ++p) {
    const std::uint32_t b = shard.record(p).bytes;
    if (s.records == max_records || bytes + b > kinesis::kMaxLambdaPayloadBytes) {
      s.full = true;
      return s;
    }
    ++s.records;
    bytes += b;
  }
  s.full = s.records == max_records;
  return s;
}

double ShardReader::fill_time() const {
  const Shard& shard = c_.stream.shard(shard_);
  const std::uint64_t last = position_ + static_cast<std::uint64_t>(c_.config.batch_size) - 1;
  if (last < shard.end()) return visible_time(last);
  // Not generated yet: it cannot arrive before the generation horizon.
  return c_.stream.production_complete() ? kNever : c_.stream.horizon() + c_.config.propagation_delay_s;
}

void ShardReader::expire(double now) {
  const Shard& shard = c_.stream.shard(shard_);
  std::size_t expired = 0;
  while (position_ < shard.end() && shard.record(position_).arrival_s < now - c_.stream.retention_s()) {
    ++position_;
    ++expired;
  }
  if (expired) {
    fetched_ = std::max(fetched_, position_);
    c_.sink.records_expired(c_.consumer, shard_, expired);
    c_.stream.reader_advanced(c_.consumer, shard_, position_);
  }
}

bool ShardReader::invoke(double now) {
  double wait = c_.backoff.initial_s;
  while (!c_.lambda.try_start(c_.function, now)) {
    c_.sink.invocation_throttled(c_.consumer, c_.function, now);
    if (c_.control.must_stop(now + wait)) return false;
    simgrid::s4u::this_actor::sleep_for(wait);
    now = clock();
    wait = std::min(wait * c_.backoff.multiplier, c_.backoff.max_s);
  }
  const double duration = handler_.duration(batch_);
  simgrid::s4u::this_actor::sleep_for(duration);
  const double end = clock();
  c_.lambda.finish(c_.function, end);
  c_.sink.invocation_finished({c_.consumer, c_.function, shard_, now, end, &batch_});
  return true;
}

void ShardReader::operator()() {
  namespace this_actor = simgrid::s4u::this_actor;
  Shard& shard = c_.stream.shard(shard_);
  position_ = fetched_ = shard.begin();  // TRIM_HORIZON
  const double poll_interval = c_.config.poll_interval_s;
  const double window = c_.config.batching_window_s;
  double next_poll = clock();
  double last_call = -kNever;      // time of the last GetRecords call
  bool behind = false;             // the last call stopped at a per-call limit
  double window_deadline = kNever; // when the batch being gathered must go
  while (true) {
    if (next_poll > clock()) this_actor::sleep_until(std::min(next_poll, c_.control.hard_stop_s));
    double now = clock();
    if (c_.control.must_stop(now)) break;
    expire(now);
    Scan batch = next_batch();
    // GetRecords when the buffer is empty, or while a batching window gathers (once more at its
    // deadline, for what arrived since the last call).
    if (batch.records == 0 || (window > 0 && !batch.full && now <= window_deadline)) {
      if (!shard.admit_get_records(now)) {
        c_.sink.read_throttled(c_.consumer, shard_, now);
        next_poll = std::max(shard.next_read_time(now), now + kMinRetryS);
        continue;
      }
      last_call = now;
      behind = fetch(now);
      batch = next_batch();
    }
    if (batch.records == 0) {
      if (c_.stream.production_complete() && position_ == shard.end()) break;  // drained
      // Caught up. poll_interval_s 0 idealises immediate delivery: wake when the next record
      // becomes visible (or when more records have been generated).
      next_poll = poll_interval > 0 ? now + poll_interval
                                    : (position_ < shard.end() ? visible_time(position_) : c_.stream.horizon());
      continue;
    }
    if (window > 0 && !batch.full) {
      if (window_deadline == kNever) window_deadline = now + window;
      if (now < window_deadline) {
        next_poll = std::max(std::min(window_deadline, fill_time()), now + kMinRetryS);
        continue;
      }
    }
    window_deadline = kNever;
    batch_.assign(shard.record_iterator(position_), shard.record_iterator(position_ + batch.records));
    if (!invoke(now)) break;
    position_ += batch.records;
    c_.stream.reader_advanced(c_.consumer, shard_, position_);
    now = clock();
    // Records left in the buffer are invoked at once; an empty buffer is refilled at once if the
    // last call was cut short by its limits, else at the base rate.
    next_poll = (position_ < fetched_ || behind) ? now : std::max(now, last_call + poll_interval);
  }
}

}  // namespace shardsim
