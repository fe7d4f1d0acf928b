#pragma once
// The scenario's scheduled reshards (stream.reshard) translated into the stream's shard-set
// changes, checked against the shard set each one will meet: a split needs an open shard and a
// NewStartingHashKey inside its range above its start; a merge two open shards with adjoining
// ranges; operations come in time order.
#include <string>
#include <utility>
#include <vector>

#include "models/stream.hpp"
#include "sim/scenario.hpp"

namespace shardsim {

struct ReshardPlan {
  std::vector<ShardSetChange> changes;
  std::vector<std::pair<std::size_t, std::string>> errors;  // (operation index, what is wrong)
};

ReshardPlan plan_reshards(const StreamConfig& stream);

}  // namespace shardsim
