#pragma once
// A function's parameters: handler duration, errors, cold starts, limits and in-handler
// strategy. The scenario's `functions.<name>` entries are read into these.
#include <cstdint>
#include <string>
#include <vector>

#include "models/core/distribution.hpp"

namespace shardsim {

struct DurationSpec {
  Distribution per_invocation = Distribution::constant_of(0.01);
  Distribution per_record = Distribution::constant_of(0.001);
  std::vector<std::string> slow_keys;  // partition keys whose records take longer
  double slow_key_multiplier = 10;
};

// A rule of models/core/failure_rules.hpp as the scenario writes it.
struct FailingRecordSpec {
  std::string key;                 // partition key; empty: any
  std::int64_t sequence = 0;       // SequenceNumber in its shard (1 = the first record written); 0: any
  std::vector<double> attempts;    // deliveries it fails on (1 = the first), whole numbers; empty: every one
};

struct ErrorSpec {
  double record_failure_probability = 0;      // each record fails independently
  std::vector<std::string> poison_keys;       // records with these partition keys always fail
  std::vector<FailingRecordSpec> failing_records;
  double invocation_failure_probability = 0;  // the invocation fails before any record is processed
};

struct ColdStartSpec {
  // Init phase of a new execution environment (AWS: under 100 ms to over 1 s).
  Distribution init_s = Distribution::lognormal_of(0.25, 0.5);
  double keep_warm_s = 600;  // an idle environment is kept this long (undocumented by AWS)
};

// strategy distributed_lock: each record takes its ordering key's lock in a lock table shared by
// every invocation of the function (models/core/lock_table.hpp).
struct LockSpec {
  Distribution acquire_s = Distribution::constant_of(0.005);  // a conditional write's round trip
  Distribution release_s = Distribution::constant_of(0.005);  // the delete's
  double retry_s = 1;      // between failed attempts (the DynamoDB Lock Client re-reads every 1 s)
  double ttl_s = 20;       // the lease (the Lock Client's 20 s)
  double max_wait_s = 21;  // give up (the record fails) after waiting this long (lease + 1 s)
};

struct FunctionConfig {
  DurationSpec duration;
  ColdStartSpec cold_start;
  std::int64_t reserved_concurrency = -1;  // -1: none, the function draws on the unreserved pool
  std::int64_t provisioned_concurrency = 0;  // environments kept initialised (no cold start)
  double timeout_s = 3;                    // AWS's default function timeout
  std::int64_t memory_mb = 128;            // billed GB-seconds = memory × billed duration
  enum class Strategy { sequential, per_key_parallel, distributed_lock };
  Strategy strategy = Strategy::sequential;
  std::int64_t max_in_handler_concurrency = 10;
  LockSpec lock;
  ErrorSpec errors;
};

}  // namespace shardsim
