#pragma once
// A DynamoDB table's partitions driving its stream's shards (models/dynamodb/dynamodb.hpp has
// the rules): writes count in whole kilobytes against a partition's write units; a partition
// asked for more than its threshold long enough splits in the middle at the end of that second;
// each shard rolls over (closes, one child takes its partition) every shard_rollover_s; the
// scenario's partition splits come in time order among them. All are scheduled as puts and the
// producers' horizon reach their time.
#include <deque>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "models/dynamodb/dynamodb.hpp"
#include "models/stream/stream.hpp"

namespace shardsim {

class TablePartitions : public ShardSetDriver {
public:
  // The partitions of `stream`'s shards open now.
  TablePartitions(const dynamodb::TableParams& params, const Stream& stream);

  // At `at_s`, the partition at `position` among those open then (in hash key order) splits in
  // the middle of its range. Scheduled in time order.
  void schedule_partition_split(double at_s, std::size_t position);

  void before_put(Stream& stream, double t) override { advance(stream, t); }
  void horizon_reached(Stream& stream, double t) override { advance(stream, t); }
  std::uint32_t counted_bytes(std::size_t shard, std::uint32_t bytes) override;
  void accepted(const Stream&, const Record&, std::size_t, std::uint32_t counted) override {
    write_units_ += counted / static_cast<std::uint32_t>(dynamodb::kWriteUnitBytes);
  }
  void shard_opened(Stream& stream, std::size_t index) override;

  std::size_t partition_splits() const { return partition_splits_; }
  std::size_t rollovers() const { return rollovers_; }
  // Write units of the accepted writes (what an on-demand table bills).
  std::uint64_t write_units() const { return write_units_; }
  // What the table could not do (a scheduled split of a partition that did not exist).
  const std::vector<std::string>& warnings() const { return warnings_; }

private:
  // Schedules the changes due by t (ending the metered seconds before it).
  void advance(Stream& stream, double t);
  void schedule_changes_through(Stream& stream, double t);
  void split_partition(Stream& stream, std::size_t index, double at);

  dynamodb::TableParams params_;
  dynamodb::PartitionMeter meter_;
  using Due = std::pair<double, std::size_t>;  // (time, shard index or partition position)
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> rollovers_due_;
  std::deque<Due> scheduled_splits_;
  std::size_t partition_splits_ = 0, rollovers_ = 0;
  std::uint64_t write_units_ = 0;
  std::vector<std::string> warnings_;
};

}  // namespace shardsim
