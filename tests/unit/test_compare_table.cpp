// compare's statistics: intervals, and differences to a baseline paired by replication.
#include <catch2/catch.hpp>

#include "analysis/compare_table.hpp"
#include "models/base/histogram.hpp"

using namespace shardsim;

namespace {
// A result JSON of replication r with the given cost per hour and p99 latency.
nlohmann::json result(std::int64_t r, double cost, double p99) {
  return {{"scenario", {{"replication", r}}}, {"cost_usd", {{"per_hour", cost}}}, {"latency_s", {{"p99", p99}}}};
}

PointResults variant(std::vector<nlohmann::json> replications) {
  PointResults p;
  p.replications = std::move(replications);
  return p;
}
}  // namespace

TEST_CASE("compare: a difference to the baseline is paired by replication") {
  // The baseline costs 10, 12, 14 in replications 0, 1, 2; the other variant 1 more in each
  // (listed out of order). Unpaired, each has s = 2 over 3 runs (± 4.97); paired, the
  // differences are 1, 1, 1: mean 1, no spread.
  const CompareTable table({"base", "other"},
                           {variant({result(0, 10, 1), result(1, 12, 1), result(2, 14, 1)}),
                            variant({result(2, 15, 1), result(0, 11, 1), result(1, 13, 1)})});
  const auto unpaired = table.stat(1, "cost_usd.per_hour");
  REQUIRE(unpaired);
  CHECK(unpaired->mean == Approx(13));
  CHECK(*unpaired->ci95 == Approx(4.303 * 2 / std::sqrt(3.0)).epsilon(1e-3));  // t(0.975, 2) · s / √n
  const auto d = table.difference(1, "cost_usd.per_hour");
  REQUIRE(d);
  CHECK(d->mean == Approx(1));
  CHECK(d->ci95.value_or(-1) == Approx(0).margin(1e-12));
  CHECK_FALSE(table.difference(1, "no.such.figure"));
  // The baseline can be any variant: "other" as the baseline makes "base" 1 less.
  const CompareTable reversed({"base", "other"},
                              {variant({result(0, 10, 1), result(1, 12, 1)}), variant({result(0, 11, 1), result(1, 13, 1)})}, 1);
  CHECK(reversed.difference(0, "cost_usd.per_hour")->mean == Approx(-1));
}

TEST_CASE("compare: a percentile's interval is never narrower than the histogram's resolution") {
  // Both variants read p99 = 10 s in both replications: the spread is 0, but each value is known
  // only to ± kRelativeAccuracy: the interval is 10 × it, and a difference's (10 + 10) × it.
  const CompareTable table({"a", "b"}, {variant({result(0, 1, 10), result(1, 1, 10)}), variant({result(0, 1, 10), result(1, 1, 10)})});
  CHECK(*table.stat(0, "latency_s.p99")->ci95 == Approx(10 * Histogram::kRelativeAccuracy));
  const auto d = table.difference(1, "latency_s.p99");
  CHECK(d->mean == 0);
  CHECK(*d->ci95 == Approx(20 * Histogram::kRelativeAccuracy));
  CHECK(table.stat(0, "cost_usd.per_hour")->ci95.value_or(-1) == 0);  // not a percentile: no floor
}
