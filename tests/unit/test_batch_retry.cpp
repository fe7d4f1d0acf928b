#include <catch2/catch.hpp>

#include "models/batch_retry.hpp"

using namespace shardsim;

namespace {

std::vector<Record> records(std::size_t n, double arrival = 0) {
  std::vector<Record> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i].sequence = i + 1;
    out[i].arrival_s = arrival;
  }
  return out;
}

HandlerOutcome ok() { return {}; }
HandlerOutcome error() {
  HandlerOutcome o;
  o.function_error = true;
  return o;
}
HandlerOutcome item_failures(std::vector<std::size_t> failed) {
  HandlerOutcome o;
  o.failed = std::move(failed);
  return o;
}
std::vector<std::uint64_t> sequences(const std::vector<Record>& batch) {
  std::vector<std::uint64_t> out;
  for (const auto& r : batch) out.push_back(r.sequence);
  return out;
}

}  // namespace

TEST_CASE("a successful batch is done at once") {
  RetryRules rules;
  BatchRetry retry(rules, records(3));
  const Settlement s = retry.settle(ok(), 1.0);
  CHECK(s.succeeded.size() == 3);
  CHECK_FALSE(s.retry);
  CHECK(retry.done());
}

TEST_CASE("a failing batch is retried whole until MaximumRetryAttempts, then discarded") {
  RetryRules rules;
  rules.max_retry_attempts = 2;
  BatchRetry retry(rules, records(4));
  // First try and two retries fail; the third failure exceeds 2 retries.
  for (int attempt = 1; attempt <= 2; ++attempt) {
    const Settlement s = retry.settle(error(), attempt);
    CHECK(s.backoff);
    CHECK(s.retry);
    CHECK(retry.next().size() == 4);
  }
  const Settlement s = retry.settle(error(), 3);
  CHECK(s.discarded.size() == 4);
  CHECK_FALSE(s.retry);
  CHECK(retry.done());
}

TEST_CASE("with unlimited retries a failing batch keeps blocking") {
  RetryRules rules;
  BatchRetry retry(rules, records(2));
  for (int attempt = 1; attempt <= 100; ++attempt) CHECK(retry.settle(error(), attempt).retry);
  CHECK(retry.unfinished() == 2);
}

TEST_CASE("bisection splits down to the failing record without using retries") {
  RetryRules rules;
  rules.bisect_on_error = true;
  rules.max_retry_attempts = 0;
  BatchRetry retry(rules, records(4));  // record 3 is poison
  Settlement s = retry.settle(error(), 1);  // [1 2 3 4] → [1 2] [3 4]
  CHECK(s.bisected);
  CHECK_FALSE(s.backoff);
  CHECK(sequences(retry.next()) == std::vector<std::uint64_t>{1, 2});
  s = retry.settle(ok(), 2);
  CHECK(sequences(s.succeeded) == std::vector<std::uint64_t>{1, 2});
  s = retry.settle(error(), 3);  // [3 4] → [3] [4]
  CHECK(s.bisected);
  CHECK(sequences(retry.next()) == std::vector<std::uint64_t>{3});
  s = retry.settle(error(), 4);  // [3] cannot split: a failure, and 0 retries are allowed
  CHECK(sequences(s.discarded) == std::vector<std::uint64_t>{3});
  CHECK_FALSE(s.backoff);
  CHECK(sequences(retry.next()) == std::vector<std::uint64_t>{4});
  s = retry.settle(ok(), 5);
  CHECK(sequences(s.succeeded) == std::vector<std::uint64_t>{4});
  CHECK(retry.done());
}

TEST_CASE("partial batch failures checkpoint at the lowest failed record and rerun the rest") {
  RetryRules rules;
  rules.report_batch_item_failures = true;
  BatchRetry retry(rules, records(5));
  // Records 3 and 5 fail (indices 2, 4): 1 and 2 are done; 4 succeeded but runs again.
  Settlement s = retry.settle(item_failures({2, 4}), 1);
  CHECK(sequences(s.succeeded) == std::vector<std::uint64_t>{1, 2, 4});
  CHECK(s.backoff);
  CHECK(sequences(retry.next()) == std::vector<std::uint64_t>{3, 4, 5});
  CHECK(retry.unfinished() == 2);  // 3 and 5; 4 has succeeded once
  s = retry.settle(ok(), 2);
  CHECK(sequences(s.succeeded) == std::vector<std::uint64_t>{3, 5});
  CHECK(sequences(s.duplicates) == std::vector<std::uint64_t>{4});  // a second time
  CHECK(retry.done());
}

TEST_CASE("MaximumRecordAgeInSeconds discards a failed batch whose oldest record is too old") {
  RetryRules rules;
  rules.max_record_age_s = 60;
  BatchRetry retry(rules, records(2, /*arrival=*/10));
  CHECK(retry.settle(error(), 70).retry);   // age 60: not older than 60
  const Settlement s = retry.settle(error(), 70.5);  // age 60.5
  CHECK(s.discarded.size() == 2);
  CHECK(retry.done());
}

TEST_CASE("records that expire in the stream while retried are lost, not retried") {
  RetryRules rules;
  rules.retention_s = 100;
  BatchRetry retry(rules, records(3, /*arrival=*/0));
  const Settlement s = retry.settle(error(), 100.5);
  CHECK(s.expired.size() == 3);
  CHECK(retry.done());
}
