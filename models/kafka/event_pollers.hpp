#pragma once
// The event pollers of a Lambda mapping on a Kafka topic (Lambda developer guide, "Apache Kafka
// event poller scaling modes in Lambda"):
//   - an event poller handles up to 5 MB/s (taken as 5 × 10^6 bytes/s) of the records it hands
//     to the function; the topic's partitions are spread over the pollers (partition p is read
//     by poller p mod pollers), so a poller's budget is shared by its partitions;
//   - on-demand mode (the default): Lambda starts with "a default number" of pollers (the model:
//     1), evaluates the offset lag of the topic once a minute and adds or removes pollers within
//     three minutes of the evaluation (the model: exactly scale_delay_s later, 180 s), and
//     removes pollers when the function is throttled;
//   - provisioned mode: between MinimumPollers (1 … 200, default 1) and MaximumPollers (1 … 2,000,
//     default 200), never more than the topic's partitions; "responsive" scaling, with no delay
//     documented (the model: the same rule, scale_delay_s 0 by default).
// How many pollers a step adds is not documented. The model's rule, at each evaluation: if the
// function was throttled since the last one, one poller fewer; else if the offset lag grew and a
// poller's budget held a read back, twice the pollers; else if the lag is zero, one fewer; never
// below the minimum nor above the maximum and the partition count.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "models/core/token_bucket.hpp"

namespace shardsim {

struct EventPollerParams {
  std::size_t minimum = 1, maximum = 200;  // on demand: 1 and the partition count
  double bytes_per_s = 5e6;
  double evaluation_interval_s = 60;
  double scale_delay_s = 180;
};

// What an evaluation looks at: the topic's offset lag (records written and not yet done by the
// mapping), and counts since the run began of the function's throttles and the reads a poller's
// budget held back.
struct PollerObservation {
  std::uint64_t lag = 0;
  std::uint64_t throttles = 0;
  std::uint64_t held_reads = 0;
  std::size_t partitions = 1;
};

class EventPollers {
public:
  explicit EventPollers(const EventPollerParams& params);
  // The byte budget of the poller that reads `partition` at `now` (now never goes back).
  TokenBucket& budget(std::size_t partition, double now);
  // A fetch of `bytes` from `partition` at `now`, charged to its poller's budget and counted.
  void charge(std::size_t partition, double now, std::uint64_t bytes);
  // The evaluation at `now`: schedules the poller count it decides on for now + scale_delay_s.
  void evaluate(double now, const PollerObservation& seen);
  std::size_t count(double now) {
    apply_due(now);
    return count_;
  }
  double evaluation_interval_s() const { return params_.evaluation_interval_s; }
  // Over the run: the most pollers at once, and the changes of count carried out by then.
  std::size_t peak() const { return peak_; }
  std::uint64_t changes() const { return changes_; }
  // Their use: bytes fetched over the run, against the pollers' capacity over [0, until]
  // (poller-seconds × bytes_per_s); and the busiest second's bytes against the pollers then.
  double mean_utilization(double until) const;
  double peak_utilization() const;

private:
  void apply_due(double now);
  EventPollerParams params_;
  std::size_t count_;
  std::size_t decided_;  // the count the last evaluation asked for
  std::deque<std::pair<double, std::size_t>> pending_;  // (when, count), in time order
  std::vector<TokenBucket> budgets_;                    // by poller
  PollerObservation last_;
  std::size_t peak_;
  std::uint64_t changes_ = 0;
  std::vector<std::pair<double, std::size_t>> history_;  // (from when, count), from 0
  double bytes_ = 0;
  double second_ = -1, second_bytes_ = 0, second_capacity_ = 1, peak_utilization_ = 0;  // the current second's
};

}  // namespace shardsim
