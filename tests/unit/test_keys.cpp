#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "models/core/keys.hpp"

using namespace shardsim;

namespace {
// How often each rank comes out of n draws of zipf keys.
std::vector<double> zipf_counts(std::int64_t count, double exponent, int n) {
  KeySpec spec;
  spec.type = KeySpec::Type::zipf;
  spec.count = count;
  spec.exponent = exponent;
  KeyTable table;
  KeyGenerator keys(spec, table);
  Rng rng(3, 0, "zipf-test");
  std::vector<double> seen(static_cast<std::size_t>(count), 0);
  for (int i = 0; i < n; ++i) {
    const std::uint64_t drawn = keys.draw(rng);
    REQUIRE(drawn < seen.size());
    ++seen[drawn];
  }
  return seen;
}
}  // namespace

TEST_CASE("zipf keys are drawn with probability proportional to 1 / rank^exponent") {
  const int n = 1'000'000;
  const auto seen = zipf_counts(10, 1.1, n);
  double total = 0;
  for (int r = 1; r <= 10; ++r) total += std::pow(r, -1.1);
  for (int r = 1; r <= 10; ++r) {
    // Each count is binomial(n, p): within 5 standard deviations (a chance below 1e-6 per rank
    // for a right sampler; rank 1 has p = 0.37, so this bounds it to ±0.65 % of its count).
    const double p = std::pow(r, -1.1) / total;
    INFO("rank " << r);
    CHECK(std::fabs(seen[r - 1] - n * p) <= 5 * std::sqrt(n * p * (1 - p)));
  }
}

TEST_CASE("zipf with exponent 0 is uniform") {
  const int n = 700'000;
  const auto seen = zipf_counts(7, 0, n);  // 7: not a power of two
  const double p = 1.0 / 7;
  for (double s : seen) CHECK(std::fabs(s - n * p) <= 5 * std::sqrt(n * p * (1 - p)));
}

TEST_CASE("hot keys take hot_fraction of the traffic, spread evenly over them, the rest uniform") {
  // 3 hot keys of 100 with 60 % of the traffic: each hot key p = 0.2, each other key
  // p = 0.4 / 97. Counts of 1,000,000 draws within 5 binomial standard deviations.
  KeySpec spec;
  spec.type = KeySpec::Type::hot;
  spec.count = 100;
  spec.hot_keys = 3;
  spec.hot_fraction = 0.6;
  KeyTable table;
  KeyGenerator keys(spec, table);
  Rng rng(5, 0, "hot-test");
  const int n = 1'000'000;
  std::vector<double> seen(100, 0);
  for (int i = 0; i < n; ++i) ++seen[keys.draw(rng)];
  for (std::size_t k = 0; k < 100; ++k) {
    const double p = k < 3 ? 0.2 : 0.4 / 97;
    INFO("key " << k);
    CHECK(std::fabs(seen[k] - n * p) <= 5 * std::sqrt(n * p * (1 - p)));
  }
}

TEST_CASE("the key table keeps every name and id across its index's growth") {
  // 20,000 names take the index from 64 slots through nine doublings; ids are dense in first-seen
  // order, whatever the slots, and interning again finds each one.
  KeyTable table;
  std::vector<KeyId> ids;
  for (int i = 0; i < 20000; ++i) ids.push_back(table.intern("key-" + std::to_string(i)));
  const KeyId empty = table.intern("");  // a prefix of every name, and of length 0
  const KeyId item = table.add_item(ids[7], table.sort_key("2024"));
  for (int i = 0; i < 20000; ++i) {
    REQUIRE(ids[static_cast<std::size_t>(i)] == static_cast<KeyId>(i));
    REQUIRE(table.intern("key-" + std::to_string(i)) == ids[static_cast<std::size_t>(i)]);
    REQUIRE(table.name(ids[static_cast<std::size_t>(i)]) == "key-" + std::to_string(i));
  }
  CHECK(empty == 20000);
  CHECK(table.intern("") == empty);
  CHECK(table.name(empty).empty());
  CHECK(table.name(item) == "key-7#2024");
  CHECK(table.name_length(item) == 10);
  CHECK(table.partition_key(item) == ids[7]);
  CHECK(table.hash_key(item) == md5_hash_key("key-7#2024"));
  CHECK(table.intern("key-7#2024") == 20002);  // an item's name is no partition key's
  CHECK(table.size() == 20003);
}
