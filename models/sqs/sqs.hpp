#pragma once
// Amazon SQS quotas and Lambda's SQS polling numbers the model uses. Sources: SQS developer
// guide ("Amazon SQS message quotas", "Troubleshoot FIFO throttling issues", "Amazon SQS
// pricing"); Lambda developer guide ("Configuring scaling behavior for SQS event source
// mappings"). The queue's messages wait in the stream's single shard, in send order; its send
// limit is that shard's write limit.
#include <cstdint>

#include "models/core/shard.hpp"

namespace shardsim::sqs {

// FIFO: 300 transactions per second per API action (SendMessage, ReceiveMessage, DeleteMessage),
// 3,000 messages per second with batches of 10; high-throughput mode: 70,000 per second in the
// largest regions (us-east-1, us-west-2, eu-west-1). Standard queues: nearly unlimited.
constexpr double kFifoCallsPerS = 300;
constexpr double kFifoHighThroughputCallsPerS = 70'000;
constexpr std::int64_t kMaxMessagesPerCall = 10;   // ReceiveMessage, SendMessageBatch, DeleteMessageBatch
constexpr std::uint64_t kRequestChunkBytes = 64 * 1024;  // each 64 KB chunk of a payload is billed as a request
constexpr double kUnlimited = ShardLimits::kUnlimited;

// Lambda on a standard queue: five concurrent batches when messages appear, up to 300 more per
// minute while messages remain, at most 1,000 per mapping (a 2023 AWS blog says 1,250).
constexpr double kLambdaInitialBatches = 5;
constexpr double kLambdaBatchesAddedPerS = 300.0 / 60;
constexpr std::int64_t kLambdaMaxBatches = 1000;
// Provisioned mode (AWS News Blog, "AWS Lambda enhances event processing with provisioned mode
// for SQS event-source mapping", 2025; ProvisionedPollerConfig): MinimumPollers 2 … 200
// (default 2), MaximumPollers up to 2,000 (default 200); each event poller runs up to 10
// concurrent invocations; the mapping scales by up to 1,000 concurrent invocations per minute,
// to at most 20,000.
constexpr std::int64_t kProvisionedBatchesPerPoller = 10;
constexpr double kProvisionedBatchesAddedPerS = 1000.0 / 60;
constexpr std::int64_t kProvisionedMaxBatches = 20'000;
constexpr std::int64_t kMinimumPollers = 2;

// The queue's send limit as a shard's write limit: messages per second (no byte limit).
inline ShardLimits send_limits(bool fifo, std::int64_t send_batch_size, bool high_throughput, double burst_s) {
  const double calls = high_throughput ? kFifoHighThroughputCallsPerS : kFifoCallsPerS;
  const double messages = fifo ? calls * static_cast<double>(send_batch_size) : kUnlimited;
  return {messages, kUnlimited, fifo ? burst_s : 1, kUnlimited, kUnlimited};
}

}  // namespace shardsim::sqs
