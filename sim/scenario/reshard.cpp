#include "sim/scenario/reshard.hpp"

#include "sim/scenario/scenario_kind.hpp"

#include <algorithm>

namespace shardsim {

namespace {

// The open shards as the operations so far leave them, and the changes that got them there.
struct ShardSet {
  std::vector<std::pair<std::size_t, HashKeyRange>> open;  // (index, range)
  std::size_t next = 0;
  std::vector<ShardSetChange> changes;

  auto find(std::int64_t index) {
    return std::find_if(open.begin(), open.end(), [&](const auto& o) { return static_cast<std::int64_t>(o.first) == index; });
  }
  std::string list() const {
    std::vector<std::size_t> ids;
    for (const auto& o : open) ids.push_back(o.first);
    std::sort(ids.begin(), ids.end());
    std::string out;
    for (std::size_t id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
    return out;
  }
  // SplitShard of open shard `parent` at `at` (start < at ≤ end); returns the children's indices.
  std::pair<std::size_t, std::size_t> split(std::size_t parent, HashKey at, double when) {
    const auto it = find(static_cast<std::int64_t>(parent));
    const HashKeyRange range = it->second;
    open.erase(it);
    ShardSetChange change;
    change.at_s = when;
    change.close = {parent};
    change.open = {{{range.starting_hash_key, at - 1}, parent, std::nullopt}, {{at, range.ending_hash_key}, parent, std::nullopt}};
    changes.push_back(std::move(change));
    open.push_back({next++, {range.starting_hash_key, at - 1}});
    open.push_back({next++, {at, range.ending_hash_key}});
    return {next - 2, next - 1};
  }
  // MergeShards of two open shards with adjoining ranges; returns the child's index.
  std::size_t merge(std::size_t a, std::size_t b, double when) {
    const HashKeyRange ra = find(static_cast<std::int64_t>(a))->second, rb = find(static_cast<std::int64_t>(b))->second;
    const HashKeyRange merged{std::min(ra.starting_hash_key, rb.starting_hash_key), std::max(ra.ending_hash_key, rb.ending_hash_key)};
    open.erase(std::remove_if(open.begin(), open.end(), [&](const auto& o) { return o.first == a || o.first == b; }), open.end());
    ShardSetChange change;
    change.at_s = when;
    change.close = {a, b};
    change.open = {{merged, a, b}};
    changes.push_back(std::move(change));
    open.push_back({next++, merged});
    return next - 1;
  }
  // UpdateShardCount with UNIFORM_SCALING: split every open shard at each boundary of the even
  // layout of `target` shards that falls inside it, then merge the pieces between two boundaries.
  // Boundaries closer than `target` hash keys to an existing one are the same boundary (the two
  // even layouts round differently): doubling is one split per shard, halving one merge per pair.
  void update_shard_count(std::size_t target, double when) {
    const auto layout = even_hash_key_layout(target);
    const HashKey tolerance = target + open.size();
    const auto near = [&](HashKey a, HashKey b) { return (a > b ? a - b : b - a) <= tolerance; };
    std::sort(open.begin(), open.end(), [](const auto& x, const auto& y) { return x.second.starting_hash_key < y.second.starting_hash_key; });
    const auto shards = open;
    for (const auto& [index, range] : shards) {
      std::size_t piece = index;
      for (std::size_t k = 1; k < layout.size(); ++k) {
        const HashKey boundary = layout[k].starting_hash_key;
        if (boundary > range.starting_hash_key && boundary <= range.ending_hash_key &&
            !near(boundary, range.starting_hash_key) && !near(boundary - 1, range.ending_hash_key))
          piece = split(piece, boundary, when).second;
      }
    }
    for (const auto& target_range : layout) {
      std::vector<std::pair<std::size_t, HashKeyRange>> inside;
      for (const auto& o : open) {
        const bool starts_in = o.second.starting_hash_key >= target_range.starting_hash_key ||
                               near(o.second.starting_hash_key, target_range.starting_hash_key);
        const bool ends_in = o.second.ending_hash_key <= target_range.ending_hash_key ||
                             near(o.second.ending_hash_key, target_range.ending_hash_key);
        if (starts_in && ends_in) inside.push_back(o);
      }
      std::sort(inside.begin(), inside.end(), [](const auto& x, const auto& y) { return x.second.starting_hash_key < y.second.starting_hash_key; });
      if (inside.empty()) continue;
      std::size_t piece = inside[0].first;
      for (std::size_t i = 1; i < inside.size(); ++i) piece = merge(piece, inside[i].first, when);
    }
  }
};

}  // namespace

// A table's scheduled partition splits: the stream applies them as it runs (TablePartitions::
// schedule_partition_split), among its own splits and rollovers, so only what can be known
// before is checked: splits only, in time order, naming a partition that is sure to exist (the
// table starts with `partitions` and never merges, so at least that many plus the earlier
// scheduled splits are open).
ReshardSchedule schedule_partition_splits(const StreamConfig& stream) {
  ReshardSchedule schedule;
  double last = 0;
  std::int64_t open = stream.table.partitions;
  for (std::size_t i = 0; i < stream.reshard.size(); ++i) {
    const ReshardOperation& op = stream.reshard[i];
    if (op.type != ReshardOperation::Type::split) {
      schedule.errors.push_back({i, "a DynamoDB table's partitions only split (never merge), and the stream follows; use "
                                "type \"split\""});
      continue;
    }
    if (!op.new_starting_hash_key.empty()) {
      schedule.errors.push_back({i, "new_starting_hash_key is Kinesis's SplitShard; a partition splits in the middle"});
      continue;
    }
    if (op.at_s < last) {
      schedule.errors.push_back({i, "at_s " + std::to_string(op.at_s) + " comes before the previous operation's; list them in time order"});
      continue;
    }
    last = op.at_s;
    if (op.shard >= open) {
      schedule.errors.push_back({i, "shard " + std::to_string(op.shard) + ": on DynamoDB, the partition's position among those "
                                "open then (0 = lowest hash range); only " + std::to_string(open) + " are sure to be open"});
      continue;
    }
    ++open;
  }
  return schedule;
}

ReshardSchedule schedule_reshards(const StreamConfig& stream, bool what_if) {
  return scenario_stream_kind(stream.type).reshards(stream, what_if);
}

ReshardSchedule schedule_shard_operations(const StreamConfig& stream, bool what_if) {
  ReshardSchedule schedule;
  ShardSet set;
  const auto layout = even_hash_key_layout(static_cast<std::size_t>(std::max<std::int64_t>(stream.shards, 1)));
  for (std::size_t i = 0; i < layout.size(); ++i) set.open.push_back({i, layout[i]});
  set.next = layout.size();
  double last = 0;
  std::vector<double> scaling_calls;  // times of UpdateShardCount calls
  for (std::size_t i = 0; i < stream.reshard.size(); ++i) {
    const ReshardOperation& op = stream.reshard[i];
    if (op.at_s < last) {
      schedule.errors.push_back({i, "at_s " + std::to_string(op.at_s) + " comes before the previous operation's; list them in time order"});
      continue;
    }
    last = op.at_s;
    if (op.type == ReshardOperation::Type::update_shard_count) {
      const auto open_count = static_cast<std::int64_t>(set.open.size());
      std::string beyond;
      if (2 * op.target_shard_count < open_count || op.target_shard_count > 2 * open_count)
        beyond = "target_shard_count " + std::to_string(op.target_shard_count) + " is not between ½× and 2× the " +
                 std::to_string(open_count) + " open shards";
      else if (op.target_shard_count > 10000)
        beyond = "target_shard_count " + std::to_string(op.target_shard_count) + " is above 10,000 shards";
      scaling_calls.push_back(op.at_s);
      const auto in_a_day = std::count_if(scaling_calls.begin(), scaling_calls.end(), [&](double t) { return t > op.at_s - 86400; });
      if (beyond.empty() && in_a_day > 10) beyond = "more than 10 UpdateShardCount calls in 24 h";
      if (!beyond.empty()) {
        if (!what_if) {
          schedule.errors.push_back({i, beyond + " (AWS's limit; what_if: true allows it)"});
          continue;
        }
        schedule.warnings.push_back({i, beyond + ": beyond AWS's limits, allowed because what_if is true"});
      }
      set.update_shard_count(static_cast<std::size_t>(op.target_shard_count), op.at_s);
      continue;
    }
    const auto shard = set.find(op.shard);
    if (shard == set.open.end()) {
      schedule.errors.push_back({i, "shard " + std::to_string(op.shard) + " is not open then (open: " + set.list() + ")"});
      continue;
    }
    const std::size_t parent = shard->first;
    const HashKeyRange range = shard->second;
    if (op.type == ReshardOperation::Type::split) {
      if (range.starting_hash_key == range.ending_hash_key) {
        schedule.errors.push_back({i, "shard " + std::to_string(parent) + " holds a single hash key and cannot split"});
        continue;
      }
      HashKey at = range.middle();
      if (!op.new_starting_hash_key.empty()) {
        const auto parsed = parse_decimal_hash_key(op.new_starting_hash_key);
        if (!parsed || *parsed <= range.starting_hash_key || *parsed > range.ending_hash_key) {
          schedule.errors.push_back({i, "new_starting_hash_key must be a decimal above " + to_decimal(range.starting_hash_key) +
                                        " and at most " + to_decimal(range.ending_hash_key) + " (shard " +
                                        std::to_string(parent) + "'s range)"});
          continue;
        }
        at = *parsed;
      }
      set.split(parent, at, op.at_s);
    } else {
      const auto other = set.find(op.adjacent_shard);
      if (other == set.open.end() || other == shard) {
        schedule.errors.push_back({i, "adjacent_shard " + std::to_string(op.adjacent_shard) + " is not another open shard (open: " +
                                      set.list() + ")"});
        continue;
      }
      const HashKeyRange b = other->second;
      const bool adjoins = (range.ending_hash_key != kMaxHashKey && range.ending_hash_key + 1 == b.starting_hash_key) ||
                           (b.ending_hash_key != kMaxHashKey && b.ending_hash_key + 1 == range.starting_hash_key);
      if (!adjoins) {
        schedule.errors.push_back({i, "shards " + std::to_string(parent) + " and " + std::to_string(other->first) +
                                      " are not adjacent: MergeShards needs ranges that adjoin"});
        continue;
      }
      set.merge(parent, other->first, op.at_s);
    }
  }
  schedule.changes = std::move(set.changes);
  return schedule;
}

std::vector<std::pair<std::size_t, HashKeyRange>> shards_open_at(const StreamConfig& stream, bool what_if, double t) {
  const auto layout = even_hash_key_layout(static_cast<std::size_t>(std::max<std::int64_t>(stream.shards, 1)));
  std::vector<std::pair<std::size_t, HashKeyRange>> open;
  for (std::size_t i = 0; i < layout.size(); ++i) open.push_back({i, layout[i]});
  std::size_t next = layout.size();
  for (const auto& change : schedule_reshards(stream, what_if).changes) {
    if (change.at_s > t) break;
    for (std::size_t closing : change.close)
      open.erase(std::find_if(open.begin(), open.end(), [&](const auto& o) { return o.first == closing; }));
    for (const auto& n : change.open) open.push_back({next++, n.range});
  }
  std::sort(open.begin(), open.end(), [](const auto& a, const auto& b) { return a.second.starting_hash_key < b.second.starting_hash_key; });
  return open;
}

}  // namespace shardsim
