#include "models/core/distribution.hpp"

#include <cmath>
#include <numeric>

namespace shardsim {

double Distribution::sample(Rng& rng) const {
  switch (type) {
    case Type::constant: return value;
    case Type::exponential: return rng.exponential(mean);
    case Type::uniform: return rng.uniform(min, max);
    case Type::lognormal: return median * std::exp(sigma * rng.standard_normal());
    case Type::normal:
      if (stddev <= 0) return std::max(0.0, mean);
      for (int attempt = 0; attempt < 64; ++attempt) {
        const double x = mean + stddev * rng.standard_normal();
        if (x >= 0) return x;
      }
      return 0.0;  // a mean far below zero: the truncated distribution is almost all at 0
    case Type::empirical: return values[rng.below(values.size())];
  }
  return 0.0;
}

double Distribution::expected() const {
  switch (type) {
    case Type::constant: return value;
    case Type::exponential: return mean;
    case Type::uniform: return (min + max) / 2;
    case Type::lognormal: return median * std::exp(sigma * sigma / 2);
    case Type::normal: return mean;
    case Type::empirical:
      return values.empty() ? 0.0 : std::accumulate(values.begin(), values.end(), 0.0) / values.size();
  }
  return 0.0;
}

const char* to_string(Distribution::Type type) {
  switch (type) {
    case Distribution::Type::constant: return "constant";
    case Distribution::Type::exponential: return "exponential";
    case Distribution::Type::uniform: return "uniform";
    case Distribution::Type::lognormal: return "lognormal";
    case Distribution::Type::normal: return "normal";
    case Distribution::Type::empirical: return "empirical";
  }
  return "?";
}

const std::vector<std::string>& distribution_type_names() {
  static const std::vector<std::string> names{"constant", "exponential", "uniform",
                                              "lognormal", "normal", "empirical"};
  return names;
}

}  // namespace shardsim
