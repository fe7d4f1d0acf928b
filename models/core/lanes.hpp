#pragma once
// How a mapping with ParallelizationFactor PF spreads one shard's records over PF concurrent
// batches ("lanes") while keeping each partition key's records in order. AWS does not document
// the assignment, so it is a scenario switch (design.md §6):
//   hash     lane = (the key's MD5 hash key mod 2^64) mod PF: the last 8 bytes of the MD5 digest
//            read as a big-endian integer, modulo PF (hash_lane below). A key always uses the
//            same lane, so keys that share a lane wait for each other even when another lane
//            is idle.
//   dynamic  a free lane takes, in shard order, every buffered record whose key is not in flight
//            in another lane; a key is never in two lanes at once. The first free lane may take
//            every key of a large buffer (a batch of BatchSize records over many keys), leaving
//            the other lanes idle until new records come.
// Both keep per-key order: a key's records are delivered in shard order, and a key is in at most
// one batch at a time. Pure bookkeeping: no SimGrid here.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "models/core/keys.hpp"
#include "models/core/record.hpp"
#include "models/core/tumbling_window.hpp"

namespace shardsim {

enum class LaneAssignmentType { hash, dynamic };
const std::vector<std::string>& lane_assignment_names();

struct BatchLimits {
  std::size_t max_records = 100;
  std::uint64_t max_bytes = 6ull * 1024 * 1024;
  TumblingWindow window;  // on: a batch holds records of one tumbling window
  // Whether `next` may not join a batch of `records` records and `bytes` whose first record
  // arrived at `first_arrival_s`.
  bool full(std::size_t records, std::uint64_t bytes, double first_arrival_s, const Record& next) const {
    return records == max_records || bytes + next.bytes > max_bytes ||
           (window.on() && records > 0 && window.index(next.arrival_s) != window.index(first_arrival_s));
  }
};

// What the next batch of a lane would hold, without taking it.
struct BatchPreview {
  std::size_t records = 0;
  bool full = false;  // max_records or max_bytes reached, or the next record is of a later tumbling window
  std::uint64_t bytes = 0;
  double first_arrival_s = 0;  // of its first record (records > 0)
};

class LaneAssignment {
public:
  virtual ~LaneAssignment() = default;
  // A record returned by GetRecords, in shard order.
  virtual void add(const Record& record) = 0;
  // A hint: a record of `key` is added soon.
  virtual void prefetch(KeyId key) const = 0;
  virtual std::size_t buffered() const = 0;
  virtual BatchPreview preview(std::size_t lane, const BatchLimits& limits) const = 0;
  // Moves the lane's next batch into `out` (cleared first); its keys are then in flight.
  virtual void take(std::size_t lane, const BatchLimits& limits, std::vector<Record>& out) = 0;
  // The lane's batch is finished (delivered or given up): its keys are free again.
  virtual void release(std::size_t lane, const std::vector<Record>& batch) = 0;
  // The buffered record of the lowest log position, or null when the buffer is empty.
  virtual const Record* lowest_buffered() const = 0;
  // Every buffered record (after the run: what it left unfinished).
  virtual void for_each_buffered(const std::function<void(const Record&)>& f) const = 0;
};

// The lane of a key under the hash policy: the low 64 bits of its MD5 hash key, modulo `lanes`.
inline std::size_t hash_lane(HashKey hash_key, std::size_t lanes) {
  const auto low = static_cast<std::uint64_t>(hash_key);
  // The usual PFs (1, 2, 4, 8) are powers of two: a mask, not a division, on every record.
  return static_cast<std::size_t>((lanes & (lanes - 1)) == 0 ? low & (lanes - 1) : low % lanes);
}

std::unique_ptr<LaneAssignment> make_lane_assignment(LaneAssignmentType type, std::size_t lanes,
                                                     const KeyTable& keys);

}  // namespace shardsim
