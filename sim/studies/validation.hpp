#pragma once
// The model checked against outside truths (queueing theory, closed forms derived for the
// polling path, an independent Monte Carlo of key-ordered draining, AWS's limits) and, apart
// from those, against identities within one run (consistency checks). Each case is a scenario
// under scenarios/validation/; a stochastic case runs several replications (seeds derived from
// the scenario's) and passes when its mean is within 3 standard errors of the expected value
// (a z-score); a deterministic one passes within its stated tolerance. `shardsim
// validate-model` runs the cases (one process per run) and prints a table.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shardsim {

struct ValidationCheck {
  enum class Kind { validation, consistency };
  std::string what;                                      // "mean latency (W)"
  std::function<double(const nlohmann::json&)> measure;  // from the run's result JSON
  double expected;  // NaN: computed from the same run by `expect` (a consistency check)
  double tolerance;  // relative; for a case with replications, the z-score bound applies instead
  Kind kind = Kind::validation;
  double resolution = 0;  // relative uncertainty of the measure itself (a histogram percentile)
  double expected_se = 0;  // standard error of `expected` (a Monte Carlo estimate)
  std::function<double(const nlohmann::json&)> expect;  // consistency: the value the run implies
};

struct ValidationCase {
  std::string name;
  std::string scenario;                // under scenarios/validation/
  std::vector<std::string> overrides;  // --set
  std::vector<ValidationCheck> checks;
  int replications = 1;                // > 1: checks pass on a z-score over the replications
};

std::vector<ValidationCase> validation_cases();

struct ValidationRow {
  std::string case_name, what;
  ValidationCheck::Kind kind = ValidationCheck::Kind::validation;
  int replications = 1;
  double expected = 0, simulated = 0, error = 0, tolerance = 0;
  std::optional<double> z;  // (mean − expected) / standard error, with replications
  bool pass = false;
};

// Runs every case with `jobs` processes of `self` (this binary); scenario paths relative to
// `root` (the source tree). Rows in case order.
std::vector<ValidationRow> run_validation(const std::string& self, const std::string& root, std::size_t jobs);
std::string validation_table(const std::vector<ValidationRow>& rows);

}  // namespace shardsim
