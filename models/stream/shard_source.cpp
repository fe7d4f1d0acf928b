#include "models/stream/shard_source.hpp"

#include <algorithm>
#include <limits>

#include "models/base/run_control.hpp"
#include "models/core/dispatcher.hpp"

namespace shardsim {
namespace {
// The log is prefetched this far ahead of a call's reads, and the dispatcher's state for a
// record kPrefetchAhead ahead.
constexpr std::uint64_t kLogAhead = 32;
constexpr std::uint64_t kPrefetchAhead = 8;
}  // namespace

ShardSource::ShardSource(Stream& stream, std::size_t shard, std::size_t consumer, ReadLimits per_call,
                         double propagation_delay_s, EventSink& sink)
    : stream_(stream),
      shard_(shard),
      consumer_(consumer),
      per_call_(per_call),
      delay_s_(propagation_delay_s),
      sink_(sink),
      fetched_(stream.shard(shard).begin()) {}  // TRIM_HORIZON

double ShardSource::visible_time(std::uint64_t position) const {
  return stream_.shard(shard_).arrival_s(position) + delay_s_;
}

double ShardSource::arrival_at(std::uint64_t position) const {
  const Shard& shard = stream_.shard(shard_);
  if (position >= shard.end()) return std::numeric_limits<double>::infinity();
  return position >= shard.begin() ? shard.arrival_s(position) : -std::numeric_limits<double>::infinity();
}

double ShardSource::next_visible() const {
  return fetched_ < stream_.shard(shard_).end() ? visible_time(fetched_) : stream_.horizon();
}

bool ShardSource::fetch(double now, Dispatcher& into) {
  Shard& shard = stream_.shard(shard_);
  const std::uint64_t end = shard.end();
  std::uint64_t bytes = 0, filtered = 0;
  std::int64_t count = 0;
  double last_arrival = 0;
  // The log a block's run of entries at a time, each record visible when arrival + delay ≤ now.
  for (bool more = fetched_ < end; more;) {
    const Shard::Run run = shard.run_from(fetched_);
    for (std::size_t k = 0; k < run.size; ++k) {
      const Shard::Entry& e = run.first[k];
      if (!(e.arrival_s + delay_s_ <= now) || count == per_call_.max_records_per_call ||
          bytes + e.bytes > per_call_.max_bytes_per_call) {
        more = false;
        break;
      }
      const Record r = e.with_sequence(fetched_ + 1);
      bytes += r.bytes;
      ++count;
      last_arrival = r.arrival_s;
      if (fetched_ + kLogAhead < end) shard.prefetch(fetched_ + kLogAhead);
      if (fetched_ + kPrefetchAhead < end)
        into.prefetch(k + kPrefetchAhead < run.size ? run.first[k + kPrefetchAhead].key : shard.record(fetched_ + kPrefetchAhead).key);
      if (filter_ && !filter_->keeps(r)) ++filtered;
      else into.add(r);
      if (++fetched_ == end) more = false;
    }
  }
  if (filtered) sink_.records_filtered(consumer_, shard_, filtered, now);
  charge(now, bytes);
  stream_.count_read(consumer_, bytes);
  sink_.records_read(consumer_, shard_, static_cast<std::uint64_t>(count), bytes, last_arrival, shares_read_limits(), now);
  return fetched_ < end && visible_time(fetched_) <= now;
}

bool ShardSource::expire(double now) {
  const Shard& shard = stream_.shard(shard_);
  const std::uint64_t before = fetched_;
  while (fetched_ < shard.end() && shard.arrival_s(fetched_) < now - stream_.retention_s())
    sink_.record_expired(consumer_, shard_, shard.record(fetched_++), now);
  return fetched_ != before;
}

bool ShardSource::skip_before(double first_arrival_s, double now) {
  const Shard& shard = stream_.shard(shard_);
  std::uint64_t skipped = 0;
  while (fetched_ < shard.end() && shard.arrival_s(fetched_) < first_arrival_s) {
    ++fetched_;
    ++skipped;
  }
  if (skipped) sink_.records_skipped(consumer_, shard_, skipped, now);
  return skipped != 0;
}

bool ShardSource::exhausted(double now) const {
  const Shard& shard = stream_.shard(shard_);
  return fetched_ == shard.end() && (stream_.production_complete() || shard.state_at(now) == Shard::State::closed);
}

bool ShardSource::ended(double now) const {
  const Shard& shard = stream_.shard(shard_);
  return fetched_ == shard.end() && shard.state_at(now) == Shard::State::closed;
}

double ShardSource::visible_when_full(const BatchLimits& limits, const BatchPreview& batch, double until) const {
  const Shard& shard = stream_.shard(shard_);
  std::size_t records = batch.records;
  std::uint64_t bytes = batch.bytes;
  double first = batch.first_arrival_s;
  for (std::uint64_t p = fetched_; p < shard.end(); ++p) {
    const double visible = visible_time(p);
    if (visible > until) return std::numeric_limits<double>::infinity();
    const Record r = shard.record(p);
    if (filter_ && !filter_->keeps(r)) continue;  // discarded: it joins nothing
    if (limits.full(records, bytes, first, r)) return visible;
    if (records++ == 0) first = r.arrival_s;
    bytes += r.bytes;
    if (records == limits.max_records) return visible;
  }
  // Records not written yet arrive after the producers' horizon: until then nothing fills it.
  return stream_.horizon() < until ? stream_.horizon() + delay_s_ : std::numeric_limits<double>::infinity();
}

std::uint64_t ShardSource::unread() const { return stream_.shard(shard_).end() - fetched_; }

void ShardSource::for_each_unread(const std::function<void(const Record&)>& f) const {
  const Shard& shard = stream_.shard(shard_);
  for (std::uint64_t p = fetched_; p < shard.end(); ++p) f(shard.record(p));
}

void ShardSource::release_before(std::uint64_t unfinished, std::uint64_t kept) {
  stream_.reader_advanced(consumer_, shard_, unfinished, kept);
}

RecordSource::Call GetRecordsSource::admit(double now) {
  // A reader calls when its share has a token (next_call): a shortfall of rounding is not a refusal.
  constexpr double kRounding = 1e-9;
  if (own_calls_ && !own_calls_->has(now, 1 - kRounding)) return Call::over_call_rate;
  const bool share_replaces_calls = own_calls_ && share_limit_ == ReadLimit::call_rate;
  switch (stream_.shard(shard_).admit_get_records(now, !share_replaces_calls)) {
    case Shard::ReadAdmission::admitted:
      if (own_calls_) own_calls_->charge(now, 1);
      return Call::admitted;
    case Shard::ReadAdmission::over_call_rate: return Call::over_call_rate;
    case Shard::ReadAdmission::over_byte_rate: break;
  }
  return Call::over_byte_rate;
}

void GetRecordsSource::charge(double now, std::uint64_t bytes) { stream_.shard(shard_).charge_read_bytes(now, bytes); }

namespace {
// The call time `wanted`, pushed back to `ready` by `limit` when that is later (by more than
// rounding): the hold is noted.
void hold_back(double& next, double ready, ReadLimit limit, RecordSource::Hold& hold) {
  if (ready > next + 1e-9) {
    hold.held = true;
    hold.limit = limit;
  }
  next = std::max(next, ready);
}
}  // namespace

double GetRecordsSource::next_call(double now, double last_call_s, bool behind) {
  // Caught up: one poll interval after the last call; behind: as soon as the read limits allow.
  const double wanted = behind ? now : poll_interval_s_ > 0 ? last_call_s + poll_interval_s_ : next_visible();
  hold_ = {false, ReadLimit::call_rate, wanted, behind ? 0.0 : poll_interval_s_};
  double next = wanted;
  Shard& shard = stream_.shard(shard_);
  if (own_calls_) hold_back(next, own_calls_->time_available(now, 1), share_limit_, hold_);
  if (!own_calls_ || share_limit_ != ReadLimit::call_rate)
    hold_back(next, shard.read_calls_ready(now), ReadLimit::call_rate, hold_);
  hold_back(next, shard.read_bytes_ready(now), ReadLimit::byte_rate, hold_);
  return next;
}

double SubscribeToShardSource::next_call(double now, double, bool behind) {
  const double wanted = behind ? now : next_visible();
  hold_ = {false, ReadLimit::byte_rate, wanted, 0.0};
  TokenBucket& b = budget(now);
  double next = wanted;
  if (b.level(now) <= 0) hold_back(next, b.time_available(now, 0) + kMinStepS, ReadLimit::byte_rate, hold_);
  return next;
}

}  // namespace shardsim
