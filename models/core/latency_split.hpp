#pragma once
// Where a record's latency went: its time from production to the end of the invocation in which
// it succeeded, split into causes that follow its path and add up to that latency exactly
// (definitions in analysis/README.md, "Latency causes"). The consumer actor that settles a batch
// hands the sink a splitter for its records that succeeded: each part is a difference of times
// it already keeps (per call, per lane, per batch), never a per-record map or copy.
#include <array>
#include <cstddef>
#include <cstdint>

#include "models/core/record.hpp"

namespace shardsim {

// A record's own causes come first (they differ from record to record of a batch); the rest are
// the same for every record of a batch (its invocation).
enum class LatencyCause {
  put,              // first put attempt → accepted (write throttles, put retries, ordered puts)
  poll,             // in the shard or queue, waiting for the consumer's next call or receive
  read_limit,       // in the shard while the reader's call was held by a read limit
  no_reader,        // in the shard while nothing read it (lineage, a mapping off, a lease moving)
  lane,             // waiting for its lane: earlier records of the lane or key, every lane busy
  batching_window,  // in a partial batch, waiting for the window to close
  retries,          // failed attempts, their backoff, a bisected batch's other part, visibility timeouts
  environment,      // waiting for a Lambda environment (throttled) or a KCL worker thread
  cold_start,       // a new environment's init phase
  lock,             // waiting for distributed locks inside the invocation
  handler           // the handler's own time
};
constexpr std::size_t kLatencyCauseCount = 11;
constexpr std::size_t kOwnLatencyCauses = 7;  // put … retries

inline const std::array<const char*, kLatencyCauseCount>& latency_cause_names() {
  static const std::array<const char*, kLatencyCauseCount> names{
      "put", "poll", "read_limit", "no_reader", "lane", "batching_window", "retries", "environment", "cold_start", "lock",
      "handler"};
  return names;
}

struct LatencySplit {
  std::array<double, kLatencyCauseCount> parts{};
  double& operator[](LatencyCause c) { return parts[static_cast<std::size_t>(c)]; }
  double operator[](LatencyCause c) const { return parts[static_cast<std::size_t>(c)]; }
};

// A settled batch's splits (valid during the sink's batch_settled).
class LatencySplitter {
public:
  virtual ~LatencySplitter() = default;
  // The parts of the shared causes (from environment on), the same for every record of the batch
  // that succeeded.
  virtual const LatencySplit& shared() const = 0;
  // A record's own parts (put … retries) into `out`, whose other parts it leaves as they are.
  // The batch's records are split in order into the same `out`: for a record after the first, it
  // holds the split of the record before, and only the parts that differ may be written. Returns
  // those causes (bit c for cause c): records that waited alike differ in a part or two.
  virtual std::uint32_t own(const Record& record, LatencySplit& out) const = 0;
  static constexpr std::uint32_t kAllOwn = (1u << kOwnLatencyCauses) - 1;
  static constexpr std::uint32_t bit(LatencyCause c) { return 1u << static_cast<unsigned>(c); }
};

}  // namespace shardsim
