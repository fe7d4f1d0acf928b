#include <catch2/catch.hpp>

#include "models/core/failure_rules.hpp"

using namespace shardsim;

namespace {
Record record(KeyId key, std::uint64_t sequence) {
  Record r;
  r.key = key;
  r.sequence = sequence;
  r.arrival_s = static_cast<double>(sequence);
  return r;
}
}  // namespace

TEST_CASE("a poison key fails every record of the key on every delivery") {
  FailureRules rules({7}, {});
  const std::vector<Record> batch{record(7, 1), record(8, 2)};
  for (int delivery = 0; delivery < 3; ++delivery) {
    rules.delivered(batch);
    CHECK(rules.fails(batch[0]));
    CHECK_FALSE(rules.fails(batch[1]));
  }
}

TEST_CASE("a rule with attempts fails a record only on those deliveries") {
  FailureRule rule;
  rule.key = 7;
  rule.attempts = {2, 1};  // the first two deliveries, in any order
  FailureRules rules({}, {rule});
  const Record a = record(7, 1), b = record(7, 2), other = record(8, 3);
  rules.delivered({a, other});
  CHECK(rules.fails(a));        // a: delivery 1
  CHECK_FALSE(rules.fails(other));
  rules.delivered({a, b});
  CHECK(rules.fails(a));        // a: delivery 2
  CHECK(rules.fails(b));        // b: delivery 1, counted apart from a
  rules.delivered({a, b});
  CHECK_FALSE(rules.fails(a));  // a: delivery 3
  CHECK(rules.fails(b));        // b: delivery 2
}

TEST_CASE("a rule naming a sequence number fails that record only") {
  FailureRule one;
  one.sequence = 2;
  FailureRule keyed;
  keyed.key = 9;
  keyed.sequence = 3;
  FailureRules rules({}, {one, keyed});
  CHECK_FALSE(rules.fails(record(7, 1)));
  CHECK(rules.fails(record(7, 2)));
  CHECK_FALSE(rules.fails(record(7, 3)));  // sequence 3, but not key 9
  CHECK(rules.fails(record(9, 3)));
}
