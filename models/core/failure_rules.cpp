#include "models/core/failure_rules.hpp"

#include <algorithm>
#include <cstring>

namespace shardsim {

FailureRules::FailureRules(std::vector<KeyId> poison, std::vector<FailureRule> rules)
    : poison_(std::move(poison)), rules_(std::move(rules)) {
  for (FailureRule& rule : rules_) {
    std::sort(rule.attempts.begin(), rule.attempts.end());
    counts_ = counts_ || !rule.attempts.empty();
  }
}

std::size_t FailureRules::RecordIdHash::operator()(const RecordId& id) const {
  std::uint64_t arrival = 0;
  std::memcpy(&arrival, &id.arrival_s, sizeof arrival);
  std::uint64_t h = id.sequence * 0x9E3779B97F4A7C15ull ^ (std::uint64_t{id.key} << 32) ^ arrival;
  h ^= h >> 29;
  return static_cast<std::size_t>(h * 0xBF58476D1CE4E5B9ull);
}

void FailureRules::delivered(const std::vector<Record>& batch) {
  if (!counts_) return;
  for (const Record& r : batch)
    for (const FailureRule& rule : rules_)
      if (!rule.attempts.empty() && matches(rule, r)) {
        ++deliveries_[{r.key, r.sequence, r.arrival_s}];
        break;
      }
}

bool FailureRules::fails(const Record& r) const {
  if (!poison_.empty() && std::binary_search(poison_.begin(), poison_.end(), r.key)) return true;
  for (const FailureRule& rule : rules_) {
    if (!matches(rule, r)) continue;
    if (rule.attempts.empty()) return true;
    const auto it = deliveries_.find({r.key, r.sequence, r.arrival_s});
    const std::int64_t attempt = it == deliveries_.end() ? 0 : it->second;
    if (std::binary_search(rule.attempts.begin(), rule.attempts.end(), attempt)) return true;
  }
  return false;
}

}  // namespace shardsim
