#pragma once
// Kinesis's hash key space: a partition key maps to MD5(partition key) read as a 128-bit
// big-endian integer; the shard whose inclusive HashKeyRange holds it receives the record.
// Source: Kinesis Data Streams API reference, PutRecord ("MD5 hash function is used to map
// partition keys to 128-bit integer values") and HashKeyRange.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardsim {

using HashKey = unsigned __int128;
constexpr HashKey kMaxHashKey = ~HashKey{0};  // 2^128 - 1

struct HashKeyRange {
  HashKey starting_hash_key = 0;
  HashKey ending_hash_key = kMaxHashKey;  // inclusive
  bool contains(HashKey k) const { return starting_hash_key <= k && k <= ending_hash_key; }
  // Where a split in the middle starts the upper child (the range holds at least two keys).
  HashKey middle() const { return starting_hash_key + (ending_hash_key - starting_hash_key) / 2 + 1; }
};

HashKey md5_hash_key(std::string_view partition_key);
std::string to_decimal(HashKey value);
std::optional<HashKey> parse_decimal_hash_key(std::string_view text);

// Even split of the whole space over `shards` ranges, as CreateStream and UpdateShardCount's
// UNIFORM_SCALING lay them out: range i starts at i * floor(2^128 / shards); the last one ends
// at 2^128 - 1.
std::vector<HashKeyRange> even_hash_key_layout(std::size_t shards);

// "shardId-000000000007": AWS's format, a 12-digit zero-padded counter.
std::string shard_id(std::size_t index);

}  // namespace shardsim
