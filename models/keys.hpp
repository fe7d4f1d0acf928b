#pragma once
// Partition keys: which key each record carries (KeySpec, KeyGenerator) and the interned table
// of distinct keys (KeyTable). A key is hashed once, when first seen; records carry its dense id.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/hash_key.hpp"
#include "sim/rng.hpp"

namespace shardsim {

using KeyId = std::uint32_t;

struct KeySpec {
  enum class Type { uniform, zipf, hot, unique, sequence };
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

class KeyTable {
public:
  KeyId intern(const std::string& partition_key);
  const std::string& name(KeyId id) const { return names_[id]; }
  HashKey hash_key(KeyId id) const { return hashes_[id]; }
  std::size_t size() const { return names_.size(); }

private:
  std::unordered_map<std::string, KeyId> ids_;
  std::vector<std::string> names_;
  std::vector<HashKey> hashes_;
};

// Draws the key of each successive record of one producer.
class KeyGenerator {
public:
  KeyGenerator(const KeySpec& spec, KeyTable& table);
  KeyId next(Rng& rng);
  // False once a non-repeating sequence has given all its values.
  bool exhausted() const;

private:
  KeyId id_of_index(std::uint64_t index);

  const KeySpec& spec_;
  KeyTable& table_;
  std::vector<KeyId> index_to_id_;  // lazily interned ids of prefix + i
  std::vector<double> zipf_cdf_;
  std::uint64_t position_ = 0;      // sequence position / unique counter
};

}  // namespace shardsim
