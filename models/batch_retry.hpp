#pragma once
// What an event source mapping does with a batch after each invocation: the error-handling rules
// of Lambda's Kinesis mapping, as pure bookkeeping (no SimGrid), one object per batch.
//   success                    every record is done.
//   ReportBatchItemFailures    the mapping checkpoints at the lowest failed record: records
//                              before it are done; the rest, including records that succeeded,
//                              are retried (a record's first success counts once; each later
//                              success is a duplicate).
//   function error             the whole (sub-)batch is retried; with BisectBatchOnFunctionError
//                              a batch of two or more is split in two halves, tried in order,
//                              and a split does not use a retry.
//   MaximumRetryAttempts       a (sub-)batch that failed more often than this is discarded.
//   MaximumRecordAgeInSeconds  a failed (sub-)batch whose oldest record is older is discarded.
//   retention                  records that expired in the stream are dropped from a retry.
// Source: Lambda developer guide, "Error handling for Kinesis event sources".
#include <cstdint>
#include <deque>
#include <vector>

#include "models/handler.hpp"
#include "models/record.hpp"

namespace shardsim {

struct RetryRules {
  std::int64_t max_retry_attempts = -1;  // -1: unlimited
  double max_record_age_s = -1;          // -1: unlimited
  bool bisect_on_error = false;
  bool report_batch_item_failures = false;
  double retention_s = 86400;
};

// What one invocation's result settled.
struct Settlement {
  std::vector<Record> succeeded;  // done for the first time
  std::vector<Record> duplicates; // done again after an earlier success
  std::vector<Record> discarded;  // given up (retries or age exhausted): to the on-failure destination
  std::vector<Record> expired;    // vanished from the stream while being retried
  bool after_failure = false;     // the settled records had been in a failed invocation before
  bool bisected = false;
  bool backoff = false;           // the failed records will be retried: wait first
  bool retry = false;             // more to invoke for this batch
};

class BatchRetry {
public:
  BatchRetry(const RetryRules& rules, std::vector<Record> batch);
  bool done() const { return pending_.empty(); }
  // The records to invoke next.
  const std::vector<Record>& next() const { return pending_.front().records; }
  // Records not yet done and not given up (records that succeeded once are done).
  std::size_t unfinished() const;
  // Applies the outcome of invoking next() at time `now`.
  Settlement settle(const HandlerOutcome& outcome, double now);

private:
  struct Part {
    std::vector<Record> records;
    std::vector<bool> succeeded_before;  // per record: already succeeded once
    std::int64_t failures = 0;           // failed invocations of this part (its retries so far)
  };
  void finish_records(Part& part, std::size_t count, Settlement& s);
  const RetryRules& rules_;
  std::deque<Part> pending_;
};

}  // namespace shardsim
