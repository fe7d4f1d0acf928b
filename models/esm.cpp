#include "models/esm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <simgrid/s4u.hpp>

#include "models/kinesis_limits.hpp"

namespace shardsim {
namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();
double clock() { return simgrid::s4u::Engine::get_clock(); }
}  // namespace

double ShardReader::visible_time(std::uint64_t position) const {
  return c_.stream.shard(shard_).record(position).arrival_s + c_.config.propagation_delay_s;
}

ShardReader::Scan ShardReader::scan(double now) const {
  const Shard& shard = c_.stream.shard(shard_);
  const auto max_records = static_cast<std::size_t>(c_.config.batch_size);
  Scan s;
  for (std::uint64_t p = position_; p < shard.end() && visible_time(p) <= now; ++p) {
    const std::uint32_t bytes = shard.record(p).bytes;
    if (s.records == max_records || s.bytes + bytes > kinesis::kMaxLambdaPayloadBytes) {
      s.full = s.more_visible = true;
      break;
    }
    ++s.records;
    s.bytes += bytes;
  }
  if (s.records == max_records) s.full = true;
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
  position_ = shard.begin();  // TRIM_HORIZON
  const double poll_interval = c_.config.poll_interval_s;
  double next_poll = clock();
  while (true) {
    if (next_poll > clock()) this_actor::sleep_until(std::min(next_poll, c_.control.hard_stop_s));
    double now = clock();
    if (c_.control.must_stop(now)) break;
    if (!shard.admit_get_records(now)) {
      c_.sink.read_throttled(c_.consumer, shard_, now);
      next_poll = shard.next_read_time(now);
      continue;
    }
    const double poll_time = now;
    expire(now);
    Scan s = scan(now);
    if (s.records == 0) {
      if (c_.stream.production_complete() && position_ == shard.end()) break;  // drained
      if (poll_interval > 0) {
        next_poll = now + poll_interval;
      } else {
        // Idealised immediate delivery: wake when the next record becomes visible.
        next_poll = position_ < shard.end() ? visible_time(position_) : c_.stream.horizon();
      }
      continue;
    }
    shard.charge_read_bytes(now, s.bytes);
    // MaximumBatchingWindowInSeconds: wait for a full batch, at most the window after this poll.
    if (c_.config.batching_window_s > 0 && !s.full) {
      const double deadline = now + c_.config.batching_window_s;
      while (!s.full && now < deadline && !c_.control.must_stop(now)) {
        this_actor::sleep_until(std::min({deadline, fill_time(), c_.control.hard_stop_s}));
        now = clock();
        s = scan(now);
      }
    }
    batch_.clear();
    for (std::size_t i = 0; i < s.records; ++i) batch_.push_back(shard.record(position_ + i));
    if (!invoke(now)) break;
    position_ += s.records;
    c_.stream.reader_advanced(c_.consumer, shard_, position_);
    // Behind: read again at once (the shard's 5 calls/s spaces the calls). Caught up: poll at
    // the base rate.
    next_poll = s.more_visible ? clock() : std::max(clock(), poll_time + poll_interval);
    if (!s.more_visible && poll_interval == 0 && position_ < shard.end()) next_poll = std::max(clock(), visible_time(position_));
  }
}

}  // namespace shardsim
