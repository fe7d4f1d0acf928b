#pragma once
// Producers: each draws arrival times, partition keys and sizes for its records. The fleet actor
// merges every producer's records in time order and puts them ahead of the clock, a chunk of
// simulated time at a time, so it wakes once per chunk, not once per record; each record keeps
// its exact time and readers only return records whose time has come.
#include <cstdint>
#include <vector>

#include "models/keys.hpp"
#include "models/record.hpp"
#include "models/stream.hpp"
#include "sim/rng.hpp"
#include "sim/run_control.hpp"
#include "sim/scenario.hpp"

namespace shardsim {

class Producer {
public:
  Producer(const ProducerConfig& config, double end_s, KeyTable& keys, Rng rng);
  // Time of the next record, or +inf when this producer is done.
  double next_time() const { return next_s_; }
  // The next record (produced_s = arrival_s = next_time()); then draws the following time.
  Record take();

private:
  void advance();
  const ProducerConfig& config_;
  double end_s_;
  KeyGenerator keys_;
  const KeyTable& table_;
  Rng rng_;
  double next_s_;
  std::uint64_t emitted_ = 0;
};

class ProducerFleet {
public:
  static constexpr double kChunkS = 1.0;

  ProducerFleet(std::vector<Producer>& producers, Stream& stream, RunControl& control, std::int64_t max_backlog)
      : producers_(producers), stream_(stream), control_(control), max_backlog_(max_backlog) {}
  // The actor's body.
  void operator()();

private:
  // Puts every record with time < until, in time order across producers.
  void generate_until(double until);
  std::vector<Producer>& producers_;
  Stream& stream_;
  RunControl& control_;
  std::int64_t max_backlog_;
};

}  // namespace shardsim
