#pragma once
// Apache Kafka (Amazon MSK or self-managed) as Lambda reads it: the numbers the model uses.
//   - A partition's writes are not capped the way a shard's are: a broker's limits depend on its
//     instance type, disks and replication, which the model does not have (none is enforced).
//   - Retention: the broker default retention.ms is 7 days.
//   - Lambda's Kafka mapping (Lambda developer guide, "All Amazon MSK event source configuration
//     parameters in Lambda"): BatchSize default 100, at most 10,000; MaximumBatchingWindowInSeconds
//     default 500 ms (0 … 300 s); records of a partition are read in order, one batch of a
//     partition in flight at a time (no ParallelizationFactor); a payload of at most 6 MB.
#include <cstdint>

namespace shardsim::kafka {

constexpr double kDefaultRetentionHours = 7 * 24;
constexpr std::int64_t kDefaultBatchSize = 100;
constexpr std::int64_t kMaxBatchSize = 10'000;
constexpr double kDefaultBatchingWindowS = 0.5;
constexpr double kMaxBatchingWindowS = 300;
// Event pollers: 5 MB/s each; provisioned mode's MinimumPollers 1 … 200 (default 1) and
// MaximumPollers 1 … 2,000 (default 200) ("Apache Kafka event poller scaling modes in Lambda").
constexpr double kPollerBytesPerS = 5e6;
constexpr std::int64_t kMaxMinimumPollers = 200;
constexpr std::int64_t kMaxMaximumPollers = 2000;
constexpr std::int64_t kDefaultMaximumPollers = 200;
constexpr double kPollerEvaluationS = 60;
constexpr double kOnDemandScaleDelayS = 180;
// A fetch returns what a GetRecords call would (10,000 records, 10 MB): Lambda does not document
// its Kafka consumer's fetch sizes, and its batches are cut from what was fetched.

}  // namespace shardsim::kafka
