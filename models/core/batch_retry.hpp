#pragma once
// What an event source mapping does with a batch after each invocation: the error-handling rules
// of Lambda's Kinesis mapping, as pure bookkeeping (no SimGrid). One object serves a lane's
// batches one after another and keeps its storage from batch to batch.
//   success                    every record is done.
//   ReportBatchItemFailures    the mapping checkpoints at the lowest failed record: records
//                              before it are done; the rest, including records that succeeded,
//                              are retried (a record's first success counts once; each later
//                              success is a duplicate). When the checkpoint advanced (the lowest
//                              failed record is not the first), the rest is a new batch, invoked
//                              at once, whose attempts count from zero (recorded on AWS, Kinesis
//                              and DynamoDB alike: 6 records, batch size 3, MaximumRetryAttempts 3,
//                              one record always failed: it is delivered 5 times, once in its
//                              batch and 4 times alone); otherwise it is a retry.
//   function error             the whole (sub-)batch is retried; with BisectBatchOnFunctionError
//                              a batch of two or more is split in two halves, tried in order,
//                              and a split does not use a retry.
//   MaximumRetryAttempts       a (sub-)batch that failed more often than this is discarded.
//   MaximumRecordAgeInSeconds  checked whenever the mapping is about to invoke (a new batch, a
//                              retry after a failure or a throttle) and after a failure: records
//                              older than this are split off to the on-failure destination and
//                              never invoked; the younger records of the batch still are
//                              (recorded on AWS: 1 record over age and 5 younger in one read,
//                              the function receives exactly the 5).
//   retention                  records that expired in the stream are dropped from a retry.
//   throttles                  a throttled batch is retried without counting an attempt, until
//                              its records expire or pass MaximumRecordAgeInSeconds.
// Source: Lambda developer guide, "Error handling for Kinesis event sources".
#include <cstdint>
#include <vector>

#include "models/core/retry_policy.hpp"

namespace shardsim {

struct RetryRules {
  std::int64_t max_retry_attempts = -1;  // -1: unlimited
  double max_record_age_s = -1;          // -1: unlimited
  bool bisect_on_error = false;
  bool report_batch_item_failures = false;
  double retention_s = 86400;
  bool lend_whole_batch = false;  // a whole first-time success sets Settlement::whole_batch, copies nothing
};

class BatchRetry : public RetryPolicy {
public:
  explicit BatchRetry(const RetryRules& rules) : rules_(rules) {}
  // With a batch of its own (kept, so it may be a temporary).
  BatchRetry(const RetryRules& rules, std::vector<Record> batch) : rules_(rules), own_batch_(std::move(batch)) {
    start(own_batch_);
  }
  BatchRetry(const BatchRetry&) = delete;  // it may point into its own batch
  BatchRetry& operator=(const BatchRetry&) = delete;
  void start(const std::vector<Record>& batch) override;
  bool done() const override { return live_ == 0; }
  const std::vector<Record>& next() const override { return records(parts_[live_ - 1]); }
  // Records that succeeded once are done.
  std::size_t unfinished() const override;
  void for_each_unfinished(const std::function<void(const Record&)>& f) const override;
  void settle(const HandlerOutcome& outcome, double now, Settlement& s) override;
  bool drop_stale(double now, Settlement& s) override;
  Settlement settle(const HandlerOutcome& outcome, double now) {
    Settlement s;
    settle(outcome, now, s);
    return s;
  }

private:
  // A part's records are its own, or (borrowed) the whole batch as given to start, none of which
  // succeeded before: the usual batch, tried as it came, is never copied.
  struct Part {
    std::vector<Record> records;
    std::vector<bool> succeeded_before;  // per record: already succeeded once
    std::int64_t failures = 0;           // failed invocations of this part (its retries so far)
    bool failed_before = false;          // its records were in a failed invocation before
    bool borrowed = false;               // records and succeeded_before are the batch's, all false
  };
  const std::vector<Record>& records(const Part& part) const { return part.borrowed ? *batch_ : part.records; }
  // Makes a borrowed part's records its own, before they change.
  void own(Part& part);
  // A new part to be invoked next (ahead of the pending ones), reusing a finished part's storage.
  Part& push_part();
  void finish_records(Part& part, std::size_t count, Settlement& s);
  // Clears `s` for the part to invoke next (returned), noting whether it failed before.
  Part& begin_settlement(Settlement& s);
  // Drops the part's records that expired in the stream and discards those past the maximum
  // age (or all, when out of attempts); true when nothing of the part is left.
  bool prune(Part& part, double now, bool out_of_attempts, Settlement& s);
  RetryRules rules_;
  // Parts still to invoke are parts_[0, live_), the next one last; parts past live_ are
  // finished ones kept for their storage.
  std::vector<Part> parts_;
  std::size_t live_ = 0;
  const std::vector<Record>* batch_ = nullptr;  // as given to start
  std::vector<Record> own_batch_;
};

}  // namespace shardsim
