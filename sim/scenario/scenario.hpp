#pragma once
// The typed form of a scenario file. Member initialisers are the defaults (AWS's defaults where
// AWS has one); sim/scenario/scenario_schema.hpp gives each field its JSON name, range and meaning, and
// scenarios/README.md documents them for users.
#include <algorithm>
#include <cstdint>
#include <map>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/cost.hpp"
#include "models/core/function_config.hpp"
#include "models/core/lanes.hpp"
#include "models/core/retry_policy.hpp"
#include "models/kcl/lease_table.hpp"
#include "models/kinesis/on_demand.hpp"
#include "models/lambda/mapping_schedule.hpp"
#include "models/producers/producer_config.hpp"

namespace shardsim {

// A scheduled SplitShard or MergeShards (shard indices as the stream numbers them: the initial
// shards 0 … n−1, then each new shard the next index, in the order the operations open them).
struct ReshardOperation {
  double at_s = 0;
  enum class Type { split, merge, update_shard_count };
  Type type = Type::split;
  std::int64_t shard = 0;
  std::string new_starting_hash_key;  // split, decimal; empty: the middle of the shard's range
  std::int64_t adjacent_shard = 0;    // merge
  std::int64_t target_shard_count = 1;  // update_shard_count (UNIFORM_SCALING)
};

// DynamoDB: the table whose changes the stream carries (models/dynamodb/dynamodb.hpp).
struct TableConfig {
  std::int64_t partitions = 4;        // at creation; the stream has one open shard per partition
  double split_threshold_wcu = 1000;  // a partition asked for this many write units per second …
  double split_after_s = 300;         // … in this many consecutive seconds splits (the model's choice)
  std::int64_t max_partitions = 1024; // no split beyond this many
  // Fields of stream (not of stream.table) in the scenario file:
  double shard_rollover_s = 14400;       // a shard closes with one child after this long (undocumented)
  std::int64_t max_readers_per_shard = 2;  // AWS's "no more than two" (one for global tables)
};

// SQS: the queue a Lambda mapping reads instead of a stream (models/sqs/sqs_queue.hpp).
// A Kafka topic (stream.type "kafka"): its partitions at creation, and partitions added later
// (kafka-topics --alter --partitions: a topic's partition count only grows).
struct Repartition {
  double at_s = 0;
  std::int64_t partitions = 1;  // the topic's partitions from at_s on
};
struct TopicConfig {
  std::int64_t partitions = 1;
  std::vector<Repartition> repartition;
  std::int64_t producer_batch_bytes = 16'384;  // the producers' batch.size: a keyless producer's bytes per partition before it switches
};

struct QueueConfig {
  double visibility_timeout_s = 30;     // a received message is invisible this long unless deleted
  double retention_s = 345'600;         // 4 days
  std::int64_t max_receive_count = -1;  // redrive policy: to the dead-letter queue after this many receives; -1 none
  double duplicate_probability = 0;     // standard: a processed message is delivered once more (at-least-once)
  std::int64_t send_batch_size = 1;     // fifo: messages per SendMessageBatch call of the producers
  bool high_throughput = false;         // fifo: high-throughput mode
};

struct StreamConfig {
  enum class Type { kinesis, dynamodb, sqs_standard, sqs_fifo, kafka };
  Type type = Type::kinesis;
  bool is_queue() const { return type == Type::sqs_standard || type == Type::sqs_fifo; }
  std::int64_t shards = 1;  // on_demand: the shards at the start, default 4; dynamodb: the partitions (filled in by the loader)
  std::vector<ReshardOperation> reshard;
  double retention_hours = 24;  // dynamodb: always 24
  double write_burst_s = 1;  // write buckets hold this many seconds of their rate (the model's choice)
  // kinesis: how the stream is sized (fields of stream in the scenario file).
  enum class CapacityMode { provisioned, on_demand };
  struct Kinesis {
    CapacityMode capacity_mode = CapacityMode::provisioned;
    OnDemandParams on_demand;
  } kinesis;
  TableConfig table;  // dynamodb
  QueueConfig queue;  // sqs_standard, sqs_fifo
  TopicConfig topic;  // kafka
};

// An attribute a share of the records carry, for filter criteria to match (a field of the data).
struct RecordAttribute {
  std::string name;
  double share = 0;
};
// One filter of a mapping's FilterCriteria (models/core/record_filter.hpp): its parts ANDed.
struct FilterConfig {
  std::vector<std::string> partition_keys;
  std::vector<std::string> entities;
  std::string attribute;
};

struct ConsumerConfig {
  enum class Type { lambda_esm, kcl, raw_reader };
  Type type = Type::lambda_esm;
  std::string name;               // default "<function>-mapping"
  std::string function;           // a key of Scenario::functions
  enum class OnFailure { none, sqs, sns, s3 };
  enum class Delivery { polling, efo };
  Delivery delivery = Delivery::polling;
  double poll_interval_s = 1.0;       // idle polling period per shard
  double propagation_delay_s = -1;    // put → visible to the consumer; -1: AWS's typical value
  enum class StartingPosition { TRIM_HORIZON, LATEST, AT_TIMESTAMP };
  StartingPosition starting_position = StartingPosition::TRIM_HORIZON;
  double starting_position_timestamp_s = 0;  // AT_TIMESTAMP
  double start_s = 0;                        // the consumer starts at this time
  enum class Lineage { parent_first, ignore };
  Lineage lineage = Lineage::parent_first;   // undocumented by AWS (design.md §6); raw_reader: ignore (loader)

  // lambda_esm: a Lambda event source mapping's settings.
  struct Mapping {
    std::int64_t batch_size = 100;
    double batching_window_s = 0;
    std::int64_t parallelization_factor = 1;
    LaneAssignmentType lane_assignment = LaneAssignmentType::hash;
    std::int64_t max_retry_attempts = -1;  // -1: retry until the records expire
    double max_record_age_s = -1;          // -1: no age limit
    bool bisect_on_error = false;
    bool report_batch_item_failures = false;
    OnFailure on_failure = OnFailure::none;
    std::vector<DisabledPeriod> disabled;   // turned off, then on again (models/lambda/mapping_schedule.hpp)
    std::int64_t maximum_concurrency = -1;  // on SQS: MaximumConcurrency; -1 none (the mapping's 1,000)
    std::vector<FilterConfig> filters;      // FilterCriteria: ORed; empty: every record
    double tumbling_window_s = 0;           // TumblingWindowInSeconds; 0: none
    double tumbling_window_quiet_s = 120;   // the wait after a window's end for more of its records
    // On Kafka: the event pollers (models/kafka/event_pollers.hpp); ProvisionedPollersConfig.
    struct Pollers {
      enum class Mode { on_demand, provisioned };
      Mode mode = Mode::on_demand;
      std::int64_t minimum = -1, maximum = 200;  // provisioned: MinimumPollers (-1: 1 on Kafka, 2 on SQS), MaximumPollers
      double scale_delay_s = -1;                // -1: 180 s on demand, 0 provisioned
    } pollers;
  } mapping;
  // kcl and raw_reader: one GetRecords' records are one batch.
  struct Reader {
    std::int64_t max_records = 10'000;  // per GetRecords (KCL's default; the adapter's 1,000)
    std::int64_t max_attempts = 3;      // raw_reader: tries of a failing batch before it is skipped
  } reader;
  // kcl (models/kcl/lease_table.hpp): its workers and their leases.
  struct Kcl {
    std::int64_t workers = 1;
    std::int64_t worker_threads = 0;         // batches a worker runs at once; 0: no limit
    std::int64_t max_leases_per_worker = 0;  // 0 = no limit
    double checkpoint_interval_s = 0;        // 0 = after every batch
    double failover_s = 10;                  // failoverTimeMillis
    double lease_taker_interval_s = -1;      // -1: the KCL's 2 × (failover + 25 ms)
    double parent_poll_interval_s = 10;      // parentShardPollIntervalMillis
    double shard_sync_interval_s = -1;       // -1: child leases only at the parents' SHARD_END (KCL 2.x+)
    std::vector<WorkerFailure> worker_failures;
  } kcl;
};

struct LambdaConfig {
  std::int64_t account_concurrency = 1000;
  double scaling_limit_per_10s = 1000;  // new execution environments per function per 10 s
  RetryBackoff retry_backoff;
};

struct Limits {
  double drain_limit_s = 3600;                    // time allowed after duration_s to drain
  std::int64_t max_backlog_records = 50'000'000;  // safety stop: unread records held in memory
  double max_records = 5e9;                        // refused before running: records the producers would make
  double max_memory_mb = 0;                        // refused before running: estimated memory; 0: 80 % of the machine's
};

struct Scenario {
  std::string name;         // default: the file's stem
  std::string description;
  std::string question;     // the catalog (scenarios/questions/): the user's question, short
  std::string answer;       // and its answer in plain words; `expect` makes it checkable
  std::int64_t seed = 1;   // 0 … 2^63-1
  double duration_s = 60;
  bool what_if = false;     // allow values beyond AWS's limits (with a warning)
  StreamConfig stream;
  std::vector<ProducerConfig> producers;
  std::vector<ConsumerConfig> consumers;
  std::vector<RecordAttribute> record_attributes;
  std::map<std::string, FunctionConfig> functions;
  LambdaConfig lambda;
  Pricing pricing;
  Limits limits;
  // For `shardsim sweep` (sim/studies/sweep.hpp checks them); `run` runs the base scenario.
  nlohmann::json sweep;       // {"mode": "product"|"zip", "parameters": {"path": [values] | {range}}}
  std::int64_t replications = 1;
  nlohmann::json objectives;  // {"latency_s.p99": {"max": 2}, …}
  nlohmann::json expect;      // the stated answer, checked by `shardsim run` (analysis/expectations.hpp)
  nlohmann::json plan;        // for `shardsim plan` (sim/studies/plan.hpp): {"search": {…}, "minimize": "result.path"}
  nlohmann::json variants;    // for `shardsim compare` (sim/studies/compare.hpp): {"name": {"dotted.path": value, …}, …}
};

// Consumers that poll the stream with GetRecords (they share its per-shard read limits).
inline std::size_t polling_consumers(const Scenario& s) {
  return static_cast<std::size_t>(std::count_if(s.consumers.begin(), s.consumers.end(), [](const ConsumerConfig& c) {
    return c.delivery == ConsumerConfig::Delivery::polling;
  }));
}

}  // namespace shardsim
