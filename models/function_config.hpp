#pragma once
// A function's parameters: handler duration, errors, cold starts, limits and in-handler
// strategy. The scenario's `functions.<name>` entries are read into these.
#include <cstdint>
#include <string>
#include <vector>

#include "models/distribution.hpp"

namespace shardsim {

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

}  // namespace shardsim
