#include "models/stream/stream.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(stream, shardsim, "stream: shards opened and closed");

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
  reader_positions_.emplace_back(consumers_, 0);
  kept_positions_.emplace_back(consumers_, 0);
  finished_.push_back(0);
  const auto by_start = [this](std::size_t a, std::size_t b) {
    return shards_[a]->hash_key_range().starting_hash_key < shards_[b]->hash_key_range().starting_hash_key;
  };
  if (partitioner_) open_.push_back(index);  // partitions in index order
  else open_.insert(std::upper_bound(open_.begin(), open_.end(), index, by_start), index);
  if (driver_) driver_->shard_opened(*this, index);
  XBT_VERB("shard %s opens at %.6f s", shards_.back()->id().c_str(), at);
  sink_.shard_opened(index, shards_.back()->id(), at);
}

void Stream::schedule(ShardSetChange change) {
  // Checked against the shard set as the changes scheduled before it leave it (open_after_changes_,
  // sorted by starting hash key).
  if (!scheduled_.empty() && change.at_s < scheduled_.back().at_s)
    throw std::invalid_argument("shard set changes must be scheduled in time order");
  if (partitioner_) {
    schedule_partitions(std::move(change));
    return;
  }
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

void Stream::schedule_partitions(ShardSetChange change) {
  if (!change.close.empty()) throw std::invalid_argument("a partitioned stream's shards never close");
  for (const auto& n : change.open) {
    if (n.parent || n.adjacent_parent) throw std::invalid_argument("a new partition has no parent");
    open_after_changes_.push_back({n.range, next_index_after_changes_++});
  }
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

double Stream::open_shard_seconds(double from, double to) const {
  double total = 0;
  for (const auto& s : shards_) total += std::max(0.0, std::min(s->closed_s(), to) - std::max(s->opened_s(), from));
  return total;
}

void Stream::apply(const ShardSetChange& change) {
  for (std::size_t index : change.close) {
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
  if (cached < 0)
    cached = static_cast<std::int32_t>(partitioner_ ? open_[partitioner_->partition(key, open_.size())]
                                                    : shard_for_hash_key(keys_.hash_key(keys_.partition_key(key))));
  return static_cast<std::size_t>(cached);
}

std::size_t Stream::shard_for_hash_key(HashKey hash_key) const {
  // The open shards' ranges partition the space; open_ is sorted by their starts.
  auto it = std::upper_bound(open_.begin(), open_.end(), hash_key, [this](HashKey value, std::size_t s) {
    return value < shards_[s]->hash_key_range().starting_hash_key;
  });
  return *(it - 1);
}

bool Stream::put(const Record& record, const std::optional<HashKey>& explicit_hash_key) {
  if (driver_) driver_->before_put(*this, record.arrival_s);
  if (record.arrival_s >= next_change_s_) apply_changes_through(record.arrival_s);
  const std::size_t index = explicit_hash_key                          ? shard_for_hash_key(*explicit_hash_key)
                            : partitioner_ && keys_.keyless(record.key) ? open_[partitioner_->keyless(record.key, record.bytes, open_.size())]
                                                                        : shard_for(record.key);
  Shard& s = *shards_[index];
  const std::uint32_t counted = driver_ ? driver_->counted_bytes(index, record.bytes) : record.bytes;
  if (!s.admit(record.arrival_s, counted)) {
    sink_.record_put(record, index, false);
    return false;
  }
  ++unread_;
  bytes_written_ += record.bytes;
  if (driver_) driver_->accepted(*this, record, index, counted);
  sink_.record_put(s.append(record), index, true);
  return true;
}

void Stream::set_horizon(double t) {
  if (driver_) driver_->horizon_reached(*this, t);
  if (t >= next_change_s_) apply_changes_through(t);
  horizon_ = t;
}

void Stream::set_production_complete() {
  production_complete_ = true;
  if (driver_) driver_->production_complete();
  horizon_ = 1e300;
  if (on_change_scheduled_) on_change_scheduled_();
}

void Stream::register_readers(std::size_t consumers) {
  consumers_ = consumers;
  read_calls_.assign(consumers, 0);
  for (auto& positions : reader_positions_) positions.assign(consumers, 0);
  for (auto& positions : kept_positions_) positions.assign(consumers, 0);
}

void Stream::reader_advanced(std::size_t consumer, std::size_t shard, std::uint64_t unfinished, std::uint64_t kept) {
  std::vector<std::uint64_t>& positions = reader_positions_[shard];
  std::vector<std::uint64_t>& kept_from = kept_positions_[shard];
  positions[consumer] = unfinished;
  kept_from[consumer] = kept;
  const std::uint64_t slowest = *std::min_element(positions.begin(), positions.end());
  if (slowest > finished_[shard]) {
    unread_ -= slowest - finished_[shard];
    finished_[shard] = slowest;
  }
  const std::uint64_t needed = *std::min_element(kept_from.begin(), kept_from.end());
  if (needed > shards_[shard]->begin()) shards_[shard]->release_before(needed);
}

}  // namespace shardsim
