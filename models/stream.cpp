#include "models/stream.hpp"

#include <algorithm>

namespace shardsim {

Stream::Stream(std::size_t shard_count, double retention_s, const KeyTable& keys, EventSink& sink)
    : retention_s_(retention_s), keys_(keys), sink_(sink) {
  const auto layout = even_hash_key_layout(shard_count);
  shards_.reserve(shard_count);
  for (std::size_t i = 0; i < shard_count; ++i) shards_.emplace_back(shard_id(i), layout[i]);
}

std::size_t Stream::open_shard_count() const {
  return static_cast<std::size_t>(
      std::count_if(shards_.begin(), shards_.end(), [](const Shard& s) { return s.state() == Shard::State::open; }));
}

std::size_t Stream::shard_for(KeyId key) {
  if (key >= shard_of_key_.size()) shard_of_key_.resize(std::max<std::size_t>(key + 1, keys_.size()), -1);
  std::int32_t& cached = shard_of_key_[key];
  if (cached < 0) cached = static_cast<std::int32_t>(shard_for_hash_key(keys_.hash_key(key)));
  return static_cast<std::size_t>(cached);
}

std::size_t Stream::shard_for_hash_key(HashKey hash_key) const {
  // Open shards' ranges partition the space; with the even layout they are sorted by start.
  auto it = std::upper_bound(shards_.begin(), shards_.end(), hash_key, [](HashKey value, const Shard& s) {
    return value < s.hash_key_range().starting_hash_key;
  });
  return static_cast<std::size_t>((it - shards_.begin()) - 1);
}

bool Stream::put(Record record, const std::optional<HashKey>& explicit_hash_key) {
  const std::size_t index = explicit_hash_key ? shard_for_hash_key(*explicit_hash_key) : shard_for(record.key);
  Shard& s = shards_[index];
  if (!s.admit(record.arrival_s, record.bytes)) {
    sink_.record_put(record, index, false);
    return false;
  }
  ++unread_;
  sink_.record_put(s.append(record), index, true);
  return true;
}

void Stream::register_readers(std::size_t consumers) {
  reader_positions_.assign(consumers, std::vector<std::uint64_t>(shards_.size(), 0));
}

void Stream::reader_advanced(std::size_t consumer, std::size_t shard, std::uint64_t position) {
  reader_positions_[consumer][shard] = position;
  std::uint64_t slowest = position;
  for (const auto& positions : reader_positions_) slowest = std::min(slowest, positions[shard]);
  Shard& s = shards_[shard];
  if (slowest > s.begin()) {
    unread_ -= slowest - s.begin();
    s.release_before(slowest);
  }
}

}  // namespace shardsim
