#include "sim/reshard.hpp"

#include <algorithm>

namespace shardsim {

ReshardPlan plan_reshards(const StreamConfig& stream) {
  ReshardPlan plan;
  const auto layout = even_hash_key_layout(static_cast<std::size_t>(std::max<std::int64_t>(stream.shards, 1)));
  std::vector<std::pair<std::size_t, HashKeyRange>> open;  // (index, range) of the open shards
  for (std::size_t i = 0; i < layout.size(); ++i) open.push_back({i, layout[i]});
  std::size_t next = layout.size();
  double last = 0;
  const auto find = [&](std::int64_t index) {
    return std::find_if(open.begin(), open.end(), [&](const auto& o) { return static_cast<std::int64_t>(o.first) == index; });
  };
  const auto open_list = [&] {
    std::vector<std::size_t> ids;
    for (const auto& o : open) ids.push_back(o.first);
    std::sort(ids.begin(), ids.end());
    std::string out;
    for (std::size_t id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
    return out;
  };
  for (std::size_t i = 0; i < stream.reshard.size(); ++i) {
    const ReshardOperation& op = stream.reshard[i];
    if (op.at_s < last) {
      plan.errors.push_back({i, "at_s " + std::to_string(op.at_s) + " comes before the previous operation's; list them in time order"});
      continue;
    }
    last = op.at_s;
    const auto shard = find(op.shard);
    if (shard == open.end()) {
      plan.errors.push_back({i, "shard " + std::to_string(op.shard) + " is not open then (open: " + open_list() + ")"});
      continue;
    }
    ShardSetChange change;
    change.at_s = op.at_s;
    const std::size_t parent = shard->first;
    const HashKeyRange range = shard->second;
    if (op.type == ReshardOperation::Type::split) {
      HashKey at = range.starting_hash_key + (range.ending_hash_key - range.starting_hash_key) / 2 + 1;
      if (!op.new_starting_hash_key.empty()) {
        const auto parsed = parse_decimal_hash_key(op.new_starting_hash_key);
        if (!parsed || *parsed <= range.starting_hash_key || *parsed > range.ending_hash_key) {
          plan.errors.push_back({i, "new_starting_hash_key must be a decimal above " + to_decimal(range.starting_hash_key) +
                                        " and at most " + to_decimal(range.ending_hash_key) + " (shard " +
                                        std::to_string(parent) + "'s range)"});
          continue;
        }
        at = *parsed;
      }
      if (range.starting_hash_key == range.ending_hash_key) {
        plan.errors.push_back({i, "shard " + std::to_string(parent) + " holds a single hash key and cannot split"});
        continue;
      }
      change.close = {parent};
      change.open = {{{range.starting_hash_key, at - 1}, parent, std::nullopt}, {{at, range.ending_hash_key}, parent, std::nullopt}};
      open.erase(shard);
      open.push_back({next++, {range.starting_hash_key, at - 1}});
      open.push_back({next++, {at, range.ending_hash_key}});
    } else {
      const auto other = find(op.adjacent_shard);
      if (other == open.end() || other == shard) {
        plan.errors.push_back({i, "adjacent_shard " + std::to_string(op.adjacent_shard) + " is not another open shard (open: " +
                                      open_list() + ")"});
        continue;
      }
      const HashKeyRange b = other->second;
      const bool adjoins = (range.ending_hash_key != kMaxHashKey && range.ending_hash_key + 1 == b.starting_hash_key) ||
                           (b.ending_hash_key != kMaxHashKey && b.ending_hash_key + 1 == range.starting_hash_key);
      if (!adjoins) {
        plan.errors.push_back({i, "shards " + std::to_string(parent) + " and " + std::to_string(other->first) +
                                      " are not adjacent: MergeShards needs ranges that adjoin"});
        continue;
      }
      const std::size_t adjacent = other->first;
      const HashKeyRange merged{std::min(range.starting_hash_key, b.starting_hash_key),
                                std::max(range.ending_hash_key, b.ending_hash_key)};
      change.close = {parent, adjacent};
      change.open = {{merged, parent, adjacent}};
      open.erase(std::remove_if(open.begin(), open.end(), [&](const auto& o) { return o.first == parent || o.first == adjacent; }),
                 open.end());
      open.push_back({next++, merged});
    }
    plan.changes.push_back(std::move(change));
  }
  return plan;
}

}  // namespace shardsim
