#pragma once
// How a run ends, shared by its actors: the hard stop (duration_s + drain_limit_s), a reason
// when a safety limit stopped it early, the first broken invariant (a bug: the run stops and
// the command exits 1 with it), or an interrupt.
#include <csignal>
#include <cstdint>
#include <functional>
#include <string>

namespace shardsim {

// A wake-up is never scheduled closer than this: SimGrid does not advance its clock for sleeps
// below its timing precision (1e-9 s), and an actor must not spin at one instant.
constexpr double kMinStepS = 1e-6;

// Set from a signal handler (SIGINT, SIGTERM) to end the run early with what it has so far.
inline volatile std::sig_atomic_t& interrupt_requested() {
  static volatile std::sig_atomic_t flag = 0;
  return flag;
}

// Handles SIGINT and SIGTERM from now on by setting interrupt_requested(); a second signal
// ends the process at once.
void handle_interrupts();

struct RunControl {
  double hard_stop_s = 0;       // no new poll or invocation starts after this, and none ends after it
  std::string abort_reason;     // set when a safety limit ended the run: exit code 3
  std::string broken_invariant; // set when the model found itself inconsistent: exit code 1
  std::uint64_t wakeups = 0;    // times an actor resumed after waiting (the cost that scales)
  // Called by the producers about once per simulated second (for a progress line; it must not
  // touch the model).
  std::function<void(double now)> on_progress;

  bool aborted() const { return !abort_reason.empty() || !broken_invariant.empty() || interrupt_requested(); }
  bool interrupted() const { return interrupt_requested() != 0; }
  // Records the first broken invariant; the run stops.
  void invariant_broken(const std::string& what) {
    if (broken_invariant.empty()) broken_invariant = what;
  }
  bool must_stop(double now) const { return aborted() || now >= hard_stop_s; }
};

}  // namespace shardsim
