#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "models/base/histogram.hpp"
#include "models/base/rng.hpp"

using namespace shardsim;

namespace {
// Nearest-rank quantile of sorted values: the value of rank ceil(q·n), at least 1.
double exact_quantile(const std::vector<double>& sorted, double q) {
  const auto rank = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(q * sorted.size())));
  return sorted[rank - 1];
}
}  // namespace

TEST_CASE("histogram quantiles are within the stated relative error of the exact ones") {
  Rng rng(42, 0, "histogram-test");
  Histogram h;
  std::vector<double> values;
  for (int i = 0; i < 200000; ++i) {
    // A wide, skewed range: 10 µs … hours.
    const double v = std::exp(rng.uniform(std::log(1e-5), std::log(1e4)));
    values.push_back(v);
    h.add(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.01, 0.1, 0.5, 0.9, 0.99, 0.999}) {
    const double exact = exact_quantile(values, q);
    INFO("q = " << q);
    CHECK(std::fabs(h.quantile(q) - exact) <= Histogram::kRelativeAccuracy * exact * (1 + 1e-9));
  }
  CHECK(h.max() == values.back());
  CHECK(h.min() == values.front());
  CHECK(h.count() == values.size());
}

TEST_CASE("histogram mean is exact and zeros are counted") {
  Histogram h;
  for (double v : {0.0, 0.0, 1.0, 3.0}) h.add(v);
  CHECK(h.mean() == 1.0);
  CHECK(h.quantile(0.5) == 0.0);  // rank 2 of 4 is a zero
  CHECK(h.quantile(1.0) == 3.0);
}

TEST_CASE("a value added n times counts as n values") {
  // 0 × 3, 2.0 × 5, 7.5 × 2: ten values, mean (10 + 15) / 10 = 2.5; rank 4 is the first 2.0,
  // rank 9 the first 7.5.
  Histogram h;
  h.add(0.0, 3);
  h.add(2.0, 5);
  h.add(7.5, 2);
  h.add(9.0, 0);  // nothing
  CHECK(h.count() == 10);
  CHECK(h.mean() == 2.5);
  CHECK(h.quantile(0.3) == 0.0);
  CHECK(h.quantile(0.4) == Approx(2.0).epsilon(Histogram::kRelativeAccuracy));
  CHECK(h.quantile(0.9) == Approx(7.5).epsilon(Histogram::kRelativeAccuracy));
  CHECK(h.max() == 7.5);
}

TEST_CASE("merged histograms answer like one that saw every value") {
  Histogram a, b, all;
  for (int i = 1; i <= 1000; ++i) {
    (i % 3 ? a : b).add(i * 0.01);
    all.add(i * 0.01);
  }
  a.merge(b);
  for (double q : {0.1, 0.5, 0.99}) CHECK(a.quantile(q) == all.quantile(q));
  CHECK(a.count() == all.count());
  CHECK(a.mean() == Approx(all.mean()).epsilon(1e-12));
}

TEST_CASE("histogram buckets follow the log-linear rule over the whole range") {
  // A median of {tiny, v, huge} reports v's bucket: with v = 2^e · m, m in [1, 2), the bucket is
  // [2^e (1 + j/128), 2^e (1 + (j+1)/128)) with j = floor((m - 1) · 128), reported as
  // 2 lo hi / (lo + hi); from 1e-8 to 1e12.
  Rng rng(7, 0, "histogram-index");
  for (int n = 0; n < 20000; ++n) {
    const double v = std::pow(10.0, rng.uniform(-8, 12));
    Histogram h;
    h.add(1e-30);
    h.add(v);
    h.add(1e30);
    int e = 0;
    const double m = 2 * std::frexp(v, &e);  // v = m · 2^(e-1)
    const double j = std::floor((m - 1) * 128);
    const double lo = std::ldexp(1 + j / 128, e - 1), hi = std::ldexp(1 + (j + 1) / 128, e - 1);
    REQUIRE(lo <= v);
    REQUIRE(v < hi);
    REQUIRE(h.quantile(0.5) == Approx(2 * lo * hi / (lo + hi)).epsilon(1e-12));
  }
}

TEST_CASE("histogram buckets meet at powers of two") {
  // Bucket 127 of [1, 2) ends at 2, where the first bucket of [2, 4) begins.
  Histogram below, at;
  for (Histogram* h : {&below, &at}) h->add(1e-30), h->add(1e30);
  below.add(std::nextafter(2.0, 0.0));
  at.add(2.0);
  CHECK(below.quantile(0.5) == Approx(2 * (2 - 1.0 / 128) * 2 / (4 - 1.0 / 128)).epsilon(1e-15));
  CHECK(at.quantile(0.5) == Approx(2 * 2 * (2 + 2.0 / 128) / (4 + 2.0 / 128)).epsilon(1e-15));
}

TEST_CASE("An empty histogram reports zeros, and its first value is both its min and its max", "[histogram]") {
  Histogram empty;
  CHECK(empty.min() == 0);
  CHECK(empty.max() == 0);
  CHECK(empty.quantile(0.99) == 0);
  Histogram h;
  h.add(2.5, 0);  // no values: still empty
  CHECK(h.count() == 0);
  CHECK(h.max() == 0);
  h.add(2.5);
  CHECK(h.min() == 2.5);
  CHECK(h.max() == 2.5);
  h.merge(empty);  // an empty one changes nothing
  CHECK(h.min() == 2.5);
  CHECK(h.max() == 2.5);
  empty.merge(h);  // into an empty one: a copy
  CHECK(empty.min() == 2.5);
  CHECK(empty.max() == 2.5);
  CHECK(empty.count() == 1);
  h.add(0.0);  // a zero (below 1 ns) lowers the min
  CHECK(h.min() == 0.0);
  CHECK(h.max() == 2.5);
}
