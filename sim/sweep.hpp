#pragma once
// A sweep: the same scenario at many points (shard counts, parallelization factors, anything a
// --set can reach), each run `replications` times. This part is pure: it expands the `sweep`
// block into points and checks the objectives; sim/sweep_runner runs them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/diagnostics.hpp"

namespace shardsim {

struct SweepParameter {
  std::string path;                   // dotted, as --set takes it
  std::vector<nlohmann::json> values;
};

struct SweepPoint {
  std::size_t index = 0;
  std::vector<std::pair<std::string, nlohmann::json>> settings;  // path → value
  std::vector<std::string> overrides() const;                    // "path=value" for --set
  std::string label() const;                                     // "stream.shards=8 consumers.0.parallelization_factor=2"
  std::string file_stem() const;                                 // "p0003" + readable settings
};

struct Objective {
  std::string metric;  // a result path, e.g. latency_s.p99
  std::optional<double> min, max;
  bool met_by(double value) const { return (!min || value >= *min) && (!max || value <= *max); }
  std::string describe() const;
};

struct SweepPlan {
  std::vector<SweepParameter> parameters;
  std::vector<SweepPoint> points;
  std::vector<Objective> objectives;
  std::int64_t replications = 1;
};

// Expands the scenario's `sweep` block (product or zip; lists or ranges) and reads its
// objectives. Problems go to `diagnostics` with the file and the field's path.
// `order`: parameter paths in the order the file lists them (a JSON object does not keep it);
// parameters not listed follow in alphabetical order.
SweepPlan plan_sweep(const nlohmann::json& sweep, const nlohmann::json& objectives, std::int64_t replications,
                     const std::string& file, Diagnostics& diagnostics, const std::vector<std::string>& order = {});

// A value of the result JSON by dotted path ("latency_s.p99", "concurrency.peak"); booleans
// count as 0/1. Empty when the path does not lead to a number.
std::optional<double> result_value(const nlohmann::json& result, const std::string& dotted_path);

// Two-sided 95% Student t critical value for `df` degrees of freedom (df ≥ 1).
double student_t_975(std::size_t df);

}  // namespace shardsim
