#pragma once
// The function's handler: how long an invocation runs for a batch, and how it fails.
// Records run one after another in batch order after a per-invocation overhead:
//   record i runs from per_invocation + Σ_{j<i} per_record_j to that + per_record_i.
// Failures: an invocation may fail before any record (invocation_failure_probability); a record
// fails if its key is poisoned or with record_failure_probability. Without
// ReportBatchItemFailures the first failing record throws: the invocation ends there with a
// function error. With it, the handler catches each failure, finishes the batch and reports
// the failed records. An invocation longer than timeout_s fails at timeout_s.
#include <cstdint>
#include <vector>

#include "models/record.hpp"
#include "sim/rng.hpp"
#include "sim/scenario.hpp"

namespace shardsim {

struct HandlerOutcome {
  double duration_s = 0;
  bool function_error = false;          // the whole invocation failed (thrown error or timeout)
  bool timed_out = false;
  std::vector<std::size_t> failed;      // ReportBatchItemFailures: indices of failed records
  std::size_t records_run = 0;          // records that ran (the first records_run of the batch)
  std::vector<double> record_start_s;   // per record that ran: start, from the invocation's start
  std::vector<double> record_end_s;     // per record that ran: end, from the invocation's start
  bool ok() const { return !function_error && failed.empty(); }
};

class Handler {
public:
  // poison: interned ids of poison_keys, sorted.
  Handler(const FunctionConfig& config, Rng rng, std::vector<KeyId> poison = {})
      : config_(config), rng_(rng), poison_(std::move(poison)) {}
  HandlerOutcome run(const std::vector<Record>& batch, bool report_item_failures);
  // The init phase of a new execution environment (a cold start).
  double init_duration() { return config_.cold_start.init_s.sample(rng_); }

private:
  bool record_fails(const Record& record);
  const FunctionConfig& config_;
  Rng rng_;
  std::vector<KeyId> poison_;
};

}  // namespace shardsim
