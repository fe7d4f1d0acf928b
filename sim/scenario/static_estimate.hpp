#pragma once
// What a calculator says about a scenario, before any simulation: shards from the peak write
// rate, the concurrency bound shards × PF, and Little's law for the concurrency the handler
// needs on average. `plan` prints it next to the simulated answer, so the differences (bursts,
// hot keys, polling delay, small batches, cold starts, the scaling rate) show.
#include <cstdint>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "sim/scenario/scenario.hpp"

namespace shardsim {

struct StaticEstimate {
  double records_per_s_mean = 0, records_per_s_peak = 0;
  double bytes_per_s_peak = 0;            // data + a 10-byte partition key per record
  std::int64_t shards_for_writes = 0;     // max(⌈peak records/s / 1,000⌉, ⌈peak bytes/s / 1 MiB⌉); a table: ⌈peak write units/s / 1,000⌉ partitions
  bool table = false;                     // a DynamoDB table's stream: shards are partitions
  double queue_send_limit = 0;            // an SQS queue: its send limit, messages/s (0: not a queue; FIFO only, else unlimited)
  bool queue = false;                     // an SQS queue: one queue, concurrency bound by the mapping's batches
  std::int64_t shards = 0, parallelization_factor = 1, batch_size = 0;  // of the scenario (first consumer)
  std::int64_t concurrency_bound = 0;     // shards × PF
  double littles_law_concurrency = 0;     // mean records/s × (E[per_invocation] / batch_size + E[per_record])
  bool from_trace = false;                // a producer replays a trace: its rate is left out

  nlohmann::ordered_json json() const;
  std::string text() const;  // indented lines
};

StaticEstimate static_estimate(const Scenario& scenario);

// The arrival rate's factor over [0, duration): its time-average and its highest value.
std::pair<double, double> rate_factor(const ArrivalSpec& a, double duration);
// A count from a double that may be huge or infinite (absurd rates): at most int64's largest.
std::int64_t whole_count(double x);

// A queue's mapping: its MaximumConcurrency, or the most batches a mapping processes at once.
std::int64_t queue_batches(const ConsumerConfig& consumer);

}  // namespace shardsim
