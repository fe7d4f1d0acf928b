#pragma once
// A stream (Kinesis's, or a DynamoDB table's, or the one log of an SQS queue): its shards, the
// partition key → shard mapping, write admission, and how far producers have generated records
// (records are generated ahead of the clock, each with its exact arrival time; a reader only
// returns records whose time has come).
// The shard set changes over time: a ShardSetChange closes open shards and opens new ones (with
// their parents) at a given time. Producers put in time order, ahead of the clock, so the
// stream applies a change when the first put (or the producers' horizon) reaches its time: a
// put is routed by the open shards at its own time. The change's sink events carry its time.
// A stream with a driver (models/stream/shard_set_driver.hpp) also changes on its own as puts
// reach their time: an on-demand stream's scaler, a DynamoDB table's partitions.
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "models/base/huge_pages.hpp"
#include "models/core/destination.hpp"
#include "models/core/events.hpp"
#include "models/core/keys.hpp"
#include "models/core/shard.hpp"
#include "models/stream/key_partitioner.hpp"
#include "models/stream/shard_set_driver.hpp"

namespace shardsim {

// At `at_s`, the shards `close` (indices of open shards) become CLOSED and the shards `open` are
// created, with new indices in order. The open shards' ranges must still partition the hash
// key space afterwards (SplitShard, MergeShards and UpdateShardCount are such changes). On a
// stream routed by a KeyPartitioner a change only opens shards, without parents; their ranges
// are not used.
struct ShardSetChange {
  struct NewShard {
    HashKeyRange range;
    std::optional<std::size_t> parent, adjacent_parent;  // shard indices
  };
  double at_s = 0;
  std::vector<std::size_t> close;
  std::vector<NewShard> open;
};

class Stream : public Destination {
public:
  // `shard_count` open shards from time 0, the hash key space split evenly; every shard has
  // `limits`.
  Stream(std::size_t shard_count, const ShardLimits& limits, double retention_s, const KeyTable& keys, EventSink& sink);

  // Every shard ever opened, by index (shard ids follow the index).
  std::size_t shard_count() const { return shards_.size(); }
  // Shards open after the changes applied so far.
  std::size_t open_shard_count() const { return open_.size(); }
  Shard& shard(std::size_t index) { return *shards_[index]; }
  const Shard& shard(std::size_t index) const { return *shards_[index]; }
  double retention_s() const { return retention_s_; }

  // A change of the shard set, to be applied at change.at_s (no earlier than the changes
  // scheduled before it, and not in the past of the puts). Throws std::invalid_argument if it
  // names a shard that will not be open then or leaves the space not partitioned.
  void schedule(ShardSetChange change);
  // Applies the scheduled changes with at_s ≤ t (idempotent). The times still to come:
  void apply_changes_through(double t);
  double next_change_s() const { return next_change_s_; }
  // Shards open once every scheduled change is applied; every shard index handed out by then.
  std::size_t shard_count_after_changes() const { return next_index_after_changes_; }

  // The shards open once every scheduled change is applied, by starting hash key, with their
  // indices.
  const std::vector<std::pair<HashKeyRange, std::size_t>>& open_after_changes() const { return open_after_changes_; }
  const ShardLimits& limits() const { return limits_; }
  // From now on the shard set also changes as `driver` schedules (one driver per stream).
  void drive_with(std::unique_ptr<ShardSetDriver> driver) { driver_ = std::move(driver); }
  // From the start, keys are routed by `partitioner` among the open shards in index order
  // instead of by hash key range (a Kafka topic).
  void route_with(std::unique_ptr<KeyPartitioner> partitioner) { partitioner_ = std::move(partitioner); }
  bool partitioned() const { return partitioner_ != nullptr; }
  // Whether the shard set changes on its own as puts come (a driver schedules changes).
  bool driven() const { return driver_ != nullptr; }
  // Called whenever a change is scheduled, and when production completes.
  void on_change_scheduled(std::function<void()> f) { on_change_scheduled_ = std::move(f); }
  // The shard (if still open then, and wider than one hash key) splits in the middle at `at`:
  // a hot on-demand shard, a DynamoDB partition. True when the split is scheduled.
  bool split_in_middle(std::size_t index, double at);
  // Σ over shards of the time each was open within [from, to] (shard-seconds).
  double open_shard_seconds(double from, double to) const;

  // The open shard whose HashKeyRange holds the key's MD5 hash key, or the partitioner's choice
  // (cached per key until the shard set changes).
  std::size_t shard_for(KeyId key);
  std::size_t shard_for_hash_key(HashKey hash_key) const;
  void prefetch(KeyId key) const override {
    if (key < shard_of_key_.size()) __builtin_prefetch(&shard_of_key_[key]);
  }
  void prefetch_put(KeyId key) const override {
    if (key < shard_of_key_.size() && shard_of_key_[key] >= 0) shards_[static_cast<std::size_t>(shard_of_key_[key])]->prefetch_write();
  }
  // A put at `record.arrival_s`: admitted and appended, or rejected by the write limit. An
  // ExplicitHashKey replaces the MD5 of the partition key.
  bool put(const Record& record, const std::optional<HashKey>& explicit_hash_key = std::nullopt) override;
  void record_dropped(const Record& record) override { sink_.record_dropped(record); }

  // Readers: each reader (consumer × shard) tells which records it has finished (those before
  // `unfinished`) and from where it needs the log (`kept` ≥ unfinished: it holds copies of the
  // unfinished records before it). A shard's log keeps records from the lowest `kept` of its
  // readers on; a record counts as unread (for the backlog limit) until every reader finished it.
  void register_readers(std::size_t consumers);
  void reader_advanced(std::size_t consumer, std::size_t shard, std::uint64_t unfinished, std::uint64_t kept);
  std::uint64_t unread_records() const override { return unread_ + held_elsewhere_; }
  // Records of the shard `consumer` has not yet passed (its offset lag on the shard).
  std::uint64_t lag(std::size_t consumer, std::size_t shard) const {
    return shards_[shard]->end() - reader_positions_[shard][consumer];
  }
  // Records a consumer took out of the log but still holds unprocessed (an SQS queue's message
  // groups and returned messages), for the memory safety limit.
  void set_held_elsewhere(std::uint64_t records) { held_elsewhere_ = records; }
  // Bytes written (accepted puts) and read (by every consumer, each read once), for billing.
  std::uint64_t bytes_written() const { return bytes_written_; }
  std::uint64_t bytes_read() const { return bytes_read_; }
  // One GetRecords call of `consumer` that returned `bytes`.
  void count_read(std::size_t consumer, std::uint64_t bytes) {
    bytes_read_ += bytes;
    ++read_calls_[consumer];
  }
  std::uint64_t read_calls(std::size_t consumer) const { return read_calls_[consumer]; }

  // Records with arrival time < horizon() have all been generated.
  double horizon() const { return horizon_; }
  void set_horizon(double t) override;
  bool production_complete() const { return production_complete_; }
  void set_production_complete() override;

private:
  void open_shard(HashKeyRange range, std::optional<std::size_t> parent, std::optional<std::size_t> adjacent, double at);
  void apply(const ShardSetChange& change);
  void schedule_partitions(ShardSetChange change);

  ShardLimits limits_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::vector<std::size_t> open_;  // open shards, by starting hash key: the routing table
  std::deque<ShardSetChange> scheduled_;
  std::vector<std::pair<HashKeyRange, std::size_t>> open_after_changes_;  // open after every scheduled change, by start
  std::size_t next_index_after_changes_ = 0;                               // the next new shard's index then
  double next_change_s_;           // the first scheduled change's time, or +inf
  double retention_s_;
  const KeyTable& keys_;
  EventSink& sink_;
  LargeVector<std::int32_t> shard_of_key_;  // -1: not looked up yet
  std::size_t consumers_ = 0;
  // [shard][consumer]: the first record it has not finished, and the first whose log entry it needs.
  std::vector<std::vector<std::uint64_t>> reader_positions_, kept_positions_;
  std::vector<std::uint64_t> finished_;  // per shard: records every reader has finished
  std::uint64_t unread_ = 0;  // records accepted and not yet finished by every reader
  std::uint64_t held_elsewhere_ = 0;
  std::uint64_t bytes_written_ = 0, bytes_read_ = 0;
  std::vector<std::uint64_t> read_calls_;  // by consumer
  std::function<void()> on_change_scheduled_;
  std::unique_ptr<ShardSetDriver> driver_;
  std::unique_ptr<KeyPartitioner> partitioner_;
  double horizon_ = 0;
  bool production_complete_ = false;
};

}  // namespace shardsim
