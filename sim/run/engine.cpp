#include "sim/run/engine.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include <simgrid/s4u.hpp>

#include "models/base/run_control.hpp"

namespace shardsim {
namespace {
bool engine_created = false;
}

int try_simgrid_args(const std::vector<std::string>& simgrid_args) {
  std::vector<std::string> args{"shardsim"};
  args.insert(args.end(), simgrid_args.begin(), simgrid_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  simgrid::s4u::Engine engine(&argc, argv.data());
  auto* zone = simgrid::s4u::create_full_zone("check");
  zone->create_host("check", 1e9);
  zone->seal();
  simgrid::s4u::Actor::create("check", simgrid::s4u::Host::by_name("check"), [] {});
  engine.run();
  return 0;
}

std::string simgrid_complaint(const std::string& text) {
  // SimGrid's complaint, without its backtrace and without the list of every option it knows.
  std::istringstream lines(text);
  std::string kept;
  int count = 0;
  for (std::string line; std::getline(lines, line) && count < 2;) {
    if (line.empty() || line.find("Backtrace") != std::string::npos || line[0] == ' ' || line[0] == '#' ||
        line.find("/INFO]") != std::string::npos)
      continue;
    if (line.rfind("[0.000000] ", 0) == 0) line.erase(0, 11);
    if (line.rfind("shardsim: internal error: ", 0) == 0) line.erase(0, 26);
    kept += (kept.empty() ? "" : "; ") + line;
    ++count;
  }
  return kept.empty() ? "SimGrid refused them" : kept;
}

SimEngine::SimEngine(const std::vector<std::string>& simgrid_args, std::size_t expected_actors)
    : deadlocked_(std::make_shared<std::vector<std::string>>()) {
  if (engine_created) throw std::logic_error("SimGrid allows one engine per process; this process already made one");
  engine_created = true;
  // Our defaults first, so that the user's --cfg/--log, which come later, win.
  std::vector<std::string> args{"shardsim", "--log=root.thresh:critical", "--log=xbt_cfg.thresh:critical"};
  if (expected_actors > 1000) {
    // Thousands of actors: small stacks; past ~32k, guard pages exhaust the kernel's map count.
    args.emplace_back("--cfg=contexts/stack-size:256");
    if (expected_actors > 30000) args.emplace_back("--cfg=contexts/guard-size:0");
  }
  // SHARDSIM_SIMGRID_ARGS: SimGrid options for every engine of the process, e.g.
  // --cfg=contexts/factory:thread, which AddressSanitizer needs (tests take no command line).
  if (const char* env = std::getenv("SHARDSIM_SIMGRID_ARGS")) {
    std::istringstream words(env);
    for (std::string word; words >> word;) args.push_back(word);
  }
  args.insert(args.end(), simgrid_args.begin(), simgrid_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  // Deliberately never destroyed: an Engine destroyed while SimGrid still holds actors (after a
  // deadlock, say) corrupts the process, and the process ends right after the run anyway.
  engine_ = new simgrid::s4u::Engine(&argc, argv.data());
  auto* zone = simgrid::s4u::create_full_zone("region");
  host_ = zone->create_host("lambda-service", 1e9);
  zone->seal();
  start_s_ = simgrid::s4u::Engine::get_clock();
  auto deadlocked = deadlocked_;
  simgrid::s4u::Engine::on_deadlock_cb([deadlocked]() {
    for (const auto& actor : simgrid::s4u::Engine::get_instance()->get_all_actors())
      deadlocked->push_back(actor->get_name());
  });
}

SimEngine::~SimEngine() = default;

EngineOutcome SimEngine::run() {
  // SIGINT and SIGTERM end the run early with its result so far (SimGrid's own SIGINT handler,
  // installed with the engine, would exit at once).
  handle_interrupts();
  engine_->run();
  EngineOutcome outcome;
  outcome.simulated_s = simgrid::s4u::Engine::get_clock() - start_s_;
  outcome.deadlocked = *deadlocked_;
  return outcome;
}

}  // namespace shardsim
