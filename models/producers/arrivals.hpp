#pragma once
// When a producer's records arrive: the times of one arrival process, one after another.
//   poisson   exponential gaps at rate_per_s           constant  start_s + n / rate_per_s
//   on_off    poisson or constant at rate_per_s during bursts of on_s, silent for off_s after
//             each: the process runs on "on-time", mapped onto the calendar
//   schedule  rate(t) = rate_per_s × factor(t), factor stepping or ramping between points;
//             poisson by thinning (Lewis & Shedler 1979); constant: within each stretch between
//             points, the j-th record comes when the rate's integral from the stretch's start
//             reaches j (its first at the start when the rate is positive there): computed from
//             the stretch's start, not by adding gaps, so a second at a steady rate r holds r
//             records, not r + 1 from rounding
//   trace     the times of the trace file's rows
// Pure: no SimGrid; the caller supplies the random stream.
#include <cstdint>

#include "models/base/rng.hpp"
#include "models/producers/producer_config.hpp"

namespace shardsim {

class ArrivalProcess {
public:
  ArrivalProcess(const ArrivalSpec& spec, double rate_per_s, double start_s);
  // The next arrival time (non-decreasing), or +inf when the process has no more. Poisson, the
  // usual process, inline (it is drawn for every record); the others out of line.
  double next(Rng& rng) {
    if (spec_.type != ArrivalSpec::Type::poisson) return next_other(rng);
    ++count_;
    return last_ = last_ + rng.exponential(1.0 / rate_);
  }
  // For schedules: the rate factor at time t.
  double factor(double t) const;

private:
  double next_other(Rng& rng);
  double next_in_on_time(Rng& rng);
  double next_scheduled(Rng& rng);
  double next_scheduled_constant();
  // Moves to the stretch between points starting at `a`.
  void enter_stretch(double a);

  const ArrivalSpec& spec_;
  double rate_;
  double start_;
  std::uint64_t count_ = 0;  // arrivals so far
  double last_ = 0;          // last arrival (calendar time)
  double on_time_ = 0;       // on_off: on-time of the last arrival
  double max_factor_ = 0;
  // schedule, constant: the current stretch [stretch_a_, stretch_b_) and its records so far
  double stretch_a_ = 0, stretch_b_ = 0, stretch_j_ = 0;
};

}  // namespace shardsim
