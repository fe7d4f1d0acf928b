#pragma once
// When an event source mapping is turned off (UpdateEventSourceMapping with Enabled false) and on
// again. While it is off nothing is read and no invocation starts: invocations already running
// finish and settle, a batch waiting for a retry waits for the mapping to be on again. When it is
// on again the mapping resumes from its checkpoint: the records it had read but not yet
// delivered are delivered then, in order, as a re-read from the checkpoint would deliver them.
#include <limits>
#include <vector>

namespace shardsim {

struct DisabledPeriod {
  double from_s = 0;
  double to_s = -1;  // -1: off for the rest of the run
};

class MappingSchedule {
public:
  MappingSchedule() = default;
  // Periods in time order, not overlapping.
  explicit MappingSchedule(std::vector<DisabledPeriod> off) : off_(std::move(off)) {}
  bool enabled(double t) const { return enabled_again(t) == t; }
  // The first time ≥ t at which the mapping is on (+inf: never again).
  double enabled_again(double t) const {
    for (const DisabledPeriod& p : off_) {
      if (t < p.from_s) break;
      if (p.to_s < 0) return std::numeric_limits<double>::infinity();
      if (t < p.to_s) return p.to_s;
    }
    return t;
  }

  // The first time after t at which the mapping is turned off (+inf: never).
  double disabled_after(double t) const {
    for (const DisabledPeriod& p : off_)
      if (p.from_s > t) return p.from_s;
    return std::numeric_limits<double>::infinity();
  }

private:
  std::vector<DisabledPeriod> off_;
};

}  // namespace shardsim
