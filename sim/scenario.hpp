#pragma once
// The typed form of a scenario file. Member initialisers are the defaults (AWS's defaults where
// AWS has one); sim/scenario_schema.hpp gives each field its JSON name, range and meaning, and
// scenarios/README.md documents them for users.
#include <cstdint>
#include <map>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "models/distribution.hpp"
#include "models/keys.hpp"
#include "models/lanes.hpp"

namespace shardsim {

struct SchedulePoint {
  double at_s = 0;
  double factor = 1;  // rate = rate_per_s × factor from at_s on
};

struct TraceRow {
  double time_s = 0;
  std::string partition_key;
  std::uint32_t bytes = 0;
  std::string entity;  // empty: the partition key
};

struct ArrivalSpec {
  enum class Type { poisson, constant, on_off, schedule, trace };
  Type type = Type::poisson;
  enum class Within { poisson, constant };
  Within within = Within::poisson;  // on_off, schedule: the process while the rate is on
  double on_s = 1, off_s = 1;       // on_off
  enum class Shape { step, linear };
  Shape shape = Shape::step;        // schedule: hold each factor, or interpolate between points
  std::vector<SchedulePoint> points;
  std::string file;                 // trace: CSV, relative to the scenario file
  std::vector<TraceRow> rows;       // trace: read from `file` when the scenario is loaded
};

struct ProducerConfig {
  std::string name;          // default "producer-<index>"
  double rate_per_s = 100;   // mean records per second
  ArrivalSpec arrival;
  KeySpec keys;
  Distribution record_bytes = Distribution::constant_of(1024);  // data blob, without the key
  double start_s = 0;        // first record no earlier than this
  std::optional<KeySpec> entity;  // ordering key when it differs from the partition key
  std::int64_t max_put_attempts = 3;  // AWS SDKs' standard retry mode: 3 attempts
  double put_retry_delay_s = 0.1;     // base of the exponential backoff with full jitter
  double put_retry_max_delay_s = 20;  // the backoff's cap
  std::string explicit_hash_key;      // decimal 0 … 2^128−1; empty: MD5 of the partition key
  struct Aggregation {
    std::int64_t records_per_kinesis_record = 1;  // 1: no aggregation
    std::string partition_key;                   // empty: the first user record's key
  } aggregation;
};

struct StreamConfig {
  enum class Type { kinesis };
  Type type = Type::kinesis;
  std::int64_t shards = 1;
  double retention_hours = 24;
};

struct ConsumerConfig {
  enum class Type { lambda_esm };
  Type type = Type::lambda_esm;
  std::string name;               // default "<function>-mapping"
  std::string function;           // a key of Scenario::functions
  std::int64_t batch_size = 100;
  double batching_window_s = 0;
  std::int64_t parallelization_factor = 1;
  LaneAssignmentType lane_assignment = LaneAssignmentType::hash;
  std::int64_t max_retry_attempts = -1;  // -1: retry until the records expire
  double max_record_age_s = -1;          // -1: no age limit
  bool bisect_on_error = false;
  bool report_batch_item_failures = false;
  enum class OnFailure { none, sqs, sns, s3 };
  OnFailure on_failure = OnFailure::none;
  enum class Delivery { polling, efo };
  Delivery delivery = Delivery::polling;
  double poll_interval_s = 1.0;       // idle polling period per shard
  double propagation_delay_s = -1;    // put → visible to the consumer; -1: AWS's typical value
  enum class StartingPosition { TRIM_HORIZON, LATEST, AT_TIMESTAMP };
  StartingPosition starting_position = StartingPosition::TRIM_HORIZON;
  double starting_position_timestamp_s = 0;  // AT_TIMESTAMP
  double start_s = 0;                        // the mapping is enabled at this time
};

struct DurationSpec {
  Distribution per_invocation = Distribution::constant_of(0.01);
  Distribution per_record = Distribution::constant_of(0.001);
  std::vector<std::string> slow_keys;  // partition keys whose records take longer
  double slow_key_multiplier = 10;
};

struct ErrorSpec {
  double record_failure_probability = 0;      // each record fails independently
  std::vector<std::string> poison_keys;       // records with these partition keys always fail
  double invocation_failure_probability = 0;  // the invocation fails before any record is processed
};

struct ColdStartSpec {
  // Init phase of a new execution environment (AWS: under 100 ms to over 1 s).
  Distribution init_s = [] {
    Distribution d;
    d.type = Distribution::Type::lognormal;
    d.median = 0.25;
    d.sigma = 0.5;
    return d;
  }();
  double keep_warm_s = 600;  // an idle environment is kept this long (undocumented by AWS)
};

struct FunctionConfig {
  DurationSpec duration;
  ColdStartSpec cold_start;
  std::int64_t reserved_concurrency = -1;  // -1: none, the function draws on the unreserved pool
  double timeout_s = 3;                    // AWS's default function timeout
  std::int64_t memory_mb = 128;            // billed GB-seconds = memory × billed duration
  enum class Strategy { sequential, per_key_parallel };
  Strategy strategy = Strategy::sequential;
  std::int64_t max_in_handler_concurrency = 10;
  ErrorSpec errors;
};

struct RetryBackoff {
  double initial_s = 1.0;
  double multiplier = 2.0;
  double max_s = 60.0;
};

struct LambdaConfig {
  std::int64_t account_concurrency = 1000;
  double scaling_limit_per_10s = 1000;  // new execution environments per function per 10 s
  RetryBackoff retry_backoff;
};

// Prices in USD, us-east-1, as published on the AWS price lists in 2025 (Kinesis Data Streams
// provisioned mode; Lambda x86). Check them against the live price list before quoting costs.
struct Pricing {
  double lambda_per_million_requests = 0.20;
  double lambda_per_gb_s = 0.0000166667;
  double shard_hour = 0.015;
  double per_million_put_payload_units = 0.014;  // a unit is 25 KB of a record
};

struct Limits {
  double drain_limit_s = 3600;                    // time allowed after duration_s to drain
  std::int64_t max_backlog_records = 50'000'000;  // safety stop: unread records held in memory
};

struct Scenario {
  std::string name;         // default: the file's stem
  std::string description;
  std::int64_t seed = 1;   // 0 … 2^63-1
  double duration_s = 60;
  bool what_if = false;     // allow values beyond AWS's limits (with a warning)
  StreamConfig stream;
  std::vector<ProducerConfig> producers;
  std::vector<ConsumerConfig> consumers;
  std::map<std::string, FunctionConfig> functions;
  LambdaConfig lambda;
  Pricing pricing;
  Limits limits;
  // For `shardsim sweep` (sim/sweep.hpp checks them); `run` runs the base scenario.
  nlohmann::json sweep;       // {"mode": "product"|"zip", "parameters": {"path": [values] | {range}}}
  std::int64_t replications = 1;
  nlohmann::json objectives;  // {"latency_s.p99": {"max": 2}, …}
};

}  // namespace shardsim
