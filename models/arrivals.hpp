#pragma once
// When a producer's records arrive: the times of one arrival process, one after another.
//   poisson   exponential gaps at rate_per_s           constant  start_s + n / rate_per_s
//   on_off    poisson or constant at rate_per_s during bursts of on_s, silent for off_s after
//             each: the process runs on "on-time", mapped onto the calendar
//   schedule  rate(t) = rate_per_s × factor(t), factor stepping or ramping between points;
//             poisson by thinning (Lewis & Shedler 1979), constant with gaps 1 / rate(t)
//   trace     the times of the trace file's rows
// Pure: no SimGrid; the caller supplies the random stream.
#include <cstdint>

#include "models/base/rng.hpp"
#include "models/producer_config.hpp"

namespace shardsim {

class ArrivalProcess {
public:
  ArrivalProcess(const ArrivalSpec& spec, double rate_per_s, double start_s);
  // The next arrival time (non-decreasing), or +inf when the process has no more.
  double next(Rng& rng);
  // For schedules: the rate factor at time t.
  double factor(double t) const;

private:
  double next_in_on_time(Rng& rng);
  double next_scheduled(Rng& rng);

  const ArrivalSpec& spec_;
  double rate_;
  double start_;
  std::uint64_t count_ = 0;  // arrivals so far
  double last_ = 0;          // last arrival (calendar time)
  double on_time_ = 0;       // on_off: on-time of the last arrival
  double max_factor_ = 0;
};

}  // namespace shardsim
