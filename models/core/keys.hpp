#pragma once
// Partition keys: which key each record carries (KeySpec, KeyGenerator) and the interned table
// of distinct keys (KeyTable). A key is hashed once, when first seen; records carry its dense id.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/base/huge_pages.hpp"
#include "models/base/rng.hpp"
#include "models/core/hash_key.hpp"

namespace shardsim {

using KeyId = std::uint32_t;

struct KeySpec {
  enum class Type { uniform, zipf, hot, unique, sequence, none };  // none: records without a key (Kafka)
  Type type = Type::uniform;
  std::int64_t count = 100;        // uniform, zipf, hot: number of distinct keys
  double exponent = 1.0;           // zipf: P(rank r) ∝ 1 / r^exponent
  std::int64_t hot_keys = 1;       // hot: how many keys are hot
  double hot_fraction = 0.5;       // hot: share of traffic on the hot keys
  std::vector<std::string> values; // sequence: the keys in order
  bool repeat = false;             // sequence: start over after the last value
  std::string prefix = "key-";     // uniform, zipf, hot, unique: key i is prefix + i
};

const char* to_string(KeySpec::Type type);
const std::vector<std::string>& key_type_names();

// Keys by dense id: partition keys, and on DynamoDB the items (a partition key and a sort key),
// which keep order apart from the other items of their partition key. An item is routed by its
// partition key's hash key; its own hash key (MD5 of "partition#sort") spreads items over lanes.
// An item costs 24 bytes (its hash key and what it is made of); its name is built when asked for.
class KeyTable {
public:
  static constexpr std::uint32_t kNoSort = 0xffffffffu;
  KeyId intern(const std::string& partition_key);
  // Room in the name index for `more` keys than it holds, so it does not rehash step by step.
  void reserve(std::size_t more);
  // A new key standing for "no key" (a Kafka producer's records without one): each keyless
  // producer has its own, routed by that producer's sticky partitioner, never ordered. Its name
  // is "(no key)" and it adds no bytes to a record.
  KeyId add_keyless();
  bool keyless(KeyId id) const { return entries_[id].sort == kKeyless; }
  // A sort key's number (interned once per distinct name).
  std::uint32_t sort_key(const std::string& name);
  // A new item of `partition_key` and sort key number `sort`; the caller asks once per item.
  KeyId add_item(KeyId partition_key, std::uint32_t sort);
  std::string name(KeyId id) const {
    const Entry& e = entries_[id];
    if (e.sort == kNoSort) return std::string(partition_name(e.partition));
    if (e.sort == kKeyless) return "(no key)";
    return std::string(partition_name(entries_[e.partition].partition)) + "#" + sort_names_[e.sort];
  }
  // The length of name(id), without building it.
  std::size_t name_length(KeyId id) const {
    const Entry& e = entries_[id];
    if (e.sort == kNoSort) return partition_name(e.partition).size();
    if (e.sort == kKeyless) return 0;
    return partition_name(entries_[e.partition].partition).size() + 1 + sort_names_[e.sort].size();
  }
  HashKey hash_key(KeyId id) const { return hashes_[id]; }
  // The partition key of an item (a partition key's is itself): what routes it to a shard.
  KeyId partition_key(KeyId id) const { return entries_[id].sort >= kKeyless ? id : entries_[id].partition; }
  // A hint that hash_key(id) comes soon.
  void prefetch(KeyId id) const { __builtin_prefetch(&hashes_[id]); }
  std::size_t size() const { return entries_.size(); }

private:
  static constexpr std::uint32_t kKeyless = 0xfffffffeu;  // Entry::sort of a keyless key
  struct Entry {
    std::uint32_t partition;  // a partition key: its name's index; an item: its partition key's id
    std::uint32_t sort;       // an item: its sort key's number; a partition key: kNoSort
  };
  // The partition keys' names, end to end in one text (name i from name_starts_[i] to the next
  // start), and an open-addressing index of them: a slot holds a partition key's id and the high
  // half of its name's hash (kFree: none). A million 10-character keys cost about 40 MB here
  // (16 of them the index at a load of at most a half), where a map of strings took 95 MB.
  std::string_view partition_name(std::uint32_t index) const {
    const std::uint64_t start = name_starts_[index];
    const std::uint64_t end = index + 1 < name_starts_.size() ? name_starts_[index + 1] : name_text_.size();
    return std::string_view(name_text_).substr(start, end - start);
  }
  struct Slot {
    KeyId id;
    std::uint32_t hash_high;
  };
  static constexpr KeyId kFree = 0xffffffffu;
  void grow_index(std::size_t keys);
  std::string name_text_;
  LargeVector<std::uint64_t> name_starts_;
  LargeVector<Slot> index_;
  std::unordered_map<std::string, std::uint32_t> sort_ids_;
  std::vector<std::string> sort_names_;
  LargeVector<HashKey> hashes_;
  LargeVector<Entry> entries_;
};

// Draws the key of each successive record of one producer. Drawing and resolving are separate
// steps so a producer can draw ahead and prefetch: for uniform, zipf and hot keys a draw is an
// index into the key space, interned on first resolution; unique and sequence keys are interned
// when drawn.
class KeyGenerator {
public:
  struct Key {
    KeyId id;
    std::uint32_t name_bytes;  // the partition key's length, as the write limit counts it
  };
  KeyGenerator(const KeySpec& spec, KeyTable& table);
  // Uniform keys, the usual ones, inline (drawn and resolved for every record); the rest out of
  // line.
  std::uint64_t draw(Rng& rng) {
    if (spec_.type == KeySpec::Type::uniform) return rng.below(static_cast<std::uint64_t>(spec_.count));
    return draw_other(rng);
  }
  // A hint that resolve(drawn) comes soon.
  void prefetch(std::uint64_t drawn) const {
    if (indexed()) __builtin_prefetch(&index_to_key_[drawn]);
  }
  Key resolve(std::uint64_t drawn) {
    if (indexed() && index_to_key_[drawn].id != kUnassignedKey) return index_to_key_[drawn];
    return resolve_first(drawn);
  }
  // False once a non-repeating sequence has given all its values.
  bool exhausted() const;
  // Uniform, zipf and hot keys draw an index below this count (the others 0: they draw ids).
  std::uint64_t index_count() const { return indexed() ? index_to_key_.size() : 0; }

private:
  static constexpr KeyId kUnassignedKey = std::numeric_limits<KeyId>::max();
  std::uint64_t draw_other(Rng& rng);
  // resolve() of a key not indexed, or not interned yet.
  Key resolve_first(std::uint64_t drawn);
  bool indexed() const { return !index_to_key_.empty(); }

  const KeySpec& spec_;
  KeyTable& table_;
  LargeVector<Key> index_to_key_;   // uniform, zipf, hot: lazily interned prefix + i
  // zipf: Walker's alias table (Vose's construction), one random draw and one table read per
  // key: rank i is kept with probability keep, else its alias is drawn.
  struct Alias {
    double keep;
    std::uint64_t alias;
  };
  LargeVector<Alias> zipf_alias_;
  // zipf: each draw uses the uniform drawn kZipfLead draws before it, whose alias entry was
  // prefetched then (the uniforms come from the same stream, in the same order).
  static constexpr std::size_t kZipfLead = 8;
  double zipf_ahead_[kZipfLead] = {};
  std::size_t zipf_next_ = 0;
  bool zipf_started_ = false;
  double zipf_uniform(Rng& rng);
  // The alias column a uniform u in [0, 1) falls in.
  std::size_t zipf_column(double u) const {
    return std::min(static_cast<std::size_t>(u * static_cast<double>(zipf_alias_.size())), zipf_alias_.size() - 1);
  }
  std::uint64_t position_ = 0;      // sequence position / unique counter
  KeyId keyless_ = 0;               // none: the producer's keyless key
};

}  // namespace shardsim
