#pragma once
// How a stream routes a partition key when its shards are not hash key ranges: a Kafka topic's
// partitioner (models/kafka/topic_partitioner.hpp) takes a hash of the key modulo the partition
// count. A stream routed this way never closes a shard: new shards (partitions) are added after
// the others, and from then on every key is routed among all of them, so a key can move.
#include <cstddef>
#include <cstdint>

#include "models/core/keys.hpp"

namespace shardsim {

class KeyPartitioner {
public:
  virtual ~KeyPartitioner() = default;
  // The partition (0 … partitions−1) of a record of `key` on a stream of `partitions` shards.
  virtual std::size_t partition(KeyId key, std::size_t partitions) const = 0;
  // The partition of the next record of `bytes` without a key from the producer whose keyless
  // key is `producer` (KeyTable::add_keyless): its choice changes from record to record.
  virtual std::size_t keyless(KeyId producer, std::uint32_t bytes, std::size_t partitions) = 0;
};

}  // namespace shardsim
