#pragma once
// A Kinesis data stream: provisioned or on-demand shards with Kinesis's limits, resharded by the
// scenario's operations or by the on-demand scaler. What every kind does by default.
#include "sim/run/stream_kind.hpp"

namespace shardsim {

class KinesisKind : public StreamKind {
public:
  ShardLimits shard_limits(const StreamConfig& stream) const override;
  void prepare(RunParts& parts) override;
  std::size_t shards_ever(const RunParts& parts) const override;
  void bill(const RunParts& parts, CostResult& cost) const override;
  std::string configuration_line(const Scenario& s) const override;
  std::string follows_traffic(const StreamConfig& stream) const override;
};

}  // namespace shardsim
