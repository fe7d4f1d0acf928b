#pragma once
// How a run ends, shared by its actors: the hard stop (duration_s + drain_limit_s), and a
// reason when a safety limit stopped it early.
#include <cstdint>
#include <string>

namespace shardsim {

struct RunControl {
  double hard_stop_s = 0;       // no new poll or invocation starts after this
  std::string abort_reason;     // set when a safety limit ended the run: exit code 3
  std::uint64_t wakeups = 0;    // times an actor resumed after waiting (the cost that scales)

  bool aborted() const { return !abort_reason.empty(); }
  bool must_stop(double now) const { return aborted() || now >= hard_stop_s; }
};

}  // namespace shardsim
