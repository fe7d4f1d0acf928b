#pragma once
// A DynamoDB table's stream: a shard per table partition with a partition's write limit, shards
// that roll over and partitions that split on their own, GetRecords billed per request.
#include "models/dynamodb/table_partitions.hpp"
#include "sim/run/stream_kind.hpp"

namespace shardsim {

class DynamoDbKind : public StreamKind {
public:
  ShardLimits shard_limits(const StreamConfig& stream) const override;
  ReadLimits get_records_limits() const override;
  CallShare call_share(const Scenario& s) const override;
  void prepare(RunParts& parts) override;
  std::size_t shards_ever(const RunParts& parts) const override;
  void report(const RunParts& parts, RunResult& r) const override;
  void bill(const RunParts&, CostResult& cost) const override;
  std::string configuration_line(const Scenario& s) const override;
  std::string follows_traffic(const StreamConfig&) const override { return "split and rolled over the table's"; }
  std::string write_limit_text() const override { return "a partition's 1,000 write units/s"; }

private:
  const TablePartitions* partitions_ = nullptr;  // owned by the stream
};

}  // namespace shardsim
