#pragma once
// One shard: its HashKeyRange, lineage (parents, the times it opened and closed), the log of
// records it accepted (in sequence order) and the per-shard write and read limits. Readers keep
// absolute positions into the log; records every reader has read past are released from memory
// (a reader holds its own copies of what it has read and not finished).
// A CLOSED shard takes no writes and stays readable until its records pass retention.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "models/base/block_queue.hpp"
#include "models/core/hash_key.hpp"
#include "models/core/record.hpp"
#include "models/core/token_bucket.hpp"

namespace shardsim {

// A shard's throughput limits, each a token bucket: the read buckets hold one second's worth, the
// write buckets write_burst_s seconds' worth (Kinesis's limits are in models/kinesis/kinesis_limits.hpp).
struct ShardLimits {
  double write_records_per_s = 0;
  double write_bytes_per_s = 0;
  double write_burst_s = 1;     // the write buckets hold this many seconds of their rate
  double read_calls_per_s = 0;  // shared by the shard's polling consumers
  double read_bytes_per_s = 0;  // likewise
  // A rate no scenario reaches, for a limit the service does not have (not infinity: 0 × inf);
  // any rate at or above it is no limit.
  static constexpr double kUnlimited = 1e15;
  static bool limited(double rate) { return rate > 0 && rate < kUnlimited; }
};

class Shard {
public:
  enum class State { open, closed };

  // Parents are shard indices in the stream (ParentShardId, AdjacentParentShardId).
  Shard(std::string id, HashKeyRange range, const ShardLimits& limits, double opened_s = 0,
        std::optional<std::size_t> parent = std::nullopt, std::optional<std::size_t> adjacent_parent = std::nullopt);

  const std::string& id() const { return id_; }
  const HashKeyRange& hash_key_range() const { return range_; }
  const std::optional<std::size_t>& parent() const { return parent_; }
  const std::optional<std::size_t>& adjacent_parent() const { return adjacent_parent_; }
  double opened_s() const { return opened_s_; }
  // When it closed (+inf while open). Its log is final from then on.
  double closed_s() const { return closed_s_; }
  State state_at(double now) const { return now >= closed_s_ ? State::closed : State::open; }
  void close(double at) { closed_s_ = at; }

  // Write admission: true if the shard accepts `bytes` at `now` under its records/s and bytes/s
  // limits; the record then gets the next sequence number.
  bool admit(double now, std::uint32_t bytes);
  // A DynamoDB shard rolled over: the child serves the same partition, whose write capacity goes
  // on where the parent's was (not a fresh burst).
  void inherit_write_budget(const Shard& parent) {
    write_records_ = parent.write_records_;
    write_bytes_ = parent.write_bytes_;
  }
  // Appends an admitted record with the next sequence number; returns it as stored.
  Record append(Record record);
  // A hint: a put comes soon (the write path's two cache lines are fetched for writing).
  void prefetch_write() const {
    __builtin_prefetch(&write_records_, 1);
    __builtin_prefetch(&next_sequence_, 1);
  }

  // Read admission for one GetRecords call at `now` (calls/s and bytes/s shared by every polling
  // consumer of the shard). After a throttled call, next_read_time() says when to retry.
  enum class ReadAdmission { admitted, over_call_rate, over_byte_rate };
  // count_call false: the call rate is enforced elsewhere (each reader's share of it).
  ReadAdmission admit_get_records(double now, bool count_call = true);
  void charge_read_bytes(double now, std::uint64_t bytes);
  double next_read_time(double now) { return std::max(read_calls_ready(now), read_bytes_ready(now)); }
  // When the call rate, and when the byte budget, next allows a call.
  double read_calls_ready(double now);
  double read_bytes_ready(double now);

  // A record as the log keeps it: without its sequence number, which its position gives (32
  // bytes instead of 40: the log is most of the model's memory and of its cache misses).
  struct Entry {
    double produced_s, arrival_s;
    KeyId key;
    std::uint32_t bytes;
    KeyId order_key;
    std::uint16_t put_attempts, user_records;
    Record with_sequence(std::uint64_t sequence) const {
      return {produced_s, arrival_s, sequence, key, bytes, order_key, put_attempts, user_records};
    }
  };
  static_assert(sizeof(Entry) == 32);

  // The log: absolute positions begin() … end(); record(p) for begin() ≤ p < end().
  std::uint64_t begin() const { return released_; }
  std::uint64_t end() const { return released_ + log_.size(); }
  // A record's sequence number is its position + 1.
  Record record(std::uint64_t position) const { return log_[position - released_].with_sequence(position + 1); }
  double arrival_s(std::uint64_t position) const { return log_[position - released_].arrival_s; }
  // The log's entries from `position` (begin() ≤ position < end()) that lie together in memory:
  // at least one, in order (a reader walks them with a pointer).
  struct Run {
    const Entry* first;
    std::size_t size;
  };
  Run run_from(std::uint64_t position) const {
    Run r{nullptr, 0};
    r.size = log_.contiguous(position - released_, r.first);
    return r;
  }
  // A hint: record(position) comes soon.
  void prefetch(std::uint64_t position) const { __builtin_prefetch(&log_[position - released_]); }
  // Forgets records before `position` (no reader needs them from the log any more).
  void release_before(std::uint64_t position);

private:
  // The write path's state first, in two cache lines (the limits; the sequence and the log's
  // end): a put touches them on a random shard.
  alignas(64) TokenBucket write_records_;
  TokenBucket write_bytes_;
  std::uint64_t next_sequence_ = 1;
  BlockQueue<Entry> log_;
  std::uint64_t released_ = 0;
  std::string id_;
  HashKeyRange range_;
  double opened_s_;
  double closed_s_ = std::numeric_limits<double>::infinity();
  std::optional<std::size_t> parent_;
  std::optional<std::size_t> adjacent_parent_;
  TokenBucket read_calls_;
  TokenBucket read_bytes_;
  double read_bytes_per_s_;
};

}  // namespace shardsim
