#include "sim/run/kinds/dynamodb.hpp"

#include <cmath>
#include <cstdio>

#include "models/base/number_format.hpp"
#include "models/dynamodb/dynamodb.hpp"

namespace shardsim {

ShardLimits DynamoDbKind::shard_limits(const StreamConfig& stream) const { return dynamodb::shard_limits(stream.write_burst_s); }

ReadLimits DynamoDbKind::get_records_limits() const {
  return {dynamodb::kMaxRecordsPerGetRecords, dynamodb::kMaxBytesPerGetRecords};
}

CallShare DynamoDbKind::call_share(const Scenario& s) const {
  return {dynamodb::reader_calls_per_s(s.stream.table.max_readers_per_shard, s.consumers.size()), ReadLimit::readers,
          s.stream.table.max_readers_per_shard};
}

void DynamoDbKind::prepare(RunParts& parts) {
  const StreamConfig& s = parts.scenario.stream;
  auto partitions = std::make_unique<TablePartitions>(
      dynamodb::TableParams{s.table.split_threshold_wcu, s.table.split_after_s, s.table.max_partitions, s.table.shard_rollover_s},
      parts.stream);
  for (const auto& op : s.reshard) partitions->schedule_partition_split(op.at_s, static_cast<std::size_t>(op.shard));
  partitions_ = partitions.get();
  parts.stream.drive_with(std::move(partitions));
}

std::size_t DynamoDbKind::shards_ever(const RunParts& parts) const {
  // Each shard's rollovers while producers write, and every split possible.
  const StreamConfig& s = parts.scenario.stream;
  const double rollovers = std::floor(parts.scenario.duration_s / s.table.shard_rollover_s);
  return static_cast<std::size_t>(static_cast<double>(s.table.max_partitions) * 2 * (1 + rollovers));
}

void DynamoDbKind::report(const RunParts& parts, RunResult& r) const {
  r.stream.type = "dynamodb";
  r.stream.splits = 0;  // a table's shard changes are its partitions' splits and rollovers
  r.stream.partition_splits = partitions_->partition_splits();
  r.stream.rollovers = partitions_->rollovers();
  r.stream.partitions_at_end = parts.stream.open_shard_count();
  for (const auto& w : partitions_->warnings()) r.warnings.push_back(w);
  const auto count = [](std::uint64_t n) { return format_number(static_cast<double>(n)); };
  r.kind_summary = {"table", {{"partitions at end", count(r.stream.partitions_at_end) + " (" + count(r.stream.partition_splits) +
                                                        " splits, " + count(r.stream.rollovers) + " shard rollovers)"}}};
  r.shard_changes_summary = {"shard changes", count(r.stream.partition_splits) + " splits, " + count(r.stream.rollovers) + " rollovers"};
}

void DynamoDbKind::bill(const RunParts&, CostResult& cost) const {
  cost.table = true;  // every GetRecords call is a billed read request
  cost.write_request_units = static_cast<double>(partitions_->write_units());
}

std::string DynamoDbKind::configuration_line(const Scenario& s) const {
  const std::string shards = "DynamoDB table of " + std::to_string(s.stream.table.partitions) +
                             " partition(s), a shard each (split after " + format_number(s.stream.table.split_after_s) +
                             " s at ≥ " + format_number(s.stream.table.split_threshold_wcu) + " WCU/s, rollover every " +
                             format_number(s.stream.table.shard_rollover_s) + " s, " +
                             std::to_string(s.stream.table.max_readers_per_shard) + " readers per shard)";
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, "stream       %s, %g s of production, retention %g h, seed %lld", shards.c_str(),
                s.duration_s, s.stream.retention_hours, static_cast<long long>(s.seed));
  return buffer;
}

}  // namespace shardsim
