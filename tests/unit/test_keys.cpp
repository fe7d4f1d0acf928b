#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "models/keys.hpp"

using namespace shardsim;

namespace {
// Counts of each index over n draws.
std::vector<double> histogram_of(KeyGenerator& keys, Rng& rng, std::size_t count, int n) {
  std::vector<double> seen(count, 0);
  for (int i = 0; i < n; ++i) {
    const std::uint64_t drawn = keys.draw(rng);
    REQUIRE(drawn < count);
    ++seen[drawn];
  }
  return seen;
}
}  // namespace

TEST_CASE("zipf keys are drawn with probability proportional to 1 / rank^exponent") {
  KeySpec spec;
  spec.type = KeySpec::Type::zipf;
  spec.count = 10;
  spec.exponent = 1.1;
  KeyTable table;
  KeyGenerator keys(spec, table);
  Rng rng(3, 0, "zipf-test");
  const int n = 1'000'000;
  const auto seen = histogram_of(keys, rng, 10, n);
  double total = 0;
  for (int r = 1; r <= 10; ++r) total += std::pow(r, -1.1);
  for (int r = 1; r <= 10; ++r) {
    // Each count is binomial(n, p): within 5 standard deviations (a chance below 1e-6 per rank
    // for a right sampler; rank 1 has p = 0.34, so this bounds it to ±0.7 % of its count).
    const double p = std::pow(r, -1.1) / total;
    INFO("rank " << r);
    CHECK(std::fabs(seen[r - 1] - n * p) <= 5 * std::sqrt(n * p * (1 - p)));
  }
}

TEST_CASE("zipf with exponent 0 is uniform") {
  KeySpec spec;
  spec.type = KeySpec::Type::zipf;
  spec.count = 7;  // not a power of two: every alias column is used
  spec.exponent = 0;
  KeyTable table;
  KeyGenerator keys(spec, table);
  Rng rng(4, 0, "zipf-test");
  const int n = 700'000;
  const auto seen = histogram_of(keys, rng, 7, n);
  const double p = 1.0 / 7;
  for (double s : seen) CHECK(std::fabs(s - n * p) <= 5 * std::sqrt(n * p * (1 - p)));
}
