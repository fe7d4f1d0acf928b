#pragma once
// A Lambda event source mapping's reader for one shard (ParallelizationFactor 1): it polls the
// shard with GetRecords, forms a batch (BatchSize, MaximumBatchingWindowInSeconds, 6 MB
// payload), invokes the function and waits for it, in shard order.
// Polling: once per poll_interval_s while caught up, back to back (within the shard's read
// limits) while records remain. Source: Lambda developer guide, "Using Lambda with Kinesis".
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
    std::size_t records = 0;     // visible records that fit in one batch
    std::uint64_t bytes = 0;
    bool full = false;           // batch_size or the payload cap reached
    bool more_visible = false;   // visible records remain beyond this batch
  };
  Scan scan(double now) const;
  double visible_time(std::uint64_t position) const;
  // When a batch that is not yet full would become full, or +inf if not known yet.
  double fill_time() const;
  void expire(double now);
  // Waits for concurrency (retrying throttles) and runs the handler; false if the run ended first.
  bool invoke(double now);

  MappingContext c_;
  std::size_t shard_;
  Handler handler_;
  std::uint64_t position_ = 0;
  std::vector<Record> batch_;
};

}  // namespace shardsim
