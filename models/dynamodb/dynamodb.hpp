#pragma once
// A DynamoDB table's stream (DynamoDB developer guide, "Change data capture for DynamoDB
// Streams"; numbers in shared/aws-facts.md): one open shard per table partition. A partition
// serves at most 1,000 write units per second, a write of b bytes taking ⌈b / 1 KB⌉ units. A
// partition splits in two by hash range under sustained write pressure, and its shard closes
// with one child per new partition; a shard also rolls over on its own (closes, one child takes
// its range). GetRecords returns at most 1,000 records and 1 MB. AWS asks for no more than two
// simultaneous readers per shard and publishes no call rate: the model gives each shard the
// GetRecords calls of that many Lambda pollers (4 per second each), shared fairly (an equal
// share per reader: a deterministic bucket shared first-come would starve one reader).
//
// Undocumented, so the model's choices (each a scenario field): when a partition splits (asked
// for at least split_threshold_wcu in each of split_after_s consecutive seconds of put time,
// throttled attempts included, the split takes effect at the end of that second), and the
// rollover period. DynamoDB's partition hash is undocumented: the model routes an item by the
// MD5 of its partition key over the partitions' ranges, as Kinesis does.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/core/shard.hpp"

namespace shardsim::dynamodb {

constexpr double kWriteUnitsPerPartitionPerS = 1000;
constexpr double kWriteUnitBytes = 1024;
constexpr double kLambdaPollsPerShardPerS = 4;
constexpr std::int64_t kMaxRecordsPerGetRecords = 1000;
constexpr std::uint64_t kMaxBytesPerGetRecords = 1024 * 1024;
constexpr std::uint64_t kMaxItemBytes = 400 * 1024;
constexpr double kRetentionS = 24 * 3600;

// Write units of one item write: ⌈bytes / 1 KB⌉, at least 1.
inline double write_units(std::uint32_t bytes) { return std::max(1.0, std::ceil(bytes / kWriteUnitBytes)); }

// The write limit as a byte bucket over whole kilobytes (1,000 units × 1 KB per second). Reads
// are limited per reader (reader_calls_per_s), not by the shard.
inline ShardLimits shard_limits(double write_burst_s) {
  constexpr double kUnlimited = 1e18;  // ≥ ShardLimits::kUnlimited: no limit
  return {kUnlimited, kWriteUnitsPerPartitionPerS * kWriteUnitBytes, write_burst_s, kUnlimited, kUnlimited};
}

// A shard serves max_readers Lambda pollers' calls (4 per second each), shared fairly by its
// `readers`: each gets an equal share, so up to max_readers Lambda pollers are never throttled
// and each beyond takes its share from all of them.
inline double reader_calls_per_s(std::int64_t max_readers, std::size_t readers) {
  const double served = kLambdaPollsPerShardPerS * static_cast<double>(max_readers);
  return served / std::max(static_cast<double>(max_readers), static_cast<double>(readers));
}

struct TableParams {
  double split_threshold_wcu = 1000;  // write units per second asked of a partition …
  double split_after_s = 300;         // … in this many consecutive seconds: it splits
  std::int64_t max_partitions = 1024; // no split beyond this many open partitions
  double shard_rollover_s = 14400;    // a shard closes with one child after this long open
};

// Meters the write units asked of each partition per second of put time (writes come in time
// order). A partition is known by its open shard's index; a rollover carries it to the child.
class PartitionMeter {
public:
  explicit PartitionMeter(const TableParams& p)
      : threshold_(p.split_threshold_wcu), seconds_(static_cast<std::uint32_t>(std::max(1.0, std::ceil(p.split_after_s - 1e-9)))) {}
  // The end of the second being metered.
  double second_end() const { return second_end_; }
  void asked(std::size_t shard, double units) {
    if (shard >= asked_.size()) {
      asked_.resize(shard + 1, 0);
      streak_.resize(shard + 1, 0);
    }
    asked_[shard] += units;
  }
  // A shard rolled over into `to`: its partition is the same, and so are its metering and streak.
  void carry_over(std::size_t from, std::size_t to) {
    asked(to, 0);
    if (from >= asked_.size()) return;
    asked_[to] += asked_[from];
    streak_[to] = streak_[from];
    asked_[from] = 0;
    streak_[from] = 0;
  }
  // Ends the metered second (the next write or the horizon is at t ≥ second_end()); returns the
  // shards asked for at least the threshold in each of the last split_after_s seconds, whose
  // streak starts again from zero. A second without enough writes ends a streak.
  std::vector<std::size_t> end_second(double t) {
    std::vector<std::size_t> due;
    const double next = std::floor(t) + 1;
    const bool idle_seconds_follow = next > second_end_ + 1;
    for (std::size_t shard = 0; shard < asked_.size(); ++shard) {
      streak_[shard] = asked_[shard] >= threshold_ ? streak_[shard] + 1 : 0;
      if (streak_[shard] >= seconds_) {
        due.push_back(shard);
        streak_[shard] = 0;
      }
      if (idle_seconds_follow) streak_[shard] = 0;
      asked_[shard] = 0;
    }
    second_end_ = next;
    return due;
  }

private:
  double threshold_;
  std::uint32_t seconds_;
  double second_end_ = 1;
  std::vector<double> asked_;
  std::vector<std::uint32_t> streak_;
};

}  // namespace shardsim::dynamodb
