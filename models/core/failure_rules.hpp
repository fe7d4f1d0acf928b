#pragma once
// Which records a function fails on, and on which of their deliveries: poison keys (every record
// of the key, every time) and rules naming a key, a single record, or both, and the attempts
// they fail on (a dependency that is cold at first: the first delivery or two fail, the later
// ones succeed). A record's attempt n is the n-th invocation of this consumer whose batch held it
// (1 = its first delivery), whether or not the handler got to it, as SQS's receive count and a
// mapping's retries count them. One object per consumer, shared by all its handlers.
// Memory: one counter for each record that a rule with attempts has matched.
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "models/core/record.hpp"

namespace shardsim {

struct FailureRule {
  static constexpr KeyId kAnyKey = ~KeyId{0};
  KeyId key = kAnyKey;                // the record's partition key, or any
  std::uint64_t sequence = 0;         // its SequenceNumber in its shard (1 = the first), 0: any
  std::vector<std::int64_t> attempts; // the deliveries it fails on (1 = the first); empty: every one
};

class FailureRules {
public:
  FailureRules() = default;
  // poison: sorted key ids whose records always fail.
  FailureRules(std::vector<KeyId> poison, std::vector<FailureRule> rules);
  bool empty() const { return poison_.empty() && rules_.empty(); }
  // A batch is delivered to the function: counts the delivery of each record a rule with
  // attempts matches.
  void delivered(const std::vector<Record>& batch);
  // Whether the record fails on its current delivery.
  bool fails(const Record& record) const;

private:
  static bool matches(const FailureRule& rule, const Record& r) {
    return (rule.key == FailureRule::kAnyKey || rule.key == r.key) && (rule.sequence == 0 || rule.sequence == r.sequence);
  }
  struct RecordId {
    KeyId key;
    std::uint64_t sequence;
    double arrival_s;  // with the key and sequence, one record of one shard
    bool operator==(const RecordId& o) const { return key == o.key && sequence == o.sequence && arrival_s == o.arrival_s; }
  };
  struct RecordIdHash {
    std::size_t operator()(const RecordId& id) const;
  };
  std::vector<KeyId> poison_;
  std::vector<FailureRule> rules_;
  bool counts_ = false;  // some rule has attempts
  std::unordered_map<RecordId, std::int64_t, RecordIdHash> deliveries_;
};

}  // namespace shardsim
