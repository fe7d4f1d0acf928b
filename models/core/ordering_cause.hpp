#pragma once
// Why a record ran beside another of its key, finished out of order, ran again, or was never
// done: the causes the ordering checker (analysis/ordering.hpp) counts, named in the result as
// ordering.causes."<kind>/<cause>". The models say which cause a duplicate or a loss has.
#include <cstddef>
#include <cstdint>

namespace shardsim {

enum class OrderingCause : std::uint8_t {
  // overlaps and out-of-order records
  same_partition_key,
  entity_spans_partition_keys,
  per_item_order,
  lock_expired,
  lineage,
  repartition,
  unordered_queue,
  producer_retry,
  retry_after_failure,
  other,
  // duplicates
  rerun_after_partial_failure,
  failover_redelivery,
  at_least_once,
  // losses
  dropped_by_producer,
  expired,
  discarded_after_failures,
  dead_letter,
};
constexpr std::size_t kOrderingCauses = static_cast<std::size_t>(OrderingCause::dead_letter) + 1;

inline const char* ordering_cause_name(OrderingCause cause) {
  static const char* const names[kOrderingCauses] = {
      "same_partition_key",  "entity_spans_partition_keys", "per_item_order",       "lock_expired",
      "lineage",             "repartition",                 "unordered_queue",      "producer_retry",
      "retry_after_failure",
      "other",               "rerun_after_partial_failure", "failover_redelivery",  "at_least_once",
      "dropped_by_producer", "expired",                     "discarded_after_failures", "dead_letter"};
  return names[static_cast<std::size_t>(cause)];
}

}  // namespace shardsim
