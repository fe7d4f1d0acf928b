#pragma once
// A sweep's grid: the same scenario at many points (shard counts, parallelization factors,
// anything a --set can reach), each run `replications` times, and the objectives a point must
// meet. Pure data and arithmetic; sim/studies/sweep reads a scenario's `sweep` block into it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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
  // Met by every value in [mean − half_width, mean + half_width].
  bool met_by_interval(double mean, double half_width) const {
    return (!min || mean - half_width >= *min) && (!max || mean + half_width <= *max);
  }
  std::string describe() const;
};

struct SweepGrid {
  std::vector<SweepParameter> parameters;
  std::vector<SweepPoint> points;
  std::vector<Objective> objectives;
  std::int64_t replications = 1;
};

// A value of the result JSON by dotted path ("latency_s.p99", "concurrency.peak"); booleans
// count as 0/1. Empty when the path does not lead to a number.
std::optional<double> result_value(const nlohmann::json& result, const std::string& dotted_path);

// Two-sided 95% Student t critical value for `df` degrees of freedom (df ≥ 1).
double student_t_975(std::size_t df);

}  // namespace shardsim
