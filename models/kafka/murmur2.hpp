#pragma once
// The Apache Kafka Java client's default partitioner for keyed records: the 32-bit MurmurHash2 of
// the key's bytes (seed 0x9747b28c), made positive by clearing the sign bit, modulo the topic's
// partition count (org.apache.kafka.common.utils.Utils.murmur2 and toPositive, used by
// BuiltInPartitioner.partitionForKey since client 3.3 and by DefaultPartitioner before).
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shardsim::kafka {

// Utils.murmur2: the hash as Java's signed int.
std::int32_t murmur2(std::string_view bytes);

// The partition of a record with this key on a topic of `partitions` partitions.
inline std::size_t partition_for_key(std::string_view key, std::size_t partitions) {
  const auto positive = static_cast<std::uint32_t>(murmur2(key)) & 0x7fffffffu;
  return positive % partitions;
}

}  // namespace shardsim::kafka
