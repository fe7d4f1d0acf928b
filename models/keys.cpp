#include "models/keys.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace shardsim {
namespace {
constexpr KeyId kUnassigned = std::numeric_limits<KeyId>::max();
}

const char* to_string(KeySpec::Type type) {
  switch (type) {
    case KeySpec::Type::uniform: return "uniform";
    case KeySpec::Type::zipf: return "zipf";
    case KeySpec::Type::hot: return "hot";
    case KeySpec::Type::unique: return "unique";
    case KeySpec::Type::sequence: return "sequence";
  }
  return "?";
}

const std::vector<std::string>& key_type_names() {
  static const std::vector<std::string> names{"uniform", "zipf", "hot", "unique", "sequence"};
  return names;
}

KeyId KeyTable::intern(const std::string& partition_key) {
  auto [it, inserted] = ids_.try_emplace(partition_key, static_cast<KeyId>(names_.size()));
  if (inserted) {
    names_.push_back(partition_key);
    hashes_.push_back(md5_hash_key(partition_key));
  }
  return it->second;
}

KeyGenerator::KeyGenerator(const KeySpec& spec, KeyTable& table) : spec_(spec), table_(table) {
  if (spec.type == KeySpec::Type::uniform || spec.type == KeySpec::Type::zipf ||
      spec.type == KeySpec::Type::hot)
    index_to_key_.assign(static_cast<std::size_t>(spec.count), Key{kUnassigned, 0});
  if (spec.type == KeySpec::Type::zipf) {
    zipf_cdf_.resize(static_cast<std::size_t>(spec.count));
    double total = 0;
    for (std::size_t r = 0; r < zipf_cdf_.size(); ++r) {
      total += 1.0 / std::pow(static_cast<double>(r + 1), spec.exponent);
      zipf_cdf_[r] = total;
    }
    for (double& c : zipf_cdf_) c /= total;
  }
}

KeyGenerator::Key KeyGenerator::resolve(std::uint64_t drawn) {
  if (!indexed()) {
    const auto id = static_cast<KeyId>(drawn);
    return {id, static_cast<std::uint32_t>(table_.name(id).size())};
  }
  Key& key = index_to_key_[drawn];
  if (key.id == kUnassigned) {
    key.id = table_.intern(spec_.prefix + std::to_string(drawn));
    key.name_bytes = static_cast<std::uint32_t>(table_.name(key.id).size());
  }
  return key;
}

std::uint64_t KeyGenerator::draw(Rng& rng) {
  const auto count = static_cast<std::uint64_t>(spec_.count);
  switch (spec_.type) {
    case KeySpec::Type::uniform: return rng.below(count);
    case KeySpec::Type::zipf: {
      const double u = rng.uniform01();
      auto it = std::upper_bound(zipf_cdf_.begin(), zipf_cdf_.end(), u);
      if (it == zipf_cdf_.end()) --it;
      return static_cast<std::uint64_t>(it - zipf_cdf_.begin());
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
  }
  return 0;
}

bool KeyGenerator::exhausted() const {
  return spec_.type == KeySpec::Type::sequence && !spec_.repeat && position_ >= spec_.values.size();
}

}  // namespace shardsim
