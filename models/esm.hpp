#pragma once
// A Lambda event source mapping's work on one shard. The reader (one actor) calls GetRecords,
// which returns every visible record (≤ 10,000 records, ≤ 10 MB), into a buffer; the lane
// assignment (models/lanes.hpp) cuts batches from the buffer for up to ParallelizationFactor
// lanes (one actor each), which invoke the function one batch after another.
// The reader calls GetRecords when the buffer has nothing for an idle lane or a batching
// window is gathering: once per poll_interval_s after its last call while caught up, and as
// soon as the shard's read limits allow while records remain.
// Source: Lambda developer guide, "Using Lambda with Kinesis" (polling, batching window,
// ParallelizationFactor).
#include <memory>
#include <vector>

#include <simgrid/s4u/ConditionVariable.hpp>
#include <simgrid/s4u/Mutex.hpp>

#include "models/batch_retry.hpp"
#include "models/events.hpp"
#include "models/handler.hpp"
#include "models/lambda_service.hpp"
#include "models/kinesis_limits.hpp"
#include "models/lanes.hpp"
#include "models/token_bucket.hpp"
#include "models/stream.hpp"
#include "sim/run_control.hpp"
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

  std::size_t lanes() const { return lanes_.size(); }
  // Actor bodies: the reader, and lane `lane`.
  void run_reader();
  void run_lane(std::size_t lane);
  // Records of the shard this mapping has not finished with (unread, buffered, or in a batch
  // that never completed). After the run.
  std::uint64_t unfinished() const;

private:
  struct Lane {
    Handler handler;
    std::vector<Record> batch;  // as cut from the buffer; its keys stay in flight until done
    bool busy = false;          // a batch is assigned and not finished
    std::unique_ptr<BatchRetry> retry;  // the batch's progress through failures and retries
    simgrid::s4u::ConditionVariablePtr wakeup;  // a batch was assigned, or the run stops
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
  // Invokes the lane's batch until it is done (succeeded, discarded or expired), retrying
  // throttles and failures with backoff; false if the run ended first.
  bool process(Lane& lane, std::size_t index);
  // Waits for concurrency, retrying throttles: warm or cold, or throttled if the run ended first.
  LambdaService::Start acquire_concurrency();

  MappingContext c_;
  std::size_t shard_;
  std::vector<Lane> lanes_;
  std::unique_ptr<LaneAssignment> assignment_;
  BatchLimits limits_;
  RetryRules rules_;
  std::uint64_t fetched_ = 0;  // log positions before this were returned by GetRecords
  TokenBucket efo_bytes_{kinesis::kReadBytesPerShardPerS, kinesis::kReadBytesPerShardPerS};
  std::vector<double> window_deadline_;  // per lane: when its partial batch must go
  bool stopping_ = false;
  simgrid::s4u::MutexPtr mutex_;
  simgrid::s4u::ConditionVariablePtr reader_wakeup_;
};

}  // namespace shardsim
