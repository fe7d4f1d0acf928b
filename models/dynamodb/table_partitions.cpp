#include "models/dynamodb/table_partitions.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(dynamodb, shardsim, "dynamodb: partition splits, shard rollovers");

namespace shardsim {
namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();
}

TablePartitions::TablePartitions(const dynamodb::TableParams& params, const Stream& stream) : params_(params), meter_(params) {
  for (const auto& [range, index] : stream.open_after_changes()) rollovers_due_.push({params.shard_rollover_s, index});
}

void TablePartitions::schedule_partition_split(double at_s, std::size_t position) {
  if (!scheduled_splits_.empty() && at_s < scheduled_splits_.back().first)
    throw std::invalid_argument("partition splits must be scheduled in time order");
  scheduled_splits_.push_back({at_s, position});
}

std::uint32_t TablePartitions::counted_bytes(std::size_t shard, std::uint32_t bytes) {
  // A partition's limit is in write units of 1 KB: the write counts as its whole kilobytes.
  const double units = dynamodb::write_units(bytes);
  meter_.asked(shard, units);
  return static_cast<std::uint32_t>(units * dynamodb::kWriteUnitBytes);
}

void TablePartitions::shard_opened(Stream& stream, std::size_t index) {
  // A rollover's child takes over its parent's partition, and the write budget with it.
  Shard& shard = stream.shard(index);
  if (!shard.parent() || shard.adjacent_parent()) return;
  const Shard& parent = stream.shard(*shard.parent());
  const HashKeyRange a = parent.hash_key_range(), b = shard.hash_key_range();
  if (a.starting_hash_key == b.starting_hash_key && a.ending_hash_key == b.ending_hash_key) shard.inherit_write_budget(parent);
}

void TablePartitions::split_partition(Stream& stream, std::size_t index, double at) {
  const std::size_t first_child = stream.shard_count_after_changes();
  if (!stream.split_in_middle(index, at)) return;
  XBT_VERB("the partition of shard %zu splits at %.6f s", index, at);
  ++partition_splits_;
  for (std::size_t child = first_child; child < first_child + 2; ++child)
    rollovers_due_.push({at + params_.shard_rollover_s, child});
}

void TablePartitions::schedule_changes_through(Stream& stream, double t) {
  for (;;) {
    const double rollover = rollovers_due_.empty() ? kNever : rollovers_due_.top().first;
    const double split = scheduled_splits_.empty() ? kNever : scheduled_splits_.front().first;
    if (std::min(rollover, split) > t) return;
    const auto& open = stream.open_after_changes();
    if (split <= rollover) {
      const std::size_t position = scheduled_splits_.front().second;
      scheduled_splits_.pop_front();
      if (position < open.size()) {
        split_partition(stream, open[position].second, split);
      } else {
        warnings_.push_back("the partition split scheduled at " + std::to_string(split) + " s names partition " +
                            std::to_string(position) + ", but only " + std::to_string(open.size()) +
                            " were open then; it did not happen");
      }
      continue;
    }
    const std::size_t index = rollovers_due_.top().second;
    rollovers_due_.pop();
    const auto it = std::find_if(open.begin(), open.end(), [&](const auto& p) { return p.second == index; });
    if (it == open.end()) continue;  // split before its rollover
    ShardSetChange change;
    change.at_s = rollover;
    change.close.push_back(index);
    change.open.push_back({it->first, index, std::nullopt});
    const std::size_t child = stream.shard_count_after_changes();
    stream.schedule(std::move(change));
    meter_.carry_over(index, child);
    XBT_VERB("shard %zu rolls over at %.6f s: shard %zu takes its partition", index, rollover, child);
    ++rollovers_;
    rollovers_due_.push({rollover + params_.shard_rollover_s, child});
  }
}

void TablePartitions::advance(Stream& stream, double t) {
  if (t >= meter_.second_end()) {
    // The changes due by the end of the second, then the splits its writes call for, at its end.
    const double end = meter_.second_end();
    schedule_changes_through(stream, end);
    for (std::size_t index : meter_.end_second(t))
      if (stream.open_after_changes().size() < static_cast<std::size_t>(params_.max_partitions))
        split_partition(stream, index, end);
  }
  schedule_changes_through(stream, t);
}

}  // namespace shardsim
