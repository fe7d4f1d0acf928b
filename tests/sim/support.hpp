#pragma once
// Helpers of the whole-simulation tests: a scenario from JSON text, and a checked run of it.
#include <catch2/catch.hpp>

#include <string>

#include "sim/scenario_load.hpp"
#include "sim/simulate.hpp"

namespace shardsim::testing {

constexpr double kEps = 1e-9;

inline Scenario scenario_from(const std::string& text) {
  auto loaded = load_scenario_text("test.json", text);
  INFO(loaded.diagnostics.format());
  REQUIRE(loaded.scenario);
  return *loaded.scenario;
}

// Runs the scenario; it must finish and its books must balance.
inline RunResult run_checked(const std::string& text) {
  const auto outcome = simulate(scenario_from(text));
  REQUIRE(outcome.finished());
  REQUIRE(outcome.result.conservation_errors.empty());
  return outcome.result;
}

}  // namespace shardsim::testing
