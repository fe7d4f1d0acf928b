#pragma once
// The function's handler: how long an invocation runs for a batch, and how it fails.
// Strategies (functions.<name>.strategy):
//   sequential        records run one after another in batch order after a per-invocation
//                     overhead: record i runs from per_invocation + Σ_{j<i} d_j for d_i.
//   per_key_parallel  the batch is grouped by ordering key; groups run concurrently on at most
//                     max_in_handler_concurrency workers (a group goes to the first free
//                     worker, in order of first appearance), each group's records in order.
//   distributed_lock  records one after another, each inside its ordering key's lock from the
//                     function's lock table (models/core/lock_table.hpp): acquire (waiting while
//                     another invocation holds it), work, release; the waits run, and are
//                     billed, inside the invocation; a record whose wait exceeds max_wait_s fails.
//                     Lock attempts are decided when they happen: the invocation runs step by
//                     step (`pending`, Handler::resume), and a record it never reaches before
//                     its timeout takes no lock.
// A record's time d is per_record, times slow_key_multiplier for the slow keys.
// Failures: an invocation may fail before any record (invocation_failure_probability); a record
// fails if the consumer's failure rules say so (models/core/failure_rules.hpp: poison keys, single
// records, chosen attempts) or with record_failure_probability. Without
// ReportBatchItemFailures a failing record fails the invocation: sequentially it throws there,
// the records after it do not run; in parallel the invocation fails when all groups are done.
// With it, the handler reports the failed records. An invocation longer than timeout_s fails at
// timeout_s; records that had not finished by then did not run.
#include <cstdint>
#include <vector>

#include "models/base/rng.hpp"
#include "models/core/failure_rules.hpp"
#include "models/core/function_config.hpp"
#include "models/core/lock_table.hpp"
#include "models/core/record.hpp"

namespace shardsim {

struct HandlerOutcome {
  double duration_s = 0;
  bool function_error = false;          // the whole invocation failed (thrown error or timeout)
  bool timed_out = false;
  std::vector<std::size_t> failed;      // ReportBatchItemFailures: indices of failed records
  // Per record of the batch, from the invocation's start; end < 0: the record did not run.
  std::vector<double> record_start_s;
  std::vector<double> record_end_s;
  std::vector<char> took_expired_lock;  // distributed_lock: the record ran under a lock taken past a lease
  double lock_wait_s = 0;               // distributed_lock: time spent waiting for locks
  // distributed_lock: while `pending`, the invocation goes on at resume_s (absolute) with
  // Handler::resume; the records before `laid_out` have their final intervals (all of them once
  // the outcome is complete).
  bool pending = false;
  double resume_s = 0;
  std::size_t laid_out = 0;
  struct LockStep {
    std::size_t record = 0;  // the record acquiring its lock
    double t = 0;            // the handler's time of its next attempt (from the handler's start)
    double requested = -1;   // when it asked (< 0: not yet), and its round trips and work
    double acquire = 0, work = 0, release = 0;
    double handler_start_s = 0;  // absolute
  } lock;
  bool ok() const { return !function_error && failed.empty(); }
  bool ran(std::size_t i) const { return record_end_s[i] >= 0; }
};

class Handler {
public:
  // failures: the consumer's failure rules (shared by its handlers), or none; slow: interned ids
  // of slow_keys, sorted.
  Handler(const FunctionConfig& config, Rng rng, FailureRules* failures = nullptr, std::vector<KeyId> slow = {},
          LockTable* locks = nullptr)
      : config_(config), rng_(rng), failures_(failures && !failures->empty() ? failures : nullptr), slow_(std::move(slow)),
        locks_(locks) {}
  // The outcome of invoking `batch` with the handler starting at `start_s` (after a cold start's
  // init; absolute, for the lock table), into `out` (its storage reused). With distributed_lock
  // the outcome is pending: resume it at out.resume_s until it is not.
  void run(const std::vector<Record>& batch, bool report_item_failures, HandlerOutcome& out, double start_s = 0);
  // The pending invocation's step at out.resume_s: one lock attempt, and what follows from it.
  void resume(const std::vector<Record>& batch, bool report_item_failures, HandlerOutcome& out);
  // The init phase of a new execution environment (a cold start).
  double init_duration() { return config_.cold_start.init_s.sample(rng_); }

private:
  // Inlined into the loops over a batch (once per record).
  [[gnu::always_inline]] inline double record_duration(const Record& record);
  [[gnu::always_inline]] inline bool record_fails(const Record& record);
  // Lays out the records' intervals from `t0`; returns the end of the last one.
  double run_sequential(const std::vector<Record>& batch, double t0, bool report_item_failures, HandlerOutcome& out);
  double run_per_key_parallel(const std::vector<Record>& batch, double t0, HandlerOutcome& out);
  // The invocation's end at `end` (from the handler's start): cut at the timeout, or complete.
  void end_at(double end, bool report_item_failures, HandlerOutcome& out) const;
  const FunctionConfig& config_;
  Rng rng_;
  FailureRules* failures_;
  std::vector<KeyId> slow_;
  LockTable* locks_;
};

}  // namespace shardsim
