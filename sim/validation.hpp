#pragma once
// The model checked against queueing theory and a published result: each case is a scenario
// under scenarios/validation/ plus the closed-form (or published) answer and a tolerance
// justified by the sample size. `shardsim validate-model` runs the cases (one process each)
// and prints a table.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shardsim {

struct ValidationCheck {
  std::string what;                                      // "mean latency (W)"
  std::function<double(const nlohmann::json&)> measure;  // from the run's result JSON
  double expected;
  double tolerance;  // relative
};

struct ValidationCase {
  std::string name;
  std::string scenario;                // under scenarios/validation/
  std::vector<std::string> overrides;  // --set
  std::vector<ValidationCheck> checks;
};

std::vector<ValidationCase> validation_cases();

struct ValidationRow {
  std::string case_name, what;
  double expected = 0, simulated = 0, error = 0, tolerance = 0;
  bool pass = false;
};

// Runs every case with `jobs` processes of `self` (this binary); scenario paths relative to
// `root` (the source tree). Rows in case order.
std::vector<ValidationRow> run_validation(const std::string& self, const std::string& root, std::size_t jobs);
std::string validation_table(const std::vector<ValidationRow>& rows);

}  // namespace shardsim
