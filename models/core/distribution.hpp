#pragma once
// A random duration or size as a scenario describes it, e.g. {"type":"exponential","mean":0.2}.
// Sampling uses our own transforms over Rng, never std::*_distribution (see models/base/rng.hpp).
#include <string>
#include <vector>

#include "models/base/rng.hpp"

namespace shardsim {

struct Distribution {
  enum class Type { constant, exponential, uniform, lognormal, normal, empirical };
  Type type = Type::constant;
  double value = 0;            // constant
  double mean = 0;             // exponential, normal
  double min = 0, max = 0;     // uniform
  double median = 0, sigma = 0;  // lognormal: exp(N(ln median, sigma))
  double stddev = 0;           // normal, truncated at 0 (resampled while negative)
  std::vector<double> values;  // empirical: each value equally likely

  static Distribution constant_of(double v) {
    Distribution d;
    d.value = v;
    return d;
  }
  static Distribution lognormal_of(double median, double sigma) {
    Distribution d;
    d.type = Type::lognormal;
    d.median = median;
    d.sigma = sigma;
    return d;
  }
  double sample(Rng& rng) const;
  // The distribution's mean (for normal: the mean before truncation).
  double expected() const;
  // True when every sample equals expected(): lets hot paths skip the generator.
  bool is_constant() const { return type == Type::constant; }
};

const char* to_string(Distribution::Type type);
const std::vector<std::string>& distribution_type_names();

}  // namespace shardsim
