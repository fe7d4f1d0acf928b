#pragma once
// A Kafka topic's routing of keyed records: the Java client's default partitioner (murmur2.hpp)
// over the partition key's bytes.
#include "models/kafka/murmur2.hpp"
#include "models/stream/key_partitioner.hpp"

namespace shardsim {

class TopicPartitioner : public KeyPartitioner {
public:
  explicit TopicPartitioner(const KeyTable& keys) : keys_(keys) {}
  std::size_t partition(KeyId key, std::size_t partitions) const override {
    return kafka::partition_for_key(keys_.name(keys_.partition_key(key)), partitions);
  }

private:
  const KeyTable& keys_;
};

}  // namespace shardsim
