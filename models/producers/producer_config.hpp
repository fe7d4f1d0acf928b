#pragma once
// A producer's parameters: its arrival process, partition keys, entities, record sizes, put
// retries and KPL aggregation. The scenario's `producers[]` entries are read into these.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/core/distribution.hpp"
#include "models/core/keys.hpp"

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
  std::optional<KeySpec> sort_keys;  // DynamoDB: each item's sort key; none: one item per partition key
  // Whose order is checked: the partition key, the item (DynamoDB: partition key + sort key) or
  // the entity; automatic: the entity if there is one, else the item (which is the partition key
  // without sort keys). The loader resolves automatic, so results name the key.
  enum class OrderBy { automatic, partition_key, item, entity };
  OrderBy order_by = OrderBy::automatic;
  std::int64_t max_put_attempts = 3;  // AWS SDKs' standard retry mode: 3 attempts
  double put_retry_delay_s = 0.1;     // base of the exponential backoff with full jitter
  double put_retry_max_delay_s = 20;  // the backoff's cap
  bool ordered = false;               // a key's puts in order: later records wait behind a retry
  // A PutRecord's round trip, which an ordered producer waits for before the key's next put
  // (AWS documents no figure: the model's choice, a median of 20 ms).
  Distribution put_latency_s = Distribution::lognormal_of(0.02, 0.5);
  std::string explicit_hash_key;      // decimal 0 … 2^128−1; empty: MD5 of the partition key
  struct Aggregation {
    std::int64_t records_per_kinesis_record = 1;  // 1: no aggregation
    std::string partition_key;                   // empty: the first user record's key
  } aggregation;
};

}  // namespace shardsim
