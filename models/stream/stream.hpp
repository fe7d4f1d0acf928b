#pragma once
// A Kinesis data stream: its shards, the partition key → shard mapping, write admission, and
// how far producers have generated records (records are generated ahead of the clock, each with
// its exact arrival time; a reader only returns records whose time has come).
// The shard set changes over time: a ShardSetChange closes open shards and opens new ones (with
// their parents) at a given time. Producers put in time order, ahead of the clock, so the
// stream applies a change when the first put (or the producers' horizon) reaches its time: a
// put is routed by the open shards at its own time. The change's sink events carry its time.
// An on-demand stream (scale_on_demand) schedules its own changes: splits when a write peak needs
// more shards (models/kinesis/on_demand.hpp). So does a DynamoDB table's stream (behave_as_table):
// partition splits under write pressure and shard rollovers (models/dynamodb/dynamodb.hpp), scheduled as
// puts and the producers' horizon reach their time, merged in time order with the partition
// splits the scenario schedules.
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
#include "models/dynamodb/dynamodb.hpp"
#include "models/core/events.hpp"
#include "models/core/keys.hpp"
#include "models/kinesis/on_demand.hpp"
#include "models/core/shard.hpp"

namespace shardsim {

// At `at_s`, the shards `close` (indices of open shards) become CLOSED and the shards `open` are
// created, with new indices in order. The open shards' ranges must still partition the hash
// key space afterwards (SplitShard, MergeShards and UpdateShardCount are such changes).
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

  // On-demand capacity mode from now on: the stream splits its shards as write peaks need.
  void scale_on_demand(const OnDemandParams& params);
  const std::optional<OnDemandParams>& on_demand() const { return on_demand_; }
  // Called whenever a change is scheduled, and when production completes.
  void on_change_scheduled(std::function<void()> f) { on_change_scheduled_ = std::move(f); }
  // On demand: splits the shards open after the changes at their middle at `at` until none is wider than 1/needed of
  // the hash key space or max_shards are open (a shard split more than once at one time has
  // children that open and close at that instant).
  void grow(std::size_t needed, double at);
  // The shard (if still open then, and wider than one hash key) splits in the middle at `at`:
  // a hot on-demand shard, a DynamoDB partition. True when the split is scheduled.
  bool split_in_middle(std::size_t index, double at);
  // DynamoDB: from now on the stream of a table whose partitions split and whose shards roll over.
  void behave_as_table(const dynamodb::TableParams& params);
  bool is_table() const { return table_.has_value(); }
  // DynamoDB: at `at_s`, the partition at `position` among those open then (in hash key order)
  // splits in the middle of its range. Scheduled in time order.
  void schedule_partition_split(double at_s, std::size_t position);
  std::size_t partition_splits() const { return partition_splits_; }
  // DynamoDB: write units of the accepted writes (what an on-demand table bills).
  std::uint64_t write_units() const { return write_units_; }
  std::size_t rollovers() const { return rollovers_; }
  // What the table could not do (a scheduled split of a partition that did not exist).
  const std::vector<std::string>& table_warnings() const { return table_warnings_; }
  // Σ over shards of the time each was open within [from, to] (shard-seconds).
  double open_shard_seconds(double from, double to) const;

  // The open shard whose HashKeyRange holds the key's MD5 hash key (cached per key until the
  // shard set changes).
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
  bool put(Record record, const std::optional<HashKey>& explicit_hash_key = std::nullopt) override;
  void record_dropped(const Record& record) override { sink_.record_dropped(record); }

  // Readers: each reader (consumer × shard) tells how far it has read, so records behind every
  // reader can be released.
  void register_readers(std::size_t consumers);
  void reader_advanced(std::size_t consumer, std::size_t shard, std::uint64_t position);
  std::uint64_t unread_records() const override { return unread_ + held_elsewhere_; }
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
  // DynamoDB: schedules the table's changes due by t (ending the metered seconds before it).
  void advance_table(double t);
  void schedule_table_changes_through(double t);
  void split_partition(std::size_t index, double at);

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
  std::vector<std::vector<std::uint64_t>> reader_positions_;  // [shard][consumer]
  std::uint64_t unread_ = 0;  // records accepted and not yet passed by every reader
  std::uint64_t held_elsewhere_ = 0;
  std::uint64_t bytes_written_ = 0, bytes_read_ = 0;
  std::vector<std::uint64_t> read_calls_;  // by consumer
  std::optional<OnDemandParams> on_demand_;
  std::optional<OnDemandMeter> meter_;
  std::function<void()> on_change_scheduled_;
  std::optional<dynamodb::TableParams> table_;
  std::optional<dynamodb::PartitionMeter> partition_meter_;
  using Due = std::pair<double, std::size_t>;  // (time, shard index or partition position)
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> rollovers_due_;
  std::deque<Due> scheduled_splits_;
  std::size_t partition_splits_ = 0, rollovers_ = 0;
  std::uint64_t write_units_ = 0;
  std::vector<std::string> table_warnings_;
  double horizon_ = 0;
  bool production_complete_ = false;
  // On-demand scale-ups, in time order: grow to `needed` shards, or split a hot shard.
  struct PendingScale {
    double at_s;
    std::size_t needed;               // grow; 0 for a hot shard's split
    std::size_t hot_shard;
  };
  std::deque<PendingScale> pending_scales_;
  std::vector<double> hot_bytes_;     // on-demand: bytes written to each shard in the current second
  double hot_second_end_ = 1;
};

}  // namespace shardsim
