#include "models/stream/stream.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "models/kinesis/kinesis_limits.hpp"

#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(kinesis, shardsim, "kinesis: shard set changes (reshards, on-demand growth)");
XBT_LOG_NEW_SUBCATEGORY(dynamodb, shardsim, "dynamodb: partition splits, shard rollovers");

namespace shardsim {
namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();
}

Stream::Stream(std::size_t shard_count, const ShardLimits& limits, double retention_s, const KeyTable& keys,
               EventSink& sink)
    : limits_(limits),
      next_change_s_(kNever), retention_s_(retention_s), keys_(keys), sink_(sink) {
  const auto layout = even_hash_key_layout(shard_count);
  shards_.reserve(shard_count);
  for (std::size_t i = 0; i < shard_count; ++i) {
    open_shard(layout[i], std::nullopt, std::nullopt, 0);
    open_after_changes_.push_back({layout[i], i});
  }
  next_index_after_changes_ = shard_count;
}

void Stream::open_shard(HashKeyRange range, std::optional<std::size_t> parent, std::optional<std::size_t> adjacent,
                        double at) {
  const std::size_t index = shards_.size();
  shards_.push_back(std::make_unique<Shard>(shard_id(index), range, limits_, at, parent, adjacent));
  const auto same = [](const HashKeyRange& a, const HashKeyRange& b) {
    return a.starting_hash_key == b.starting_hash_key && a.ending_hash_key == b.ending_hash_key;
  };
  if (table_ && parent && !adjacent && same(shards_[*parent]->hash_key_range(), range))  // a rollover
    shards_.back()->inherit_write_budget(*shards_[*parent]);
  reader_positions_.emplace_back(consumers_, 0);
  const auto by_start = [this](std::size_t a, std::size_t b) {
    return shards_[a]->hash_key_range().starting_hash_key < shards_[b]->hash_key_range().starting_hash_key;
  };
  open_.insert(std::upper_bound(open_.begin(), open_.end(), index, by_start), index);
  if (table_)
    XBT_CVERB(dynamodb, "shard %s opens at %.6f s", shards_.back()->id().c_str(), at);
  else
    XBT_VERB("shard %s opens at %.6f s", shards_.back()->id().c_str(), at);
  sink_.shard_opened(index, shards_.back()->id(), at);
}

void Stream::schedule(ShardSetChange change) {
  // Checked against the shard set as the changes scheduled before it leave it (open_after_changes_,
  // sorted by starting hash key).
  if (!scheduled_.empty() && change.at_s < scheduled_.back().at_s)
    throw std::invalid_argument("shard set changes must be scheduled in time order");
  std::vector<std::pair<HashKeyRange, std::size_t>> open = open_after_changes_;
  for (std::size_t closing : change.close) {
    const auto it = std::find_if(open.begin(), open.end(), [&](const auto& o) { return o.second == closing; });
    if (it == open.end())
      throw std::invalid_argument("shard " + shard_id(closing) + " is not open at " + std::to_string(change.at_s) + " s");
    open.erase(it);
  }
  std::size_t next = next_index_after_changes_;
  for (const auto& n : change.open) {
    for (const auto& parent : {n.parent, n.adjacent_parent})
      if (parent && std::find(change.close.begin(), change.close.end(), *parent) == change.close.end())
        throw std::invalid_argument("a new shard's parent " + shard_id(*parent) + " is not closed by the same change");
    const auto at = std::upper_bound(open.begin(), open.end(), n.range.starting_hash_key,
                                     [](HashKey start, const auto& o) { return start < o.first.starting_hash_key; });
    open.insert(at, {n.range, next++});
  }
  HashKey expected = 0;
  for (std::size_t k = 0; k < open.size(); ++k) {
    const HashKeyRange& r = open[k].first;
    if (r.starting_hash_key != expected || r.ending_hash_key < r.starting_hash_key)
      throw std::invalid_argument("the open shards' hash key ranges would not partition the hash key space");
    if (k + 1 < open.size()) expected = r.ending_hash_key + 1;
    else if (r.ending_hash_key != kMaxHashKey)
      throw std::invalid_argument("the open shards' hash key ranges would not cover the hash key space");
  }
  open_after_changes_ = std::move(open);
  next_index_after_changes_ = next;
  scheduled_.push_back(std::move(change));
  next_change_s_ = scheduled_.front().at_s;
  if (on_change_scheduled_) on_change_scheduled_();
}

void Stream::apply_changes_through(double t) {
  bool changed = false;
  while (!scheduled_.empty() && scheduled_.front().at_s <= t) {
    apply(scheduled_.front());
    scheduled_.pop_front();
    changed = true;
  }
  next_change_s_ = scheduled_.empty() ? kNever : scheduled_.front().at_s;
  if (changed) std::fill(shard_of_key_.begin(), shard_of_key_.end(), -1);  // keys move to the new shards
}

void Stream::scale_on_demand(const OnDemandParams& params) {
  on_demand_ = params;
  meter_.emplace(limits_.write_records_per_s, limits_.write_bytes_per_s);
}

void Stream::grow(std::size_t needed, double at) {
  // Traffic spread evenly over the hash key space loads a shard in proportion to its range, so
  // `needed` shards' capacity means no range wider than 1/needed of the space. One change per
  // round of splits (a shard splits at most once in a change), at most max_shards open.
  const auto width = [](const HashKeyRange& r) { return r.ending_hash_key - r.starting_hash_key; };
  const HashKey widest_allowed = kMaxHashKey / needed + needed;  // + rounding of uneven layouts
  const auto max_shards = static_cast<std::size_t>(on_demand_->max_shards);
  for (;;) {
    ShardSetChange change;
    change.at_s = at;
    for (const auto& [range, index] : open_after_changes_) {
      if (width(range) <= widest_allowed || open_after_changes_.size() + change.close.size() >= max_shards) continue;
      change.close.push_back(index);
      change.open.push_back({{range.starting_hash_key, range.middle() - 1}, index, std::nullopt});
      change.open.push_back({{range.middle(), range.ending_hash_key}, index, std::nullopt});
    }
    if (change.close.empty()) return;
    XBT_VERB("on demand: %zu shards needed from %.6f s; %zu split in the middle", needed, at, change.close.size());
    schedule(std::move(change));
  }
}

bool Stream::split_in_middle(std::size_t index, double at) {
  const auto it = std::find_if(open_after_changes_.begin(), open_after_changes_.end(), [&](const auto& p) { return p.second == index; });
  if (it == open_after_changes_.end()) return false;  // closed by then (split, or rolled over)
  const HashKeyRange range = it->first;
  if (range.ending_hash_key == range.starting_hash_key) return false;  // a single hash key cannot split
  ShardSetChange change;
  change.at_s = at;
  change.close.push_back(index);
  change.open.push_back({{range.starting_hash_key, range.middle() - 1}, index, std::nullopt});
  change.open.push_back({{range.middle(), range.ending_hash_key}, index, std::nullopt});
  schedule(std::move(change));
  return true;
}

void Stream::behave_as_table(const dynamodb::TableParams& params) {
  table_ = params;
  partition_meter_.emplace(params);
  for (const auto& [range, index] : open_after_changes_) rollovers_due_.push({params.shard_rollover_s, index});
}

void Stream::schedule_partition_split(double at_s, std::size_t position) {
  if (!scheduled_splits_.empty() && at_s < scheduled_splits_.back().first)
    throw std::invalid_argument("partition splits must be scheduled in time order");
  scheduled_splits_.push_back({at_s, position});
}

void Stream::split_partition(std::size_t index, double at) {
  const std::size_t first_child = next_index_after_changes_;
  if (!split_in_middle(index, at)) return;
  XBT_CVERB(dynamodb, "the partition of shard %zu splits at %.6f s", index, at);
  ++partition_splits_;
  for (std::size_t child = first_child; child < first_child + 2; ++child)
    rollovers_due_.push({at + table_->shard_rollover_s, child});
}

void Stream::schedule_table_changes_through(double t) {
  for (;;) {
    const double rollover = rollovers_due_.empty() ? kNever : rollovers_due_.top().first;
    const double split = scheduled_splits_.empty() ? kNever : scheduled_splits_.front().first;
    if (std::min(rollover, split) > t) return;
    if (split <= rollover) {
      const std::size_t position = scheduled_splits_.front().second;
      scheduled_splits_.pop_front();
      if (position < open_after_changes_.size()) {
        split_partition(open_after_changes_[position].second, split);
      } else {
        table_warnings_.push_back("the partition split scheduled at " + std::to_string(split) + " s names partition " +
                                  std::to_string(position) + ", but only " + std::to_string(open_after_changes_.size()) +
                                  " were open then; it did not happen");
      }
      continue;
    }
    const std::size_t index = rollovers_due_.top().second;
    rollovers_due_.pop();
    const auto it = std::find_if(open_after_changes_.begin(), open_after_changes_.end(), [&](const auto& p) { return p.second == index; });
    if (it == open_after_changes_.end()) continue;  // split before its rollover
    ShardSetChange change;
    change.at_s = rollover;
    change.close.push_back(index);
    change.open.push_back({it->first, index, std::nullopt});
    const std::size_t child = next_index_after_changes_;
    schedule(std::move(change));
    partition_meter_->carry_over(index, child);
    XBT_CVERB(dynamodb, "shard %zu rolls over at %.6f s: shard %zu takes its partition", index, rollover, child);
    ++rollovers_;
    rollovers_due_.push({rollover + table_->shard_rollover_s, child});
  }
}

void Stream::advance_table(double t) {
  if (t >= partition_meter_->second_end()) {
    // The changes due by the end of the second, then the splits its writes call for, at its end.
    const double end = partition_meter_->second_end();
    schedule_table_changes_through(end);
    for (std::size_t index : partition_meter_->end_second(t))
      if (open_after_changes_.size() < static_cast<std::size_t>(table_->max_partitions)) split_partition(index, end);
  }
  schedule_table_changes_through(t);
}

double Stream::open_shard_seconds(double from, double to) const {
  double total = 0;
  for (const auto& s : shards_) total += std::max(0.0, std::min(s->closed_s(), to) - std::max(s->opened_s(), from));
  return total;
}

void Stream::apply(const ShardSetChange& change) {
  for (std::size_t index : change.close) {
    if (table_)
      XBT_CVERB(dynamodb, "shard %s closes at %.6f s", shards_[index]->id().c_str(), change.at_s);
    else
      XBT_VERB("shard %s closes at %.6f s", shards_[index]->id().c_str(), change.at_s);
    shards_[index]->close(change.at_s);
    open_.erase(std::find(open_.begin(), open_.end(), index));
    sink_.shard_closed(index, change.at_s);
  }
  for (const auto& n : change.open) open_shard(n.range, n.parent, n.adjacent_parent, change.at_s);
}

std::size_t Stream::shard_for(KeyId key) {
  if (key >= shard_of_key_.size()) shard_of_key_.resize(std::max<std::size_t>(key + 1, keys_.size()), -1);
  std::int32_t& cached = shard_of_key_[key];
  if (cached < 0) cached = static_cast<std::int32_t>(shard_for_hash_key(keys_.hash_key(keys_.partition_key(key))));
  return static_cast<std::size_t>(cached);
}

std::size_t Stream::shard_for_hash_key(HashKey hash_key) const {
  // The open shards' ranges partition the space; open_ is sorted by their starts.
  auto it = std::upper_bound(open_.begin(), open_.end(), hash_key, [this](HashKey value, std::size_t s) {
    return value < shards_[s]->hash_key_range().starting_hash_key;
  });
  return *(it - 1);
}

bool Stream::put(Record record, const std::optional<HashKey>& explicit_hash_key) {
  if (table_) advance_table(record.arrival_s);
  // On-demand scale-ups due by now: scheduled once a put reaches their time, so that none comes
  // after production (the stream does not know when that ends until it has).
  while (!pending_scales_.empty() && pending_scales_.front().at_s <= record.arrival_s) {
    const PendingScale p = pending_scales_.front();
    pending_scales_.pop_front();
    if (open_after_changes_.size() >= static_cast<std::size_t>(on_demand_->max_shards)) continue;
    if (p.needed == 0) split_in_middle(p.hot_shard, std::max(p.at_s, horizon_));
    else if (p.needed > open_after_changes_.size()) grow(p.needed, std::max(p.at_s, horizon_));
  }
  if (record.arrival_s >= next_change_s_) apply_changes_through(record.arrival_s);
  const std::size_t index = explicit_hash_key ? shard_for_hash_key(*explicit_hash_key) : shard_for(record.key);
  Shard& s = *shards_[index];
  // A table's partition limit is in write units of 1 KB: the write counts as its whole kilobytes.
  std::uint32_t counted = record.bytes;
  if (table_) {
    const double units = dynamodb::write_units(record.bytes);
    partition_meter_->asked(index, units);
    counted = static_cast<std::uint32_t>(units * dynamodb::kWriteUnitBytes);
  }
  if (!s.admit(record.arrival_s, counted)) {
    sink_.record_put(record, index, false);
    return false;
  }
  ++unread_;
  bytes_written_ += record.bytes;
  if (table_) write_units_ += counted / static_cast<std::uint32_t>(dynamodb::kWriteUnitBytes);
  if (meter_) {
    const double due = record.arrival_s + on_demand_->scale_delay_s;
    if (record.arrival_s >= hot_second_end_) {  // a second of writes ended: its hot shards split later
      for (std::size_t s = 0; s < hot_bytes_.size(); ++s)
        if (hot_bytes_[s] > kinesis::kOnDemandHotShardBytesPerS) pending_scales_.push_back({due, 0, s});
      std::fill(hot_bytes_.begin(), hot_bytes_.end(), 0.0);
      hot_second_end_ = std::floor(record.arrival_s) + 1;
    }
    if (index >= hot_bytes_.size()) hot_bytes_.resize(index + 1, 0.0);
    hot_bytes_[index] += record.bytes;
    const std::size_t needed = meter_->written(record.arrival_s, record.bytes, open_.size());
    if (needed > 0) pending_scales_.push_back({due, needed, 0});
  }
  sink_.record_put(s.append(record), index, true);
  return true;
}

void Stream::set_horizon(double t) {
  if (table_) advance_table(t);
  if (t >= next_change_s_) apply_changes_through(t);
  horizon_ = t;
}

void Stream::set_production_complete() {
  production_complete_ = true;
  pending_scales_.clear();
  horizon_ = 1e300;
  if (on_change_scheduled_) on_change_scheduled_();
}

void Stream::register_readers(std::size_t consumers) {
  consumers_ = consumers;
  read_calls_.assign(consumers, 0);
  for (auto& positions : reader_positions_) positions.assign(consumers, 0);
}

void Stream::reader_advanced(std::size_t consumer, std::size_t shard, std::uint64_t position) {
  std::vector<std::uint64_t>& positions = reader_positions_[shard];
  positions[consumer] = position;
  const std::uint64_t slowest = *std::min_element(positions.begin(), positions.end());
  Shard& s = *shards_[shard];
  if (slowest > s.begin()) {
    unread_ -= slowest - s.begin();
    s.release_before(slowest);
  }
}

}  // namespace shardsim
