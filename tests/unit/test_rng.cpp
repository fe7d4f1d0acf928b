#include <catch2/catch.hpp>

#include "models/base/rng.hpp"
#include "models/core/distribution.hpp"

using namespace shardsim;

TEST_CASE("random streams are reproducible and independent per entity") {
  Rng a(1, 0, "producer/p"), b(1, 0, "producer/p"), c(1, 0, "producer/q"), d(1, 1, "producer/p"), e(2, 0, "producer/p");
  const auto first = a.next_u64();
  CHECK(first == b.next_u64());
  CHECK(first != c.next_u64());
  CHECK(first != d.next_u64());
  CHECK(first != e.next_u64());
}

TEST_CASE("the generator's first outputs are pinned, so results cannot drift silently") {
  // xoshiro256** seeded through splitmix64; a change here changes every result of every scenario.
  Rng r(12345);
  const std::uint64_t first = r.next_u64();
  Rng again(12345);
  CHECK(again.next_u64() == first);
  CHECK(Rng(0).next_u64() == 0x99ec5f36cb75f2b4ULL);  // xoshiro256** with splitmix64(0) state
}

TEST_CASE("sample moments match the distributions") {
  Rng rng(7, 0, "moments");
  const int n = 200000;
  double sum_u = 0, sum_e = 0, sum_n = 0, sum_n2 = 0;
  std::uint64_t below_counts[5] = {};
  for (int i = 0; i < n; ++i) {
    sum_u += rng.uniform01();
    sum_e += rng.exponential(0.2);
    const double z = rng.standard_normal();
    sum_n += z;
    sum_n2 += z * z;
    ++below_counts[rng.below(5)];
  }
  // Standard errors: uniform 0.289/√n ≈ 0.00065, exponential 0.2/√n ≈ 0.00045; 5σ bounds.
  CHECK(sum_u / n == Approx(0.5).margin(0.0033));
  CHECK(sum_e / n == Approx(0.2).margin(0.0023));
  CHECK(sum_n / n == Approx(0.0).margin(0.012));
  CHECK(sum_n2 / n == Approx(1.0).margin(0.016));
  for (auto count : below_counts) CHECK(count == Approx(n / 5.0).margin(5 * std::sqrt(n * 0.16)));
}

TEST_CASE("distributions sample within their support") {
  Rng rng(3, 0, "support");
  Distribution u;
  u.type = Distribution::Type::uniform;
  u.min = 0.001;
  u.max = 0.005;
  Distribution n;
  n.type = Distribution::Type::normal;
  n.mean = 0.01;
  n.stddev = 0.02;
  Distribution e;
  e.type = Distribution::Type::empirical;
  e.values = {1, 2, 3};
  for (int i = 0; i < 10000; ++i) {
    const double x = u.sample(rng);
    CHECK((x >= 0.001 && x < 0.005));
    CHECK(n.sample(rng) >= 0);  // truncated at 0
    const double v = e.sample(rng);
    CHECK((v == 1 || v == 2 || v == 3));
  }
  CHECK(Distribution::constant_of(0.25).sample(rng) == 0.25);
}
