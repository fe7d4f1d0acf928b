#pragma once
// One Kinesis record as the model carries it: plain data, 40 bytes, never a SimGrid message (the
// shard log keeps it in 32: Shard::Entry).
#include <cstdint>

#include "models/core/keys.hpp"

namespace shardsim {

struct Record {
  double produced_s = 0;       // the producer's first put attempt
  double arrival_s = 0;        // accepted by the shard (ApproximateArrivalTimestamp)
  std::uint64_t sequence = 0;  // SequenceNumber: unique and increasing within the shard
  KeyId key = 0;               // interned partition key
  std::uint32_t bytes = 0;     // data blob plus partition key, as the write limit counts them
  KeyId order_key = 0;         // the key whose order matters: the entity, or else the partition key
  std::uint16_t put_attempts = 1;  // the put that was accepted (or last rejected) was attempt n
  std::uint16_t user_records = 1;  // KPL aggregation: user records packed into this record
};
static_assert(sizeof(Record) == 40);

}  // namespace shardsim
