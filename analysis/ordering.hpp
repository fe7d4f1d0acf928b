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
#include <vector>

#include "models/keys.hpp"
#include "models/record.hpp"

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
  std::map<std::string, std::uint64_t> causes;  // "overlap/<cause>", "out_of_order/<cause>"
  std::vector<OrderingExample> examples;
  bool safe() const { return overlaps == 0 && out_of_order == 0; }
  OrderingReport& operator+=(const OrderingReport& other);
};

class OrderingChecker {
public:
  static constexpr std::size_t kMaxExamplesPerKind = 2;
  explicit OrderingChecker(const KeyTable& keys) : keys_(keys) {}

  // A record starts running at start_s and ends at end_s (absolute), in an invocation that
  // starts at `now` (≤ start_s).
  void record_running(const Record& record, double start_s, double end_s, double now);
  // after_failure: the record was in a failed invocation before this success.
  void record_succeeded(const Record& record, bool after_failure, double now);
  void record_duplicated(const Record& record, double now);
  void record_lost(const Record& record, const char* cause, double now);
  const OrderingReport& report() const { return report_; }
  // A hint: the record's key state will be needed soon (called for a whole batch before its
  // records are checked, so the memory loads overlap).
  void prefetch(const Record& record) const {
    if (record.order_key < states_.size()) __builtin_prefetch(&states_[record.order_key]);
  }

private:
  struct Interval {
    double start_s = 0, end_s = 0;  // end_s ≤ now: no longer running
    std::uint64_t sequence = 0;
    KeyId partition_key = 0;
  };
  struct Latest {
    double produced_s = -1;
    std::uint64_t sequence = 0;
    bool retried = false;        // by its producer
    bool after_failure = false;  // succeeded after its batch had failed
  };
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};
  // Everything the checker keeps for one order key, in one cache line: the oldest interval that
  // may still be running, and a list (in more_) of the others, in the order they were laid out.
  struct alignas(64) KeyState {
    Interval running;
    std::uint32_t more = kNone;  // first node in more_
    Latest latest;               // the latest-produced record that succeeded
  };
  struct Node {
    Interval interval;
    std::uint32_t next = kNone;
  };
  KeyState& state(KeyId key);
  // Forgets the key's intervals that ended by `now`.
  void drop_ended(KeyState& k, double now);
  void append(KeyState& k, const Interval& interval);
  void free_node(std::uint32_t node);
  void affect(KeyId key);
  void example(const char* kind, const std::string& cause, const Record& r, std::uint64_t other, double now);

  const KeyTable& keys_;
  std::vector<KeyState> states_;  // per order key
  std::vector<Node> more_;  // nodes of every key's list; unused ones chained from free_
  std::uint32_t free_ = kNone;
  std::vector<bool> affected_;    // per order key
  OrderingReport report_;
};

}  // namespace shardsim
