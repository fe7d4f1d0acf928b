#pragma once
// A Lambda event source mapping's reader for one shard (ParallelizationFactor 1). A GetRecords
// call fetches every visible record (≤ 10,000 records, ≤ 10 MB) into the reader's buffer;
// batches (BatchSize, MaximumBatchingWindowInSeconds, 6 MB payload) are cut from the buffer and
// invoked one after another, in shard order. The reader calls GetRecords again when its buffer
// is empty (or a batching window wants more): once per poll_interval_s after its last call
// while caught up, at once (within the shard's read limits) while records remain.
// Source: Lambda developer guide, "Using Lambda with Kinesis".
#include <vector>

#include "models/events.hpp"
#include "models/handler.hpp"
#include "models/lambda_service.hpp"
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
  LambdaService& lambda;
  EventSink& sink;
  RunControl& control;
};

class ShardReader {
public:
  ShardReader(MappingContext context, std::size_t shard, Handler handler)
      : c_(context), shard_(shard), handler_(std::move(handler)) {}
  void operator()();

private:
  struct Scan {
    std::size_t records = 0;  // buffered records that fit in one batch
    bool full = false;        // batch_size or the payload cap reached
  };
  // One GetRecords call: moves fetched_ over the records visible at `now`. Returns true when it
  // stopped at a per-call limit with more records visible.
  bool fetch(double now);
  Scan next_batch() const;
  double visible_time(std::uint64_t position) const;
  // When a batch that is not yet full would become full, or +inf if not known yet.
  double fill_time() const;
  void expire(double now);
  // Waits for concurrency (retrying throttles) and runs the handler; false if the run ended first.
  bool invoke(double now);

  MappingContext c_;
  std::size_t shard_;
  Handler handler_;
  std::uint64_t position_ = 0;  // next record to deliver
  std::uint64_t fetched_ = 0;   // records before this were returned by GetRecords
  std::vector<Record> batch_;
};

}  // namespace shardsim
