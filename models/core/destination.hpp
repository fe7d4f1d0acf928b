#pragma once
// Where producers write: a stream (models/stream/stream.hpp; an SQS queue is a stream of one shard). A
// put is admitted or rejected at the record's arrival time (the producer then retries or drops
// it). Producers generate ahead of the clock, in time order, and tell the destination how far
// they have come.
#include <cstdint>
#include <optional>

#include "models/core/hash_key.hpp"
#include "models/core/record.hpp"

namespace shardsim {

class Destination {
public:
  virtual ~Destination() = default;
  // A put at `record.arrival_s`: true if admitted (and stored). An ExplicitHashKey, where the
  // destination has hash-key routing, replaces the hash of the partition key.
  virtual bool put(const Record& record, const std::optional<HashKey>& explicit_hash_key) = 0;
  // The producer gave up on a rejected record.
  virtual void record_dropped(const Record& record) = 0;
  // Hints, in two steps: a lookup of the key's place comes soon; then a put of the key.
  virtual void prefetch(KeyId) const {}
  virtual void prefetch_put(KeyId) const {}
  // Records admitted and not yet passed by every consumer (the run's memory safety limit).
  virtual std::uint64_t unread_records() const = 0;
  // Every record with arrival time < t has been put; then, no record will come any more.
  virtual void set_horizon(double t) = 0;
  virtual void set_production_complete() = 0;
};

}  // namespace shardsim
