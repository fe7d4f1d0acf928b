#pragma once
// Kinesis Data Streams quotas the model enforces (Kinesis developer guide, "Quotas and limits";
// Lambda developer guide for the 6 MB payload). Numbers in bytes are MiB as AWS counts them.
#include <cstdint>

#include "models/core/shard.hpp"

namespace shardsim::kinesis {

constexpr double kWriteRecordsPerShardPerS = 1000;
constexpr double kWriteBytesPerShardPerS = 1024 * 1024;
constexpr double kGetRecordsCallsPerShardPerS = 5;
constexpr double kReadBytesPerShardPerS = 2 * 1024 * 1024;
constexpr std::int64_t kMaxRecordsPerGetRecords = 10'000;
constexpr std::uint64_t kMaxBytesPerGetRecords = 10ull * 1024 * 1024;
constexpr std::uint64_t kMaxRecordDataBytes = 1024 * 1024;
constexpr std::uint64_t kMaxLambdaPayloadBytes = 6ull * 1024 * 1024;
// On-demand mode: a shard taking more than 500 KB/s of writes is split within 15 minutes
// (Kinesis developer guide, "Choose the data stream capacity mode"; hot keys are not isolated).
constexpr double kOnDemandHotShardBytesPerS = 500 * 1024;

// AWS states the rates, not a burst: write_burst_s is the scenario's (stream.write_burst_s).
inline ShardLimits shard_limits(double write_burst_s = 1) {
  return {kWriteRecordsPerShardPerS, kWriteBytesPerShardPerS, write_burst_s, kGetRecordsCallsPerShardPerS,
          kReadBytesPerShardPerS};
}

}  // namespace shardsim::kinesis
