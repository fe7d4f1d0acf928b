#include "models/core/shard.hpp"

#include <algorithm>

namespace shardsim {

Shard::Shard(std::string id, HashKeyRange range, const ShardLimits& limits, double opened_s,
             std::optional<std::size_t> parent, std::optional<std::size_t> adjacent_parent)
    : write_records_(limits.write_records_per_s, limits.write_records_per_s * limits.write_burst_s),
      write_bytes_(limits.write_bytes_per_s, limits.write_bytes_per_s * limits.write_burst_s),
      id_(std::move(id)),
      range_(range),
      opened_s_(opened_s),
      parent_(parent),
      adjacent_parent_(adjacent_parent),
      read_calls_(limits.read_calls_per_s, limits.read_calls_per_s),
      read_bytes_(limits.read_bytes_per_s, limits.read_bytes_per_s),
      read_bytes_per_s_(limits.read_bytes_per_s) {}

bool Shard::admit(double now, std::uint32_t bytes) {
  // Both limits must hold; check before taking so a rejected record costs nothing.
  if (!write_records_.has(now, 1) || !write_bytes_.has(now, bytes)) return false;
  write_records_.take_checked(1);
  write_bytes_.take_checked(bytes);
  return true;
}

Record Shard::append(Record r) {
  r.sequence = next_sequence_++;
  log_.push_back({r.produced_s, r.arrival_s, r.key, r.bytes, r.order_key, r.put_attempts, r.user_records});
  return r;
}

Shard::ReadAdmission Shard::admit_get_records(double now, bool count_call) {
  // A call is refused while the byte budget is in debt from earlier large reads (AWS: after a
  // 10 MB call, calls in the next ~5 s are throttled), or when 5 calls/s are used up.
  if (read_bytes_.level(now) <= 0) return ReadAdmission::over_byte_rate;
  if (!count_call) return ReadAdmission::admitted;
  // Readers call at read_calls_ready(): a token short by floating-point rounding at that instant
  // is there (else every waiting reader is refused and retries a microsecond later).
  constexpr double kRounding = 1e-9;
  if (!read_calls_.has(now, 1 - kRounding)) return ReadAdmission::over_call_rate;
  read_calls_.charge(now, 1);
  return ReadAdmission::admitted;
}

void Shard::charge_read_bytes(double now, std::uint64_t bytes) { read_bytes_.charge(now, static_cast<double>(bytes)); }

double Shard::read_calls_ready(double now) { return read_calls_.time_available(now, 1); }

double Shard::read_bytes_ready(double now) {
  const double level = read_bytes_.level(now);
  return level > 0 ? now : now + (-level) / read_bytes_per_s_ + 1e-9;
}

void Shard::release_before(std::uint64_t position) {
  const std::uint64_t n = std::min<std::uint64_t>(position - std::min(position, released_), log_.size());
  log_.pop_front(n);
  released_ += n;
}

}  // namespace shardsim
