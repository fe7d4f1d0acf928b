#pragma once
// Per-key ordering of one consumer, per ordering key (the entity when producers set one, else
// the partition key):
//   overlaps      a record of key k ran while another record of k was running (from the
//                 records' processing intervals, known when their invocation starts)
//   out_of_order  a record of k first succeeded after a later-produced record of k had
//   duplicates    a record succeeded again after its first success
//   lost          a record of k never succeeded: dropped by its producer, expired, discarded
// Each overlap and out-of-order record is attributed to a cause the model knows, and the first
// two of each kind are kept as examples. Memory: a few bytes per distinct key plus the intervals in flight.
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

private:
  struct Interval {
    double start_s, end_s;
    std::uint64_t sequence;
    KeyId partition_key;
  };
  struct Latest {
    double produced_s = -1;
    std::uint64_t sequence = 0;
    bool retried = false;        // by its producer
    bool after_failure = false;  // succeeded after its batch had failed
  };
  void affect(KeyId key);
  void example(const char* kind, const std::string& cause, const Record& r, std::uint64_t other, double now);

  const KeyTable& keys_;
  std::vector<std::vector<Interval>> running_;  // per order key: intervals that may still be running
  std::vector<Latest> latest_;    // per order key: the latest-produced record that succeeded
  std::vector<bool> affected_;    // per order key
  OrderingReport report_;
};

}  // namespace shardsim
