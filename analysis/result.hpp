#pragma once
// What a run reports: the numbers of the result JSON (schema in analysis/README.md) and the
// human summary. Built from the metrics after the simulation; knows nothing of SimGrid.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/consumer_counts.hpp"
#include "analysis/cost.hpp"
#include "analysis/diagnosis.hpp"
#include "models/base/histogram.hpp"
#include "analysis/ordering.hpp"
#include "models/core/latency_split.hpp"
#include "models/core/lock_table.hpp"

namespace shardsim {

// Above this share of written records left unfinished, a run (and a compare variant) warns that
// its latency covers only the processed records.
constexpr double kUnfinishedWarningShare = 0.01;

struct Quantiles {
  double mean = 0, p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
  static Quantiles of(const Histogram& h);
};

// Lanes with records to run at once (running, waiting to run or retry, or holding a partial
// batch for the window): the concurrency the records themselves allow, whatever PF and Lambda
// allow. Few keys, or keys that share a hash lane, keep it below shards × PF.
struct LanesWithWork {
  int peak = 0;
  double mean = 0;
};

// Where the latency went (models/core/latency_split.hpp): by cause, its mean and p99 over the
// records that succeeded. The means add up to the latency's mean.
struct CauseQuantiles {
  double mean = 0, p99 = 0;
};
using LatencyCauses = std::array<CauseQuantiles, kLatencyCauseCount>;
LatencyCauses latency_causes_of(const std::array<Histogram, kLatencyCauseCount>& by_cause);

// How much of one limit a run used: its capacity, the mean and the busiest second's share of
// it, and the share of the time it held something back (analysis/README.md, "Bounds").
struct LimitUse {
  std::string name;  // from limit_names()
  double capacity = 0;
  std::string unit;
  double mean_utilization = 0, peak_utilization = 0;
  double binding_share = 0;
};
// The limits a run reports, in that order, and what each is.
const std::vector<std::pair<std::string, std::string>>& limit_names();

struct ConsumerResult {
  std::string name;
  std::string function;
  ConsumerCounts counts;
  OrderingReport ordering;
  std::uint64_t in_flight_at_end = 0;
  double mean_batch_size = 0;
  Quantiles latency_s;
  double unfinished_share = 0;           // in_flight_at_end / records written
  Quantiles latency_with_unfinished_s;   // lower bound: unfinished records at their age at the end
  Quantiles iterator_age_s;
  Quantiles iterator_age_at_invoke_s;
  Quantiles queue_s;
  std::optional<LatencyCauses> latency_causes_s;  // where its latency went
  Quantiles handler_s;
  Quantiles batch_size;
  Quantiles window_final_s;  // tumbling windows: a window's end (its shard's, if earlier) → its final invocation's end
  std::int64_t concurrency_limit = 0;  // min(open shards × PF, the function's concurrency limit); kcl, raw_reader: shards read at once
  std::optional<LanesWithWork> lanes_with_work;  // the bound its records set (none on a queue)
  std::string type = "lambda_esm";     // or kcl, raw_reader
  std::uint64_t leases_taken = 0, lease_moves = 0, lease_failovers = 0;  // kcl
  std::uint64_t thread_waits = 0;  // kcl: batches that waited for one of their worker's threads
  double thread_wait_s = 0;        // and how long, in all
  std::uint64_t read_calls = 0;        // GetRecords calls made
};

struct FunctionResult {
  std::string name;
  int concurrency_peak = 0;
  double concurrency_mean = 0;
  int concurrency_p99 = 0;  // time-weighted: exceeded 1 % of the time
  std::int64_t concurrency_limit = 0;  // min(lanes, its reserved or unreserved pool)
  std::int64_t lanes = 0;              // Σ its mappings' open shards × PF (a queue's: its batches)
  std::int64_t reserved = -1;          // its reserved concurrency (-1: it draws on the unreserved pool)
};

// The stream's shards over the run: every shard ever open, with its lineage and lifetime.
struct ShardResult {
  std::string id;
  std::string parent, adjacent_parent;  // shard ids; empty: none
  std::string starting_hash_key, ending_hash_key;  // decimal
  double opened_s = 0;
  std::optional<double> closed_s;  // empty while open
  std::optional<double> read_from_s, read_until_s;  // first reader started; last reader done (empty: not yet)
  std::uint64_t records = 0;       // written to it
};

struct StreamResult {
  std::string type = "kinesis";  // or "dynamodb", "sqs_standard", "sqs_fifo"
  std::uint64_t splits = 0, merges = 0;
  std::uint64_t partition_splits = 0, rollovers = 0, partitions_at_end = 0;  // dynamodb
  std::uint64_t open_shards_at_end = 0, max_open_shards = 0;
  std::vector<ShardResult> shards;
};

// An SQS queue's counts (models/sqs/sqs_queue.hpp, models/sqs/queue_poller.hpp); zero on a stream.
struct QueueResult {
  std::uint64_t receives = 0, returned = 0, dead_lettered = 0, duplicates_delivered = 0;
  std::uint64_t visibility_overruns = 0;  // invocations that outlasted their messages' visibility timeout
  std::uint64_t peak_pollers = 0;         // batches in flight (or backing off) at once
};

// A Kafka topic's counts (sim/run/kinds/kafka.cpp); zero on other streams. The pollers are the
// first Lambda mapping's.
struct TopicResult {
  std::uint64_t repartitions = 0, partitions_at_end = 0;
  std::uint64_t peak_pollers = 0, pollers_at_end = 0, poller_changes = 0;
};

struct RunResult {
  static constexpr int kSchemaVersion = 1;
  std::string scenario_name;
  std::string description;
  std::int64_t seed = 0;
  std::int64_t replication = 0;
  nlohmann::ordered_json configuration;  // the resolved scenario

  std::uint64_t produced = 0, written = 0, write_throttled = 0, put_retries = 0, dropped = 0;
  ConsumerCounts totals;  // summed over consumers
  OrderingReport ordering;  // summed over consumers (examples: the first few of each)
  std::string order_key;    // "partition_key", "item" or "entity" (producers' order_by), "mixed" when they differ
  std::uint64_t lost = 0, in_flight_at_end = 0;  // summed over consumers
  Quantiles latency_s;       // all consumers
  double unfinished_share = 0;          // in_flight_at_end / (records written × consumers)
  Quantiles latency_with_unfinished_s;  // all consumers, lower bound with unfinished records
  Quantiles iterator_age_s;  // all consumers: at each invocation's end (the stream pages' IteratorAge)
  Quantiles iterator_age_at_invoke_s;  // all consumers: when the batch is sent (the metrics page's)
  Quantiles queue_s;         // all consumers
  Quantiles window_final_s;  // all consumers: tumbling windows' final invocations (ConsumerResult)
  std::optional<LatencyCauses> latency_causes_s;  // all consumers
  int concurrency_peak = 0;
  double concurrency_mean = 0;
  int concurrency_p99 = 0;  // time-weighted: exceeded 1 % of the time
  std::int64_t concurrency_limit = 0;
  std::optional<LanesWithWork> lanes_with_work;  // summed over consumers (none on a queue)
  double mean_batch_size = 0;
  std::vector<ConsumerResult> consumers;
  std::vector<FunctionResult> functions;
  StreamResult stream;
  QueueResult queue;
  TopicResult topic;

  CostResult cost;
  LockCounts locks;  // summed over functions with strategy distributed_lock
  std::vector<std::string> unpriced;  // usage whose price the scenario sets to 0 (CostResult::unpriced)
  std::string completion;  // "drained", "drain_limit"
  double simulated_s = 0;
  double drain_s = 0;  // simulated_s − duration_s (≥ 0): how long the pipeline took to drain after production
  std::uint64_t wakeups = 0;  // actor wake-ups in the simulation
  std::optional<double> wall_s;  // only when asked: it differs between identical runs
  std::optional<Diagnosis> diagnosis;  // what held it back (analysis/diagnosis.hpp)
  std::vector<LimitUse> bounds;        // the limits that apply to it (names from limit_names)
  std::vector<std::string> warnings;
  std::vector<std::string> conservation_errors;  // empty when the books balance
  std::vector<std::string> configuration_lines;  // the settings in force, for the summary
  // The text summary's parts that its stream's and consumers' kinds write (not in the JSON):
  // (label, value) lines under a title.
  struct SummarySection {
    std::string title;
    std::vector<std::pair<std::string, std::string>> lines;
  };
  SummarySection kind_summary;                                     // the stream kind's (a table, a queue)
  std::vector<std::pair<std::string, std::string>> consumer_summary;  // consumers run by their own processes
  std::pair<std::string, std::string> shard_changes_summary;        // the shard set's changes, in its kind's words
  std::size_t lambda_mappings = 0;                                  // consumers that are Lambda mappings
};

nlohmann::ordered_json to_json(const RunResult& result);
// Every dotted path of the result JSON that leads to a number or a boolean (what objectives can
// name), for a run with these consumers and functions: "latency_s.p99",
// "consumers.0.latency_s.p99", "functions.process.concurrency.peak", …
std::vector<std::string> result_paths(const std::vector<std::string>& consumers, const std::vector<std::string>& functions);
std::string summary_text(const RunResult& result);

}  // namespace shardsim
