#pragma once
// The counters of one consumer (event source mapping), and their sum over consumers.
#include <cstdint>

#include "models/core/record_source.hpp"

namespace shardsim {

struct ConsumerCounts {
  std::uint64_t processed = 0;           // records that succeeded (first success only)
  std::uint64_t duplicates = 0;          // successes of records that had already succeeded
  std::uint64_t expired = 0;             // records that vanished past retention before they were finished
  std::uint64_t discarded = 0;           // records given up after retries or max age
  std::uint64_t skipped = 0;             // records before the starting position, never read
  std::uint64_t filtered = 0;            // records read and discarded by the filter criteria, never invoked
  std::uint64_t on_failure_batches = 0;  // discarded (sub-)batches reported to the on-failure destination
  std::uint64_t invocations = 0;
  std::uint64_t errors = 0;              // invocations that failed as a whole (error or timeout)
  std::uint64_t retries = 0;             // invocations of records that had failed before
  std::uint64_t timeouts = 0;
  std::uint64_t partial_failures = 0;    // invocations that reported failed records
  std::uint64_t bisections = 0;
  std::uint64_t throttled = 0;           // invocation attempts refused by Lambda (each retry counts)
  std::uint64_t throttled_scaling = 0;   // of which refused by the scaling rate (no new environment)
  std::uint64_t cold_starts = 0;
  // Tumbling windows: closed (their final invocation succeeded), of which at their shard's end
  // before the window's; final invocations run (each try counts, as in invocations).
  std::uint64_t windows_closed = 0, windows_closed_at_shard_end = 0, final_invocations = 0;
  std::uint64_t read_throttles = 0;      // GetRecords calls refused by the shard
  std::uint64_t read_throttles_bytes = 0;  // of which for the 2 MiB/s byte rate (the rest: 5 calls/s)
  // Calls a read limit held back (per ReadLimit: call rate, byte rate, readers per shard), the
  // seconds they waited, and the calls the readers would have made meanwhile at their poll interval.
  std::uint64_t read_waits[kReadLimitCount] = {};
  double read_wait_s[kReadLimitCount] = {};
  double read_calls_wanted[kReadLimitCount] = {};

  ConsumerCounts& operator+=(const ConsumerCounts& o) {
    processed += o.processed;
    duplicates += o.duplicates;
    expired += o.expired;
    discarded += o.discarded;
    skipped += o.skipped;
    filtered += o.filtered;
    on_failure_batches += o.on_failure_batches;
    invocations += o.invocations;
    errors += o.errors;
    retries += o.retries;
    timeouts += o.timeouts;
    partial_failures += o.partial_failures;
    bisections += o.bisections;
    throttled += o.throttled;
    throttled_scaling += o.throttled_scaling;
    cold_starts += o.cold_starts;
    windows_closed += o.windows_closed;
    windows_closed_at_shard_end += o.windows_closed_at_shard_end;
    final_invocations += o.final_invocations;
    read_throttles += o.read_throttles;
    read_throttles_bytes += o.read_throttles_bytes;
    for (std::size_t i = 0; i < kReadLimitCount; ++i) {
      read_waits[i] += o.read_waits[i];
      read_wait_s[i] += o.read_wait_s[i];
      read_calls_wanted[i] += o.read_calls_wanted[i];
    }
    return *this;
  }
};

}  // namespace shardsim
