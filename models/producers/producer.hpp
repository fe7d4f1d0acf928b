#pragma once
// Producers: each draws arrival times, partition keys (and entities) and sizes for its records.
// The fleet actor merges every producer's records, and the retries of rejected puts, in time
// order and puts them ahead of the clock, a chunk of simulated time at a time, so it wakes once
// per chunk, not once per record; each record keeps its exact time and readers only return
// records whose time has come.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <deque>
#include <cmath>
#include <queue>
#include <unordered_map>
#include <vector>

#include <limits>
#include <memory>

#include "models/base/huge_pages.hpp"
#include "models/base/look_ahead.hpp"
#include "models/base/rng.hpp"
#include "models/base/run_control.hpp"
#include "models/core/destination.hpp"
#include "models/core/keys.hpp"
#include "models/core/record.hpp"
#include "models/producers/arrivals.hpp"
#include "models/producers/producer_config.hpp"

namespace shardsim {

class Producer {
public:
  // records: arrival times, keys and sizes; retries: backoff of rejected puts; latency: the puts'
  // round trips (an ordered producer waits for them).
  Producer(const ProducerConfig& config, double end_s, KeyTable& keys, Rng records, Rng retries, Rng latency = Rng(0));
  // Time of the next put, or +inf when this producer is done. With KPL aggregation, the time of
  // the last user record of the next aggregated record (it is put when that one arrives).
  double next_time() const {
    if (aggregates()) return assembled_ ? assembled_->arrival_s : kNoMore;
    return next_user_time();
  }
  // The next Kinesis record (arrival_s = next_time()). With KPL aggregation, N user
  // records packed into one.
  Record take();
  const std::optional<HashKey>& explicit_hash_key() const { return explicit_hash_key_; }
  bool ordered() const { return config_.ordered; }
  // One put's round trip.
  double put_latency() { return config_.put_latency_s.sample(latency_rng_); }
  // The wait before the retry of a put rejected on attempt `attempt` (exponential backoff with
  // full jitter), or nullopt when no attempt is left.
  std::optional<double> retry_delay(std::uint32_t attempt);

private:
  static constexpr double kNoMore = std::numeric_limits<double>::infinity();
  static constexpr KeyId kNoItem = std::numeric_limits<KeyId>::max();
  static constexpr std::uint64_t kItemCacheLimit = std::uint64_t{1} << 26;  // 256 MiB of item ids
  // Records are drawn up to kAhead ahead of take() (a plain producer: kAhead / 2 to kAhead), so
  // that each key's table entry is fetched from memory while earlier records are processed. Per
  // record the draws are, in order: time, key, entity, size (the same sequence whatever kAhead is).
  static constexpr std::size_t kAhead = 16;
  struct Drawn {
    double time_s;
    std::uint64_t key;     // as drawn by keys_ (a trace row's: the interned id)
    std::uint64_t entity;  // as drawn by entities_ (a trace row's: the interned id)
    std::uint64_t sort;    // as drawn by sort_keys_
    double data_bytes;
  };
  void draw_ahead();
  double next_user_time() const { return ahead_.empty() ? kNoMore : ahead_.front().time_s; }
  Record take_user_record();
  Record take_plain_record();
  bool aggregates() const { return aggregates_; }
  // KPL aggregation: packs the next aggregated record into assembled_ (empty when none is left).
  void assemble();
  std::optional<Record> assembled_;
  std::optional<KeyId> aggregate_key_;
  std::optional<HashKey> explicit_hash_key_;
  std::optional<double> constant_bytes_;  // a constant size, rounded once (it draws nothing)
  // The common producer, drawn and resolved without the general case's branches: a time and a
  // key index per record, no trace, entities or sort keys, a constant size (plain_bytes_, the
  // data blob's bytes as a record counts them).
  bool plain_ = false;
  std::uint32_t plain_bytes_ = 0;
  bool aggregates_ = false;
  const ProducerConfig& config_;
  using OrderBy = ProducerConfig::OrderBy;
  OrderBy order_by_;  // automatic resolved
  double end_s_;
  ArrivalProcess arrivals_;
  KeyGenerator keys_;
  std::optional<KeyGenerator> entities_;
  KeyTable& table_;
  // DynamoDB items: sort keys are drawn from their own table; an item is added to table_ once
  // per (partition key, sort key), found again in item_cache_ (by drawn index, when both keys
  // are drawn by index and the product is small enough) or else in items_.
  std::unique_ptr<KeyTable> sort_table_ = std::make_unique<KeyTable>();
  std::optional<KeyGenerator> sort_keys_;
  LargeVector<KeyId> item_cache_;
  std::unordered_map<std::uint64_t, KeyId> items_;
  std::vector<std::uint32_t> sort_numbers_;  // sort_table_ id → table_'s sort key number
  KeyId item_of(const Drawn& d, KeyId partition_key, const KeyGenerator::Key& sort_key);
  KeyId new_item(KeyId partition_key, KeyId sort_key);
  Rng rng_;
  Rng retry_rng_;
  Rng latency_rng_;
  LookAhead<Drawn, kAhead> ahead_;
  bool ended_ = false;
  std::size_t trace_row_ = 0;
};

class ProducerFleet {
public:
  static constexpr double kChunkS = 1.0;

  ProducerFleet(std::vector<Producer>& producers, Destination& destination, RunControl& control, std::int64_t max_backlog)
      : producers_(producers),
        destination_(destination),
        control_(control),
        max_backlog_(max_backlog),
        any_ordered_(std::any_of(producers.begin(), producers.end(), [](const Producer& p) { return p.ordered(); })) {
    for (std::size_t i = 0; i < producers_.size(); ++i)
      if (std::isfinite(producers_[i].next_time())) next_.push({producers_[i].next_time(), i});
  }
  // The actor's body.
  void operator()();

private:
  // A put that comes later: a rejected put's retry, or an ordered key's next record once the
  // previous put's round trip is over.
  struct Retry {
    double at_s;
    std::size_t producer;
    Record record;
    bool operator>(const Retry& o) const { return at_s > o.at_s; }
  };
  // Takes records from the producers, in time order, until kAhead are pending; each record's
  // shard lookup is prefetched kAhead records before its put, and its shard kAhead / 2 before.
  static constexpr std::size_t kAhead = 8;
  struct Pending {
    std::size_t producer;
    Record record;
  };
  // kAlone: one producer, whose records need no merge.
  template <bool kAlone>
  void take_ahead();
  // Puts every record and retry with time < until, in time order.
  void generate_until(double until);
  template <bool kAlone>
  void generate_until(double until);
  // A new record (turn false), or a put from the heap: a retry, or an ordered key's turn.
  void put(std::size_t producer, const Record& record, bool turn = false);
  void out_of_time_order(const Record& record);
  // A put the destination refused (write throttled): retried after a backoff, or dropped.
  void refused(std::size_t producer, const Record& record);
  // Ordered producers: a key's puts one at a time. A record waits while the key's previous put is
  // in flight (its round trip) or waits for its retry, and goes out when its turn comes.
  static std::uint64_t key_of(std::size_t producer, KeyId key) { return (std::uint64_t{producer} << 32) | key; }
  struct KeyLine {
    double free_at = 0;          // the round trip of the key's last put ends
    bool scheduled = false;      // the key's next put is in the heap (a retry, or a turn)
    std::deque<Record> waiting;  // the key's records after that one, in order
  };
  void put_in_order(std::size_t producer, Record record, bool turn);
  // The key's put at `done_s` is settled (accepted or dropped): its next record's turn comes then.
  void next_turn(std::size_t producer, KeyLine& line, double done_s);
  std::unordered_map<std::uint64_t, KeyLine> lines_;
  std::vector<Producer>& producers_;
  Destination& destination_;
  RunControl& control_;
  std::int64_t max_backlog_;
  std::priority_queue<Retry, std::vector<Retry>, std::greater<Retry>> retries_;
  LookAhead<Pending, kAhead> pending_;
  // Each producer's next record time (while it has one), earliest first, the lower index on a tie:
  // records are taken in time order across many producers without scanning them all.
  std::priority_queue<std::pair<double, std::size_t>, std::vector<std::pair<double, std::size_t>>, std::greater<>> next_;
  double last_put_s_ = 0;  // puts go out in time order (the stream's limits and readers rely on it)
  bool any_ordered_;       // some producer puts in order per key (the rest skip that bookkeeping)
};

}  // namespace shardsim
