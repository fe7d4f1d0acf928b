#pragma once
// A Lambda event source mapping's work on one shard, as one actor. It calls GetRecords, which
// returns every visible record (≤ 10,000 records, ≤ 10 MB), into a buffer; the lane assignment
// (models/lanes.hpp) cuts batches from the buffer for up to ParallelizationFactor lanes, each
// of which invokes the function one batch after another.
// GetRecords is called when the buffer has nothing for an idle lane or a batching window is
// gathering: once per poll_interval_s after the last call while caught up, and as soon as the
// shard's read limits allow while records remain.
// A lane is a state machine with one pending event (a throttled or failed invocation's retry,
// or the end of its invocation); the actor sleeps until the earliest event of its lanes and
// its own next call, so it wakes about once per invocation and lanes cost no actor, no stack
// and no synchronisation.
// Source: Lambda developer guide, "Using Lambda with Kinesis" (polling, batching window,
// ParallelizationFactor).
#include <memory>
#include <vector>

#include "models/batch_retry.hpp"
#include "models/events.hpp"
#include "models/handler.hpp"
#include "models/lambda_service.hpp"
#include "models/kinesis_limits.hpp"
#include "models/lanes.hpp"
#include "models/token_bucket.hpp"
#include "models/stream.hpp"
#include "models/base/run_control.hpp"
#include "sim/scenario.hpp"

namespace shardsim {

struct MappingContext {
  std::size_t consumer;
  std::size_t function;
  const ConsumerConfig& config;
  const RetryBackoff& backoff;
  Stream& stream;
  const KeyTable& keys;
  LambdaService& lambda;
  EventSink& sink;
  RunControl& control;
};

class ShardReader {
public:
  // One handler per lane, each with its own random stream.
  ShardReader(MappingContext context, std::size_t shard, std::vector<Handler> handlers);

  // The actor's body.
  void operator()();
  // Records of the shard this mapping has not finished with (unread, buffered, or in a batch
  // that never completed). After the run.
  std::uint64_t unfinished() const;

private:
  struct Lane {
    enum class Phase {
      idle,      // no batch
      invoking,  // invokes its batch at `at` (after a throttle or a failure's backoff)
      running,   // its invocation ends at `at`
      stopped    // the run ended while the batch waited: it stays unfinished
    };
    Lane(Handler h, const RetryRules& rules) : handler(std::move(h)), retry(rules) {}
    bool busy() const { return phase != Phase::idle; }
    Handler handler;
    Phase phase = Phase::idle;
    double at = 0;              // the pending event (invoking, running)
    std::vector<Record> batch;  // as cut from the buffer; its keys stay in flight until done
    BatchRetry retry;           // the batch's progress through failures and retries
    HandlerOutcome outcome;     // of the running invocation
    Invocation invocation;      // the running invocation
    Settlement settlement;      // of its last invocation
    double throttle_wait = 0;   // before the next try after a throttle
    double failure_wait = 0;    // before retrying a failed batch
  };

  // One GetRecords call into the buffer; true when it stopped at a per-call limit with more
  // records visible.
  bool fetch(double now);
  double visible_time(std::uint64_t position) const;
  void expire(double now);
  void skip_to_starting_position();
  // Enhanced fan-out: when this consumer's own 2 MiB/s of the shard allows the next push.
  double efo_ready(double now);
  // True when some idle lane has nothing to take from the buffer.
  bool wants_records() const;
  // Hands batches to idle lanes; returns the earliest batching-window deadline still open.
  double dispatch(double now);
  bool drained() const;
  void report_position();
  // The reader's part of a wake-up at `now` (expiry, GetRecords, dispatch); returns when it wants
  // to run next, or +inf once it has stopped.
  double poll(double now);
  // Lanes: a batch's first invocation; an invocation (retried with backoff after a throttle);
  // the end of the running invocation (settle, then retry, back off, or finish the batch).
  void start_batch(std::size_t index, double now);
  void invoke(std::size_t index, double now);
  void finish_invocation(std::size_t index, double now);
  // Retries the lane's invocation after `wait` (then backs `wait` off), unless the run ends first.
  void invoke_later(Lane& lane, double now, double& wait);

  MappingContext c_;
  std::size_t shard_;
  std::vector<Lane> lanes_;
  std::unique_ptr<LaneAssignment> assignment_;
  BatchLimits limits_;
  RetryRules rules_;
  std::uint64_t fetched_ = 0;  // log positions before this were returned by GetRecords
  TokenBucket efo_bytes_{kinesis::kReadBytesPerShardPerS, kinesis::kReadBytesPerShardPerS};
  std::vector<double> window_deadline_;  // per lane: when its partial batch must go
  // Reader state between wake-ups.
  bool stopping_ = false;
  double last_call_;           // time of the last GetRecords call (or push)
  bool behind_ = false;        // the last call stopped at a per-call limit
  double next_call_ = 0;       // earliest time of the next GetRecords call (or push)
};

}  // namespace shardsim
