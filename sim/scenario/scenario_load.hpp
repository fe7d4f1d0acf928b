#pragma once
// From a scenario file and command-line overrides to a checked, fully resolved Scenario.
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/diagnostics.hpp"
#include "sim/scenario/scenario.hpp"

namespace shardsim {

struct LoadedScenario {
  std::optional<Scenario> scenario;  // empty when there were errors
  Diagnostics diagnostics;           // errors, and warnings (what_if) even on success
};

LoadedScenario load_scenario(const std::string& file, const std::vector<std::string>& overrides = {});
// The same, from text already in memory (tests); `file` only names it in messages.
LoadedScenario load_scenario_text(const std::string& file, const std::string& text,
                                  const std::vector<std::string>& overrides = {});

}  // namespace shardsim
