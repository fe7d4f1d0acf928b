#pragma once
// Helpers of the whole-simulation tests: a scenario from JSON text, and a checked run of it.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "sim/run/simulate.hpp"
#include "sim/scenario/scenario_load.hpp"

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

// Column `name` of the per-second time series, by second.
inline std::vector<double> time_series_column(const std::string& csv, const std::string& name) {
  std::istringstream in(csv);
  std::string line, cell;
  std::getline(in, line);
  std::istringstream header(line);
  std::size_t index = 0;
  for (; std::getline(header, cell, ','); ++index)
    if (cell == name) break;
  std::vector<double> values;
  while (std::getline(in, line)) {
    std::istringstream row(line);
    for (std::size_t k = 0; k <= index; ++k) std::getline(row, cell, ',');
    values.push_back(std::stod(cell));
  }
  return values;
}

}  // namespace shardsim::testing
