#pragma once
// A Kafka topic's routing, as the Java client's built-in partitioner (3.3 and later):
//   a keyed record goes to toPositive(murmur2(key bytes)) mod partitions (murmur2.hpp);
//   a record without a key goes to its producer's sticky partition; once the producer has sent
//   batch_bytes (batch.size) there, counting this record, its next record goes to a partition
//   drawn uniformly from all of them (possibly the same one). KIP-794 ("uniform sticky
//   partitioner"); its adaptive variant, which favours partitions with shorter broker queues,
//   is not modelled (the model's partitions have no write queue), nor the switch held back
//   until a batch is ready (linger.ms).
// Source: Kafka clients, BuiltInPartitioner (updatePartitionInfo, nextPartition).
#include <cstdint>
#include <string>
#include <vector>

#include "models/base/rng.hpp"
#include "models/kafka/murmur2.hpp"
#include "models/stream/key_partitioner.hpp"

namespace shardsim {

class TopicPartitioner : public KeyPartitioner {
public:
  // Each keyless producer draws its partitions from its own stream of `seed` and `replication`.
  TopicPartitioner(const KeyTable& keys, std::uint64_t batch_bytes, std::uint64_t seed, std::uint64_t replication)
      : keys_(keys), batch_bytes_(batch_bytes), seed_(seed), replication_(replication) {}
  std::size_t partition(KeyId key, std::size_t partitions) const override {
    return kafka::partition_for_key(keys_.name(keys_.partition_key(key)), partitions);
  }
  std::size_t keyless(KeyId producer, std::uint32_t bytes, std::size_t partitions) override {
    Sticky& s = sticky(producer);
    if (s.partition >= partitions) s.partition = s.rng.below(partitions);  // the first record
    const std::size_t chosen = s.partition;
    s.produced += bytes;
    if (s.produced >= batch_bytes_) {
      s.partition = s.rng.below(partitions);
      s.produced = 0;
    }
    return chosen;
  }

private:
  struct Sticky {
    KeyId producer;
    Rng rng;
    std::size_t partition = SIZE_MAX;  // none yet
    std::uint64_t produced = 0;        // bytes sent to it
  };
  Sticky& sticky(KeyId producer) {
    for (Sticky& s : sticky_)
      if (s.producer == producer) return s;
    sticky_.push_back({producer, Rng(seed_, replication_, "sticky-partitioner/" + std::to_string(sticky_.size()))});
    return sticky_.back();
  }
  const KeyTable& keys_;
  std::uint64_t batch_bytes_, seed_, replication_;
  std::vector<Sticky> sticky_;  // per keyless producer, in order of their first record
};

}  // namespace shardsim
