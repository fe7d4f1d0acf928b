#include "models/producer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <simgrid/s4u.hpp>

#include "models/kinesis_limits.hpp"

namespace shardsim {

Producer::Producer(const ProducerConfig& config, double end_s, KeyTable& keys, Rng rng)
    : config_(config), end_s_(end_s), keys_(config.keys, keys), table_(keys), rng_(rng), next_s_(config.start_s) {
  // The first arrival is one gap after start_s for Poisson (memoryless), at start_s otherwise.
  if (config_.arrival.type == ArrivalSpec::Type::poisson) next_s_ += rng_.exponential(1.0 / config_.rate_per_s);
  if (next_s_ >= end_s_ || keys_.exhausted()) next_s_ = std::numeric_limits<double>::infinity();
}

void Producer::advance() {
  if (keys_.exhausted()) {
    next_s_ = std::numeric_limits<double>::infinity();
    return;
  }
  ++emitted_;
  // Constant arrivals are start_s + n / rate exactly, not a running sum that drifts.
  next_s_ = config_.arrival.type == ArrivalSpec::Type::poisson
                ? next_s_ + rng_.exponential(1.0 / config_.rate_per_s)
                : config_.start_s + static_cast<double>(emitted_) / config_.rate_per_s;
  if (next_s_ >= end_s_) next_s_ = std::numeric_limits<double>::infinity();
}

Record Producer::take() {
  Record r;
  r.produced_s = r.arrival_s = next_s_;
  r.key = keys_.next(rng_);
  const double data = std::round(config_.record_bytes.sample(rng_));
  const double clamped = std::clamp(data, 1.0, static_cast<double>(kinesis::kMaxRecordDataBytes));
  r.bytes = static_cast<std::uint32_t>(clamped) + static_cast<std::uint32_t>(table_.name(r.key).size());
  advance();
  return r;
}

void ProducerFleet::generate_until(double until) {
  while (true) {
    Producer* earliest = nullptr;
    for (auto& p : producers_)
      if (p.next_time() < until && (!earliest || p.next_time() < earliest->next_time())) earliest = &p;
    if (!earliest) break;
    stream_.put(earliest->take());
  }
  stream_.set_horizon(until);
}

void ProducerFleet::operator()() {
  namespace this_actor = simgrid::s4u::this_actor;
  // Stay one chunk ahead of the clock: whenever any reader runs at time t, every record with
  // time < t + kChunkS exists, whatever order SimGrid runs actors that wake at the same instant.
  double horizon = 0;
  while (true) {
    const double now = simgrid::s4u::Engine::get_clock();
    horizon = std::min(now + 2 * kChunkS, control_.production_end_s);
    generate_until(horizon);
    if (static_cast<std::int64_t>(stream_.unread_records()) > max_backlog_) {
      control_.abort_reason = "more than " + std::to_string(max_backlog_) +
                              " unread records in the stream (limits.max_backlog_records): consumers fall "
                              "behind without bound";
      break;
    }
    const bool more = std::any_of(producers_.begin(), producers_.end(),
                                  [](const Producer& p) { return std::isfinite(p.next_time()); });
    if (!more || horizon >= control_.production_end_s || control_.aborted()) break;
    this_actor::sleep_until(now + kChunkS);
  }
  stream_.set_production_complete();
}

}  // namespace shardsim
