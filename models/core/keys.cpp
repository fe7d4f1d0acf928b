#include "models/core/keys.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace shardsim {

const char* to_string(KeySpec::Type type) {
  switch (type) {
    case KeySpec::Type::uniform: return "uniform";
    case KeySpec::Type::zipf: return "zipf";
    case KeySpec::Type::hot: return "hot";
    case KeySpec::Type::unique: return "unique";
    case KeySpec::Type::sequence: return "sequence";
    case KeySpec::Type::none: return "none";
  }
  return "?";
}

const std::vector<std::string>& key_type_names() {
  static const std::vector<std::string> names{"uniform", "zipf", "hot", "unique", "sequence", "none"};
  return names;
}

void KeyTable::reserve(std::size_t more) { grow_index(name_starts_.size() + more); }

// Room for `keys` names at a load of at most a half (a power of two of slots).
void KeyTable::grow_index(std::size_t keys) {
  std::size_t slots = std::max<std::size_t>(index_.size(), 64);
  while (slots < 2 * keys) slots *= 2;
  if (slots == index_.size()) return;
  LargeVector<Slot> old(slots, Slot{kFree, 0});
  old.swap(index_);
  const std::size_t mask = slots - 1;
  for (const Slot& s : old) {
    if (s.id == kFree) continue;
    const std::uint64_t hash = std::hash<std::string_view>{}(partition_name(entries_[s.id].partition));
    std::size_t i = hash & mask;
    while (index_[i].id != kFree) i = (i + 1) & mask;
    index_[i] = s;
  }
}

KeyId KeyTable::intern(const std::string& partition_key) {
  if (2 * (name_starts_.size() + 1) > index_.size()) grow_index(name_starts_.size() + 1);
  const std::uint64_t hash = std::hash<std::string_view>{}(partition_key);
  const auto high = static_cast<std::uint32_t>(hash >> 32);
  const std::size_t mask = index_.size() - 1;
  std::size_t i = hash & mask;
  for (; index_[i].id != kFree; i = (i + 1) & mask)
    if (index_[i].hash_high == high && partition_name(entries_[index_[i].id].partition) == partition_key)
      return index_[i].id;
  const auto id = static_cast<KeyId>(entries_.size());
  index_[i] = {id, high};
  entries_.push_back({static_cast<std::uint32_t>(name_starts_.size()), kNoSort});
  name_starts_.push_back(name_text_.size());
  name_text_ += partition_key;
  hashes_.push_back(md5_hash_key(partition_key));
  return id;
}

KeyId KeyTable::add_keyless() {
  const auto id = static_cast<KeyId>(entries_.size());
  entries_.push_back({id, kKeyless});
  hashes_.push_back(0);
  return id;
}

std::uint32_t KeyTable::sort_key(const std::string& name) {
  auto [it, inserted] = sort_ids_.try_emplace(name, static_cast<std::uint32_t>(sort_names_.size()));
  if (inserted) sort_names_.push_back(name);
  return it->second;
}

KeyId KeyTable::add_item(KeyId partition_key, std::uint32_t sort) {
  const auto id = static_cast<KeyId>(entries_.size());
  entries_.push_back({partition_key, sort});
  hashes_.push_back(md5_hash_key(std::string(partition_name(entries_[partition_key].partition)) + "#" + sort_names_[sort]));
  return id;
}

KeyGenerator::KeyGenerator(const KeySpec& spec, KeyTable& table) : spec_(spec), table_(table) {
  if (spec.type == KeySpec::Type::none) keyless_ = table.add_keyless();
  if (spec.type == KeySpec::Type::uniform || spec.type == KeySpec::Type::zipf ||
      spec.type == KeySpec::Type::hot) {
    index_to_key_.assign(static_cast<std::size_t>(spec.count), Key{kUnassignedKey, 0});
    // Most of a uniform key space is drawn within a run (a skewed one may not be); at most 8 MiB
    // of the index's buckets are set aside ahead.
    if (spec.type == KeySpec::Type::uniform) table.reserve(std::min<std::size_t>(index_to_key_.size(), std::size_t{1} << 20));
  }
  if (spec.type == KeySpec::Type::zipf) {
    const auto n = static_cast<std::size_t>(spec.count);
    std::vector<double> scaled(n);  // P(rank) × n: 1 for every rank if all were equally likely
    double total = 0;
    for (std::size_t r = 0; r < n; ++r) total += scaled[r] = 1.0 / std::pow(static_cast<double>(r + 1), spec.exponent);
    for (double& p : scaled) p *= static_cast<double>(n) / total;
    zipf_alias_.resize(n);
    std::vector<std::size_t> small, large;  // ranks below and above 1
    for (std::size_t r = 0; r < n; ++r) (scaled[r] < 1 ? small : large).push_back(r);
    while (!small.empty() && !large.empty()) {
      const std::size_t s = small.back(), l = large.back();
      small.pop_back();
      large.pop_back();
      zipf_alias_[s] = {scaled[s], l};  // s's column: s with its own share, the rest l's
      scaled[l] = (scaled[l] + scaled[s]) - 1;
      (scaled[l] < 1 ? small : large).push_back(l);
    }
    for (std::size_t r : small) zipf_alias_[r] = {1, r};  // rounding leftovers: exactly 1
    for (std::size_t r : large) zipf_alias_[r] = {1, r};
  }
}

KeyGenerator::Key KeyGenerator::resolve_first(std::uint64_t drawn) {
  if (!indexed()) {
    const auto id = static_cast<KeyId>(drawn);
    return {id, static_cast<std::uint32_t>(table_.name_length(id))};
  }
  Key& key = index_to_key_[drawn];
  if (key.id == kUnassignedKey) {
    key.id = table_.intern(spec_.prefix + std::to_string(drawn));
    key.name_bytes = static_cast<std::uint32_t>(table_.name_length(key.id));
  }
  return key;
}

std::uint64_t KeyGenerator::draw_other(Rng& rng) {
  const auto count = static_cast<std::uint64_t>(spec_.count);
  switch (spec_.type) {
    case KeySpec::Type::uniform: return rng.below(count);
    case KeySpec::Type::zipf: {
      const double u = zipf_uniform(rng);
      const std::size_t column = zipf_column(u);
      const Alias& a = zipf_alias_[column];
      return u * static_cast<double>(count) - static_cast<double>(column) < a.keep ? column : a.alias;
    }
    case KeySpec::Type::hot: {
      const auto hot = static_cast<std::uint64_t>(spec_.hot_keys);
      if (rng.uniform01() < spec_.hot_fraction || hot == count) return rng.below(hot);
      return hot + rng.below(count - hot);
    }
    case KeySpec::Type::unique: return table_.intern(spec_.prefix + std::to_string(position_++));
    case KeySpec::Type::sequence: {
      const auto& v = spec_.values;
      return table_.intern(v[position_++ % v.size()]);
    }
    case KeySpec::Type::none: return keyless_;
  }
  return 0;
}

double KeyGenerator::zipf_uniform(Rng& rng) {
  const auto prefetch = [this](double u) { __builtin_prefetch(&zipf_alias_[zipf_column(u)]); };
  if (!zipf_started_) {
    for (double& u : zipf_ahead_) prefetch(u = rng.uniform01());
    zipf_started_ = true;
  }
  const double u = zipf_ahead_[zipf_next_];
  prefetch(zipf_ahead_[zipf_next_] = rng.uniform01());
  zipf_next_ = (zipf_next_ + 1) % kZipfLead;
  return u;
}

bool KeyGenerator::exhausted() const {
  return spec_.type == KeySpec::Type::sequence && !spec_.repeat && position_ >= spec_.values.size();
}

}  // namespace shardsim
