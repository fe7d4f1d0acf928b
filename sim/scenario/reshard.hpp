#pragma once
// The scenario's scheduled reshards (stream.reshard) translated into the stream's shard-set
// changes, checked against the shard set each one will meet: a split needs an open shard and a
// NewStartingHashKey inside its range above its start; a merge two open shards with adjoining
// ranges; operations come in time order; UpdateShardCount keeps to AWS's limits.
#include <string>
#include <utility>
#include <vector>

#include "models/stream/stream.hpp"
#include "sim/scenario/scenario.hpp"

namespace shardsim {

struct ReshardSchedule {
  std::vector<ShardSetChange> changes;
  std::vector<std::pair<std::size_t, std::string>> errors;    // (operation index, what is wrong)
  std::vector<std::pair<std::size_t, std::string>> warnings;  // beyond AWS's limits, allowed by what_if
};

// UpdateShardCount (UNIFORM_SCALING) is carried out as splits at each new boundary inside an
// open shard, then merges of the pieces between two boundaries, all at its time: each a split
// or merge AWS could do, so every new shard's parents are gated as usual.
ReshardSchedule schedule_reshards(const StreamConfig& stream, bool what_if);
// The two ways a stream's kind takes its reshard operations: a provisioned stream's splits, merges
// and UpdateShardCount, and a DynamoDB table's scheduled partition splits (checked before the run;
// the table applies them as it runs, among its own splits and rollovers).
ReshardSchedule schedule_shard_operations(const StreamConfig& stream, bool what_if);
ReshardSchedule schedule_partition_splits(const StreamConfig& stream);

// The shards open at time t (after the changes at t) of a provisioned stream: (index, range), by
// starting hash key.
std::vector<std::pair<std::size_t, HashKeyRange>> shards_open_at(const StreamConfig& stream, bool what_if, double t);

}  // namespace shardsim
