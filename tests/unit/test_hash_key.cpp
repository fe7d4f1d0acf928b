#include <catch2/catch.hpp>

#include "models/core/hash_key.hpp"
#include "models/core/keys.hpp"

using namespace shardsim;

// Expected values from an independent MD5 (Python's hashlib), read as big-endian integers.
TEST_CASE("MD5 hash keys match known digests") {
  CHECK(to_decimal(md5_hash_key("")) == "281949768489412648962353822266799178366");  // d41d8cd9…427e
  CHECK(to_decimal(md5_hash_key("a")) == "16955237001963240173058271559858726497");  // 0cc175b9…2661
  CHECK(to_decimal(md5_hash_key("customer-42")) == "273230869323448032740578469245923174832");
}

TEST_CASE("decimal hash keys round-trip and reject what is not one") {
  CHECK(parse_decimal_hash_key("340282366920938463463374607431768211455") == kMaxHashKey);
  CHECK_FALSE(parse_decimal_hash_key("340282366920938463463374607431768211456").has_value());
  CHECK_FALSE(parse_decimal_hash_key("12a").has_value());
  CHECK_FALSE(parse_decimal_hash_key("").has_value());
  CHECK(to_decimal(*parse_decimal_hash_key("0")) == "0");
}

TEST_CASE("even layout splits the hash key space as CreateStream does") {
  const auto two = even_hash_key_layout(2);
  CHECK(to_decimal(two[0].ending_hash_key) == "170141183460469231731687303715884105727");  // 2^127 - 1
  CHECK(to_decimal(two[1].starting_hash_key) == "170141183460469231731687303715884105728");
  CHECK(two[1].ending_hash_key == kMaxHashKey);
  // Three shards: floor(2^128 / 3) = 113427455640312821154458202477256070485.
  const auto three = even_hash_key_layout(3);
  CHECK(to_decimal(three[1].starting_hash_key) == "113427455640312821154458202477256070485");
  CHECK(to_decimal(three[2].starting_hash_key) == "226854911280625642308916404954512140970");
  for (std::size_t n : {1, 3, 7, 64, 1000}) {
    const auto layout = even_hash_key_layout(n);
    CHECK(layout.front().starting_hash_key == 0);
    CHECK(layout.back().ending_hash_key == kMaxHashKey);
    for (std::size_t i = 1; i < n; ++i) CHECK(layout[i].starting_hash_key == layout[i - 1].ending_hash_key + 1);
  }
}

TEST_CASE("shard ids use AWS's format") {
  CHECK(shard_id(0) == "shardId-000000000000");
  CHECK(shard_id(123) == "shardId-000000000123");
}

TEST_CASE("interned keys are hashed once and keep their ids") {
  KeyTable table;
  const KeyId a = table.intern("a");
  const KeyId b = table.intern("b");
  CHECK(table.intern("a") == a);
  CHECK(a != b);
  CHECK(table.size() == 2);
  CHECK(table.hash_key(a) == md5_hash_key("a"));
  CHECK(table.name(b) == "b");
}
