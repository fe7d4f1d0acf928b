#include <catch2/catch.hpp>

#include "models/core/batch_retry.hpp"

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
  // Records 3 and 5 fail (indices 2, 4): 1 and 2 are done; 4 succeeded but runs again. The
  // checkpoint advanced, so 3, 4, 5 are a new batch, invoked without a backoff.
  Settlement s = retry.settle(item_failures({2, 4}), 1);
  CHECK(sequences(s.succeeded) == std::vector<std::uint64_t>{1, 2, 4});
  CHECK_FALSE(s.backoff);
  CHECK(s.retry);
  CHECK(sequences(retry.next()) == std::vector<std::uint64_t>{3, 4, 5});
  CHECK(retry.unfinished() == 2);  // 3 and 5; 4 has succeeded once
  s = retry.settle(ok(), 2);
  CHECK(sequences(s.succeeded) == std::vector<std::uint64_t>{3, 5});
  CHECK(sequences(s.duplicates) == std::vector<std::uint64_t>{4});  // a second time
  CHECK(retry.done());
}

TEST_CASE("a partial success starts a new batch whose attempts count from zero") {
  // AWS as recorded: batch size 3, MaximumRetryAttempts 3, the batch's last record always
  // reported failed. 1 and 2 are done and 3 alone is a new batch: it fails 1 + 3 retries = 4
  // more times, so it is delivered 5 times in all. Counting the partial invocation as the first
  // attempt would discard it after its 4th delivery.
  RetryRules rules;
  rules.report_batch_item_failures = true;
  rules.max_retry_attempts = 3;
  BatchRetry retry(rules, records(3));
  Settlement s = retry.settle(item_failures({2}), 1);
  CHECK(sequences(s.succeeded) == std::vector<std::uint64_t>{1, 2});
  int deliveries = 1;
  while (!retry.done()) {
    REQUIRE(sequences(retry.next()) == std::vector<std::uint64_t>{3});
    ++deliveries;
    s = retry.settle(item_failures({0}), 1 + deliveries);
    CHECK(s.after_failure);
  }
  CHECK(deliveries == 5);
  CHECK(sequences(s.discarded) == std::vector<std::uint64_t>{3});
}

TEST_CASE("a partial failure at the batch's first record is a retry of the same batch") {
  // Records 1 and 3 fail: the checkpoint stays at 1, so this was the batch's first attempt and,
  // with MaximumRetryAttempts 0, its last: 1 and 3 are discarded; 2 succeeded (once).
  RetryRules rules;
  rules.report_batch_item_failures = true;
  rules.max_retry_attempts = 0;
  BatchRetry retry(rules, records(3));
  const Settlement s = retry.settle(item_failures({0, 2}), 1);
  CHECK(sequences(s.succeeded) == std::vector<std::uint64_t>{2});
  CHECK(sequences(s.discarded) == std::vector<std::uint64_t>{1, 3});
  CHECK(retry.done());
}

TEST_CASE("MaximumRecordAgeInSeconds: a failed batch's records past the age are split off, the younger retried") {
  RetryRules rules;
  rules.max_record_age_s = 60;
  std::vector<Record> batch = records(3, /*arrival=*/10);
  batch[2].arrival_s = 20;
  BatchRetry retry(rules, batch);
  CHECK(retry.settle(error(), 70).retry);  // ages 60, 60, 50: none older than 60
  const Settlement s = retry.settle(error(), 70.5);  // ages 60.5, 60.5, 50.5
  CHECK(sequences(s.discarded) == std::vector<std::uint64_t>{1, 2});
  CHECK(s.backoff);
  CHECK(sequences(retry.next()) == std::vector<std::uint64_t>{3});
}

TEST_CASE("MaximumRecordAgeInSeconds is checked before invoking: records over age never reach the function") {
  // AWS as recorded: one record older than the maximum age and five younger ones in one read;
  // the function receives exactly the five, the old one goes to the destination on its own.
  RetryRules rules;
  rules.max_record_age_s = 60;
  std::vector<Record> batch = records(6, /*arrival=*/100);
  batch[0].arrival_s = 30;
  BatchRetry retry(rules, batch);
  Settlement s;
  CHECK(retry.drop_stale(100.5, s));  // the first record is 70.5 s old
  CHECK(sequences(s.discarded) == std::vector<std::uint64_t>{1});
  CHECK(sequences(retry.next()) == std::vector<std::uint64_t>{2, 3, 4, 5, 6});
  CHECK_FALSE(retry.drop_stale(101, s));  // nothing more to drop
  // Every record over age: the batch is done without an invocation.
  BatchRetry old(rules, records(2, /*arrival=*/0));
  CHECK(old.drop_stale(61, s));
  CHECK(s.discarded.size() == 2);
  CHECK(old.done());
}

TEST_CASE("records that expire in the stream while retried are lost, not retried") {
  RetryRules rules;
  rules.retention_s = 100;
  BatchRetry retry(rules, records(3, /*arrival=*/0));
  const Settlement s = retry.settle(error(), 100.5);
  CHECK(s.expired.size() == 3);
  CHECK(retry.done());
}

TEST_CASE("the batch is invoked as given, not copied, until part of it changes") {
  RetryRules rules;
  rules.bisect_on_error = true;
  const std::vector<Record> batch = records(4);
  BatchRetry retry(rules);
  retry.start(batch);
  CHECK(&retry.next() == &batch);  // the caller's own records
  CHECK(retry.unfinished() == 4);
  retry.settle(error(), 1.0);  // bisected: the halves are the retry's own
  CHECK(&retry.next() != &batch);
  CHECK(sequences(retry.next()) == std::vector<std::uint64_t>{1, 2});
  CHECK(sequences(batch) == std::vector<std::uint64_t>{1, 2, 3, 4});  // the batch is left as it was
}

TEST_CASE("asked to lend, a batch done whole is reported as the caller's batch, not copied") {
  RetryRules rules;
  rules.lend_whole_batch = true;
  const std::vector<Record> batch = records(3);
  BatchRetry retry(rules);
  retry.start(batch);
  Settlement s = retry.settle(error(), 1.0);  // a plain failure: the whole batch again, still the caller's
  CHECK_FALSE(s.whole_batch);
  CHECK(&retry.next() == &batch);
  s = retry.settle(ok(), 2.0);
  CHECK(s.whole_batch);
  CHECK(s.after_failure);
  CHECK(s.succeeded.empty());  // the caller reports its batch
  CHECK(retry.done());
  // Not when part of it succeeded before (ReportBatchItemFailures: the checkpoint did not move,
  // the records after it run again, as duplicates).
  RetryRules partial = rules;
  partial.report_batch_item_failures = true;
  BatchRetry again(partial);
  again.start(batch);
  s = again.settle(item_failures({0}), 3.0);
  CHECK_FALSE(s.whole_batch);
  s = again.settle(ok(), 4.0);
  CHECK_FALSE(s.whole_batch);
  CHECK(sequences(s.succeeded) == std::vector<std::uint64_t>{1});
  CHECK(sequences(s.duplicates) == std::vector<std::uint64_t>{2, 3});
}
