#pragma once
// An SQS queue, standard or FIFO: the sent messages wait in one log with the queue's send limit,
// and the one Lambda mapping's pollers (models/sqs/queue_poller.hpp) receive them; a standard
// queue keeps no order.
#include <memory>

#include "models/sqs/queue_poller.hpp"
#include "models/sqs/sqs_queue.hpp"
#include "sim/run/stream_kind.hpp"

namespace shardsim {

class SqsKind : public StreamKind {
public:
  explicit SqsKind(bool fifo) : fifo_(fifo) {}
  ShardLimits shard_limits(const StreamConfig& stream) const override;
  void prepare(RunParts& parts) override;
  std::int64_t batches_per_shard(const ConsumerConfig& c) const override;
  std::int64_t concurrency_bound(const ConsumerConfig& c, std::int64_t) const override { return batches_per_shard(c); }
  void start_consumers(RunParts& parts, simgrid::s4u::Host* host) override;
  void report(const RunParts& parts, RunResult& r) const override;
  void bill(const RunParts& parts, CostResult& cost) const override;
  std::string configuration_line(const Scenario& s) const override;
  std::string consumer_line(const Scenario& s, const ConsumerConfig& c) const override;
  std::string growing_age_warning(double early_s, double late_s, const RunResult& r) const override;
  bool warns_discarded() const override { return false; }
  bool has_lanes() const override { return false; }

private:
  bool fifo_;
  std::unique_ptr<MessageQueue> queue_;
  QueuePoller* poller_ = nullptr;
};

}  // namespace shardsim
