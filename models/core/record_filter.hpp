#pragma once
// A Lambda mapping's filter criteria (FilterCriteria; Lambda developer guide, "Control which
// events Lambda sends to your function"): up to 5 filters (10 on request), ORed: a record is sent
// to the function when one matches, and discarded before batching when none does. The model's
// filters match what the scenario gives records: their partition key, their entity (the key
// whose order matters) and named attributes that a share of the records carry. (On Kinesis, AWS
// filters on the record's data only: a filter on the key stands for one on the key's field in
// the data.) A pattern matches when each of its parts does.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "models/base/rng.hpp"
#include "models/core/record.hpp"

namespace shardsim {

struct FilterPattern {
  std::vector<KeyId> partition_keys;  // sorted; empty: any
  std::vector<KeyId> entities;        // the record's order key, sorted; empty: any
  int attribute = -1;                 // an attribute the record must carry; -1: none asked
};

class RecordFilter {
public:
  // attribute_shares[a]: the share of records that carry attribute a.
  RecordFilter(std::vector<FilterPattern> patterns, std::vector<double> attribute_shares)
      : patterns_(std::move(patterns)), shares_(std::move(attribute_shares)) {}

  bool keeps(const Record& r) const {
    for (const FilterPattern& p : patterns_)
      if (matches(p, r)) return true;
    return false;
  }
  // Whether the record carries attribute a: drawn once per stored record from its identity (its
  // key, sequence number and arrival time), the same for every consumer; a record a producer put
  // again is a new draw.
  static bool carries(const Record& r, std::size_t a, double share) {
    std::uint64_t arrival;
    std::memcpy(&arrival, &r.arrival_s, sizeof arrival);
    const std::uint64_t h = mix64(mix64(r.sequence ^ (std::uint64_t{r.key} << 32) ^ (a * 0x9e3779b97f4a7c15ull)) ^ arrival);
    return static_cast<double>(h >> 11) * 0x1.0p-53 < share;
  }

private:
  bool matches(const FilterPattern& p, const Record& r) const {
    if (!p.partition_keys.empty() && !std::binary_search(p.partition_keys.begin(), p.partition_keys.end(), r.key)) return false;
    if (!p.entities.empty() && !std::binary_search(p.entities.begin(), p.entities.end(), r.order_key)) return false;
    return p.attribute < 0 || carries(r, static_cast<std::size_t>(p.attribute), shares_[static_cast<std::size_t>(p.attribute)]);
  }
  std::vector<FilterPattern> patterns_;
  std::vector<double> shares_;
};

}  // namespace shardsim
