// A Lambda mapping's filter criteria: filters ORed, each filter's parts ANDed, and attributes
// that a given share of the records carry.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/core/record_filter.hpp"

using namespace shardsim;

namespace {
Record record(KeyId key, KeyId entity, std::uint64_t sequence) {
  Record r;
  r.key = key;
  r.order_key = entity;
  r.sequence = sequence;
  r.arrival_s = 0.001 * static_cast<double>(sequence);
  return r;
}
}  // namespace

TEST_CASE("filters are ORed and a filter's parts ANDed") {
  // Filter 0: partition key 1 or 2, entity 7. Filter 1: partition key 5.
  RecordFilter f({{{1, 2}, {7}, -1}, {{5}, {}, -1}}, {});
  CHECK(f.keeps(record(1, 7, 1)));
  CHECK(f.keeps(record(2, 7, 1)));
  CHECK_FALSE(f.keeps(record(1, 8, 1)));  // the right key, another entity
  CHECK_FALSE(f.keeps(record(3, 7, 1)));  // the right entity, another key
  CHECK(f.keeps(record(5, 9, 1)));        // the second filter
}

TEST_CASE("an attribute is carried by its share of the records, the same way each time it is asked") {
  // 100,000 records, share 0.2: a binomial count with mean 20,000 and standard deviation
  // √(100,000 × 0.2 × 0.8) ≈ 126.5; within 5 of them (±632) unless the draw is biased.
  RecordFilter f({{{}, {}, 0}}, {0.2});
  int kept = 0;
  for (std::uint64_t i = 1; i <= 100'000; ++i) kept += f.keeps(record(static_cast<KeyId>(i % 97), 0, i));
  CHECK(std::abs(kept - 20'000) < 632);
  const Record r = record(3, 0, 42);
  CHECK(RecordFilter::carries(r, 0, 0.2) == RecordFilter::carries(r, 0, 0.2));
  CHECK_FALSE(RecordFilter::carries(r, 0, 0));
  CHECK(RecordFilter::carries(r, 0, 1));
  // Two attributes of the same share are drawn apart: about a share of a share carry both.
  int both = 0;
  for (std::uint64_t i = 1; i <= 100'000; ++i)
    both += RecordFilter::carries(record(1, 0, i), 0, 0.5) && RecordFilter::carries(record(1, 0, i), 1, 0.5);
  CHECK(std::abs(both - 25'000) < 5 * 137);  // σ = √(100,000 × 0.25 × 0.75) ≈ 137
}
