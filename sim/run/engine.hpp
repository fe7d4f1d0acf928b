#pragma once
// The SimGrid side of a run: one Engine per process (SimGrid 3.32 cannot host a second one, and
// its clock never resets), one host built in code (no XML platform), SimGrid's own log noise
// off unless --log= asks for it, and a deadlock turned into an error the caller can see.
#include <memory>
#include <string>
#include <vector>

namespace simgrid::s4u {
class Engine;
class Host;
}  // namespace simgrid::s4u

namespace shardsim {


struct EngineOutcome {
  double simulated_s = 0;                  // from the engine's start to the last event
  std::vector<std::string> deadlocked;     // actors SimGrid found blocked forever (empty if none)
};

// Whether SimGrid takes these --cfg/--log options: a bad one makes SimGrid abort or exit the
// process, so they are tried in a child process (sim/cli/main.cpp starts this program for it).
// The child's body: an engine with the options, one actor, run; returns 0 when SimGrid took them.
int try_simgrid_args(const std::vector<std::string>& simgrid_args);
// From what the child printed when it failed: SimGrid's first lines of complaint.
std::string simgrid_complaint(const std::string& output);

class SimEngine {
public:
  // simgrid_args: --cfg=… and --log=… from the command line, passed through. Throws
  // std::logic_error on a second engine in one process.
  SimEngine(const std::vector<std::string>& simgrid_args, std::size_t expected_actors);
  ~SimEngine();
  SimEngine(const SimEngine&) = delete;
  SimEngine& operator=(const SimEngine&) = delete;

  simgrid::s4u::Host* host() const { return host_; }
  EngineOutcome run();

private:
  simgrid::s4u::Engine* engine_ = nullptr;  // lives until the process exits (see engine.cpp)
  simgrid::s4u::Host* host_ = nullptr;
  double start_s_ = 0;
  std::shared_ptr<std::vector<std::string>> deadlocked_;
};


}  // namespace shardsim
