#pragma once
// A Kafka topic (Amazon MSK or self-managed): partitions as shards with no write limit, keys
// routed by the Java client's partitioner (models/kafka/topic_partitioner.hpp), partitions added
// by stream.topic.repartition (keys move: out-of-order records are counted under repartition),
// and each Lambda mapping's event pollers (models/kafka/event_pollers.hpp), re-evaluated every
// minute by an actor of their own. The cluster's own cost is not billed.
#include <memory>
#include <vector>

#include "models/kafka/event_pollers.hpp"
#include "sim/run/stream_kind.hpp"

namespace shardsim {

class KafkaKind : public StreamKind {
public:
  ShardLimits shard_limits(const StreamConfig& stream) const override;
  CallShare call_share(const Scenario&) const override { return {}; }
  std::unique_ptr<ShardSource> record_source(const ReaderSetting& s, std::size_t shard) const override;
  void prepare(RunParts& parts) override;
  std::int64_t batches_per_shard(const ConsumerConfig&) const override { return 1; }
  void start_consumers(RunParts& parts, simgrid::s4u::Host* host) override;
  void report(const RunParts& parts, RunResult& r) const override;
  void report_bounds(const RunParts& parts, RunResult& r) const override;
  void bill(const RunParts& parts, CostResult& cost) const override;
  std::string configuration_line(const Scenario& s) const override;
  std::string consumer_line(const Scenario& s, const ConsumerConfig& c) const override;
  std::string write_limit_text() const override { return "no limit"; }

private:
  std::vector<std::unique_ptr<EventPollers>> pollers_;  // [consumer]
};

}  // namespace shardsim
