#pragma once
// Per-key ordering of one consumer, per ordering key (the entity when producers set one, else
// the partition key):
//   overlaps      a record of key k ran while another record of k was running (from the
//                 records' processing intervals, known when their invocation starts)
//   out_of_order  a record of k first succeeded after a later-produced record of k had
//   duplicates    a record succeeded again after its first success
//   lost          a record of k never succeeded: dropped by its producer, expired, discarded
// Each overlap and out-of-order record is attributed to a cause the model knows, and the first
// two of each kind are kept as examples. Memory: one cache line per distinct key plus the intervals
// in flight.
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/base/huge_pages.hpp"
#include "models/core/keys.hpp"
#include "models/core/ordering_cause.hpp"
#include "models/core/record.hpp"

namespace shardsim {

struct OrderingExample {
  std::string kind;   // overlap, out_of_order, duplicate, lost
  std::string cause;
  std::string key;
  std::uint64_t sequence = 0;        // the record concerned
  std::uint64_t other_sequence = 0;  // the record it collided with or overtook (0 if none)
  double time_s = 0;
};

struct OrderingReport {
  std::uint64_t overlaps = 0, out_of_order = 0, duplicates = 0, lost = 0, keys_affected = 0;
  std::map<std::string, std::uint64_t> causes;  // "overlap/<cause>", "out_of_order/<cause>", "duplicate/…", "lost/…"
  std::vector<OrderingExample> examples;
  bool safe() const { return overlaps == 0 && out_of_order == 0; }
  OrderingReport& operator+=(const OrderingReport& other);
};

// Every cause an overlap or out-of-order record can be counted under in OrderingReport::causes.
const std::vector<std::string>& ordering_cause_names();

class OrderingChecker {
public:
  static constexpr std::size_t kMaxExamplesPerKind = 2;
  explicit OrderingChecker(const KeyTable& keys) : keys_(keys) {}

  // An invocation of `lane` of `shard` starts at `now`; record_running then lays out its records.
  // A lane runs one invocation at a time.
  void invocation_started(std::size_t shard, std::size_t lane, double now);
  // Room for the started invocation's records (one allocation, not one per doubling).
  void reserve(std::size_t records);
  // The lane's invocation, started earlier, lays out more records at `now`.
  void invocation_resumed(std::size_t shard, std::size_t lane, double now);
  // The lane's invocation ended: none of its records runs any more, so its intervals are let go
  // (a lane waiting out a throttle holds none).
  void invocation_finished(std::size_t shard, std::size_t lane);
  // A record of the current invocation runs from start_s to end_s (absolute, start_s ≥ now).
  // took_expired_lock: it ran under a distributed lock taken while an earlier holder still ran
  // past its lease (an overlap it causes has the cause lock_expired).
  void record_running(const Record& record, double start_s, double end_s, bool took_expired_lock = false);
  // after_failure: the record was in a failed invocation before this success; shard: where it
  // was read (one partition key in two shards means a reshard: the cause `lineage`).
  void record_succeeded(const Record& record, bool after_failure, std::size_t shard, double now);
  void record_duplicated(const Record& record, OrderingCause cause, double now);
  void record_lost(const Record& record, OrderingCause cause, double now);
  // What it found so far (its causes named as in the result).
  OrderingReport report() const;
  // The records come from a source that keeps no order (an SQS standard queue): what would be
  // counted under same_partition_key or other is counted under unordered_queue.
  void unordered_source() { unordered_ = true; }
  // One key's records read from two shards are counted under `cause` instead of lineage (a Kafka
  // topic's keys move when partitions are added: repartition).
  void moved_keys_cause(OrderingCause cause) { moved_ = cause; }
  // A hint: the record's key state will be needed soon (called for a whole batch before its
  // records are checked, so the memory loads overlap).
  void prefetch(const Record& record) const {
    if (record.order_key < states_.size()) __builtin_prefetch(&states_[record.order_key]);
  }

private:
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};
  // The intervals of one lane's current invocation, in the order they were laid out; each entry
  // links to the previous interval of the same key in the same invocation.
  struct Interval {
    double start_s, end_s;
    std::uint64_t sequence;
    KeyId partition_key;
    std::uint32_t previous;
  };
  struct LaneIntervals {
    std::vector<Interval> intervals;
    std::uint32_t invocation = 0;  // counts the lane's invocations
    std::uint32_t shard = 0;
  };
  // Where a key's latest interval in one invocation is.
  struct IntervalRef {
    std::uint32_t lane = kNone, invocation = 0, index = kNone;
  };
  struct Latest {
    double produced_s = -1;
    std::uint64_t sequence = 0;
    bool retried = false;        // by its producer
    bool after_failure = false;  // succeeded after its batch had failed
    std::uint32_t shard = 0;     // read from this shard
  };
  // What the checker keeps for one order key, in one cache line.
  struct alignas(64) KeyState {
    IntervalRef running;           // its intervals in the invocation that last ran it
    bool in_older = false;         // older_ holds intervals of other invocations that may still run
    bool keyless = false;          // records without a key (Kafka): no order to keep, never checked
    double running_until = 0;      // every interval of the key ends by then
    Latest latest;                 // the latest-produced record that succeeded
  };
  static_assert(sizeof(KeyState) == 64, "a key's state is one cache line");
  // Inline: twice on every record's path; the table grows out of line.
  KeyState& state(KeyId key) { return key < states_.size() ? states_[key] : grow_to(key); }
  KeyState& grow_to(KeyId key);
  // The first interval reachable from `ref` (the key's intervals in that invocation) that is
  // running at now_ and overlaps [start_s, end_s), or nullptr.
  const Interval* overlapping(IntervalRef ref, double start_s, double end_s) const;
  void affect(KeyId key);
  enum Kind { overlap, out_of_order, duplicate, lost, kinds };
  // Counts a finding of `kind` with `cause`, for `r`'s key, and keeps it as an example.
  void found(Kind kind, OrderingCause cause, const Record& r, std::uint64_t other, double now);

  const KeyTable& keys_;
  LargeVector<KeyState> states_;  // per order key
  std::vector<LaneIntervals> lanes_;
  std::unordered_map<std::uint64_t, std::uint32_t> lane_index_;  // (shard, lane) → lanes_
  std::uint32_t lane_ = kNone;  // the current invocation's lane
  double now_ = 0;              // and its start
  // A key that runs in several invocations at once (an entity over several partition keys):
  // its earlier invocations' references.
  std::unordered_map<KeyId, std::vector<IntervalRef>> older_;
  std::vector<bool> affected_;    // per order key
  OrderingReport report_;  // its counts, its examples (causes: in counts_)
  std::uint64_t counts_[kinds][kOrderingCauses] = {};
  bool unordered_ = false;
  OrderingCause moved_ = OrderingCause::lineage;
};

}  // namespace shardsim
