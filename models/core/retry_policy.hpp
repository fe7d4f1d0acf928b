#pragma once
// What a consumer does with a batch after each invocation: which records are done, which are
// given up, and what to invoke next. Lambda's stream rules (checkpoint, bisect, partial batch
// failures, maximum retries and age: models/core/batch_retry.hpp) are one policy. A queue's
// visibility timeout is not one: what a failure does there is the queue's (models/sqs/sqs_queue.hpp).
// One object serves a lane's batches one after another.
#include <cstddef>
#include <functional>
#include <vector>

#include "models/core/handler.hpp"
#include "models/core/latency_split.hpp"
#include "models/core/ordering_cause.hpp"
#include "models/core/record.hpp"

namespace shardsim {

// What one invocation's result settled.
struct Settlement {
  std::vector<Record> succeeded;  // done for the first time
  std::vector<Record> duplicates; // done again after an earlier success
  OrderingCause duplicate_cause = OrderingCause::rerun_after_partial_failure;  // why (a lease's failover: failover_redelivery;
                                                                 // a standard queue's extra delivery: at_least_once)
  std::vector<Record> discarded;  // given up (retries or age exhausted): to the on-failure destination
  OrderingCause discard_cause = OrderingCause::discarded_after_failures;  // why (a queue's dead-letter queue: dead_letter)
  std::vector<Record> expired;    // vanished from the stream while being retried
  bool after_failure = false;     // the settled records had been in a failed invocation before
  bool bisected = false;
  bool backoff = false;           // the failed records will be retried: wait first
  bool retry = false;             // more to invoke for this batch
  // Every record of the batch given to start() succeeded in this invocation, none before: set
  // instead of copying them into `succeeded` (left empty) by a policy asked to lend the batch
  // back (RetryRules::lend_whole_batch); the caller reports them from its batch.
  bool whole_batch = false;
  // Where each succeeded record's latency went, when the consumer tracks it (set by the consumer
  // for the sink, not by the retry policy).
  const LatencySplitter* split = nullptr;
};

// The wait before retrying an invocation that was throttled or failed: initial_s, then × multiplier
// up to max_s (AWS does not document Lambda's backoff: design.md §6).
struct RetryBackoff {
  double initial_s = 1.0;
  double multiplier = 2.0;
  double max_s = 60.0;
};

class RetryPolicy {
public:
  virtual ~RetryPolicy() = default;
  // Takes a new batch; the previous one must be done. The batch is not copied: it must stay
  // as it is while any of it is to be invoked (until done() or the next start).
  virtual void start(const std::vector<Record>& batch) = 0;
  virtual bool done() const = 0;
  // The records to invoke next (valid until the next settle or start).
  virtual const std::vector<Record>& next() const = 0;
  // Records of the batch not yet done and not given up: how many, and each.
  virtual std::size_t unfinished() const = 0;
  virtual void for_each_unfinished(const std::function<void(const Record&)>& f) const = 0;
  // Applies the outcome of invoking next() at time `now` into `s` (cleared first, its storage
  // reused).
  virtual void settle(const HandlerOutcome& outcome, double now, Settlement& s) = 0;
  // Before invoking next() at `now` (a new batch, or a retry after a throttle or a failure):
  // what may no longer be invoked is given up into `s` (cleared first). True when anything was;
  // done() may then be true.
  virtual bool drop_stale(double now, Settlement& s) = 0;
};

}  // namespace shardsim
