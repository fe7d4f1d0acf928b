#pragma once
// What changes a stream's shard set on its own as puts reach their time: Kinesis's on-demand
// scaler (models/kinesis/on_demand_scaler.hpp) and a DynamoDB table's partitions
// (models/dynamodb/table_partitions.hpp). The stream calls its driver around every put and as the
// producers' horizon moves; the driver schedules ShardSetChanges on the stream. A stream without
// a driver changes only by the changes scheduled before the run.
#include <cstddef>
#include <cstdint>

#include "models/core/record.hpp"

namespace shardsim {

class Stream;

class ShardSetDriver {
public:
  virtual ~ShardSetDriver() = default;
  // A put at t is about to be routed (puts come in time order): schedule the changes due by then.
  virtual void before_put(Stream&, double t) = 0;
  // Every record before t has been generated.
  virtual void horizon_reached(Stream&, double) {}
  // What a put of `bytes` to `shard` counts against its write limit.
  virtual std::uint32_t counted_bytes(std::size_t, std::uint32_t bytes) { return bytes; }
  // The put was accepted (`counted` as counted_bytes said).
  virtual void accepted(const Stream&, const Record&, std::size_t, std::uint32_t) {}
  // The shard at `index` has just opened.
  virtual void shard_opened(Stream&, std::size_t) {}
  // No put comes any more.
  virtual void production_complete() {}
};

}  // namespace shardsim
