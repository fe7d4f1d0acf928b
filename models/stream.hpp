#pragma once
// A Kinesis data stream: its shards, the partition key → shard mapping, write admission, and
// how far producers have generated records (records are generated ahead of the clock, each with
// its exact arrival time; a reader only returns records whose time has come).
#include <cstdint>
#include <optional>
#include <vector>

#include "models/destination.hpp"
#include "models/events.hpp"
#include "models/keys.hpp"
#include "models/shard.hpp"
#include "models/base/huge_pages.hpp"

namespace shardsim {

class Stream : public Destination {
public:
  Stream(std::size_t shard_count, double retention_s, const KeyTable& keys, EventSink& sink);

  std::size_t shard_count() const { return shards_.size(); }
  std::size_t open_shard_count() const;
  Shard& shard(std::size_t index) { return shards_[index]; }
  const Shard& shard(std::size_t index) const { return shards_[index]; }
  double retention_s() const { return retention_s_; }

  // The open shard whose HashKeyRange holds the key's MD5 hash key (cached per key).
  std::size_t shard_for(KeyId key);
  std::size_t shard_for_hash_key(HashKey hash_key) const;
  // Hints, in two steps: shard_for(key) comes soon; a put of the key comes soon (once the
  // first hint has brought its shard in).
  void prefetch(KeyId key) const override {
    if (key < shard_of_key_.size()) __builtin_prefetch(&shard_of_key_[key]);
  }
  void prefetch_put(KeyId key) const override {
    if (key < shard_of_key_.size() && shard_of_key_[key] >= 0) shards_[static_cast<std::size_t>(shard_of_key_[key])].prefetch_write();
  }
  // A put at `record.arrival_s`: admitted and appended, or rejected by the write limit. An
  // ExplicitHashKey replaces the MD5 of the partition key.
  bool put(Record record, const std::optional<HashKey>& explicit_hash_key = std::nullopt) override;
  // The producer gave up on a rejected record.
  void record_dropped(const Record& record) override { sink_.record_dropped(record); }

  // Readers: each reader (consumer × shard) tells how far it has read, so records behind every
  // reader can be released.
  void register_readers(std::size_t consumers);
  void reader_advanced(std::size_t consumer, std::size_t shard, std::uint64_t position);
  std::uint64_t unread_records() const override { return unread_; }

  // Records with arrival time < horizon() have all been generated.
  double horizon() const { return horizon_; }
  void set_horizon(double t) override { horizon_ = t; }
  bool production_complete() const { return production_complete_; }
  void set_production_complete() override { production_complete_ = true; horizon_ = 1e300; }

private:
  std::vector<Shard> shards_;
  double retention_s_;
  const KeyTable& keys_;
  EventSink& sink_;
  LargeVector<std::int32_t> shard_of_key_;  // -1: not looked up yet
  std::vector<std::vector<std::uint64_t>> reader_positions_;  // [consumer][shard]
  std::uint64_t unread_ = 0;  // records accepted and not yet passed by every reader
  double horizon_ = 0;
  bool production_complete_ = false;
};

}  // namespace shardsim
