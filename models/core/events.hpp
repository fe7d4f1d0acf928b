#pragma once
// What the models tell the analysis layer. Models emit these typed events to the sink they are
// given and never format output themselves (analysis/metrics.hpp is the sink of a run).
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "models/core/handler.hpp"
#include "models/core/record.hpp"
#include "models/core/record_source.hpp"
#include "models/core/retry_policy.hpp"

namespace shardsim {

struct Invocation {
  std::size_t consumer = 0;
  std::size_t function = 0;
  std::size_t shard = 0;
  std::size_t lane = 0;
  bool cold_start = false;
  double init_s = 0;   // the cold start's init phase, from start_s; the handler runs after it
  double start_s = 0;
  double end_s = 0;
  const std::vector<Record>* batch = nullptr;   // the records invoked
  const HandlerOutcome* outcome = nullptr;
};

// A queue's state at a moment, as SQS's gauges (ApproximateNumberOfMessagesVisible, …NotVisible,
// ApproximateAgeOfOldestMessage) report it. Extra deliveries of processed messages are left out.
struct QueueGauge {
  std::uint64_t visible = 0;      // sent and waiting: receivable, or behind a FIFO group's messages
  std::uint64_t not_visible = 0;  // received and not deleted: in flight, or inside their visibility timeout
  double oldest_arrival_s = std::numeric_limits<double>::infinity();  // of the messages not deleted
};

class EventSink {
public:
  virtual ~EventSink() = default;
  // One put attempt of a record (record.put_attempts says which): accepted (written) or
  // rejected by the shard's write limit.
  virtual void record_put(const Record& record, std::size_t shard, bool accepted) = 0;
  // The stream's shard set changed at `at`: a shard opened (new index, AWS-style id) or closed.
  virtual void shard_opened(std::size_t shard, const std::string& id, double at) = 0;
  virtual void shard_closed(std::size_t shard, double at) = 0;
  // The lanes of consumer's reader of `shard` that have records to run (running, waiting to run
  // or to retry, or holding a partial batch for its window) changed by `change`.
  virtual void lanes_with_work_changed(std::size_t consumer, std::size_t shard, int change, double now) = 0;
  // A consumer began reading a shard (after its lineage gate), or finished with it.
  virtual void reader_started(std::size_t consumer, std::size_t shard, double now) = 0;
  virtual void reader_finished(std::size_t consumer, std::size_t shard, double now) = 0;
  // The producer gave up on a record after its last rejected attempt.
  virtual void record_dropped(const Record& record) = 0;
  // A record vanished from a shard past the retention period before `consumer` read it.
  virtual void record_expired(std::size_t consumer, std::size_t shard, const Record& record, double now) = 0;
  // Records before the consumer's starting position (LATEST, AT_TIMESTAMP): never read.
  virtual void records_skipped(std::size_t consumer, std::size_t shard, std::uint64_t count, double now) = 0;
  // Records the consumer read and its filter criteria discarded before batching (never invoked).
  virtual void records_filtered(std::size_t consumer, std::size_t shard, std::uint64_t count, double now) = 0;
  // A call returned `records` of the shard's records, `bytes` in all, the last of which arrived at
  // last_arrival_s (`shared`: the call counts against the shard's read limits shared by its
  // polling consumers; an enhanced fan-out push does not).
  virtual void records_read(std::size_t consumer, std::size_t shard, std::uint64_t records, std::uint64_t bytes,
                            double last_arrival_s, bool shared, double now) = 0;
  // A GetRecords call refused: over the shard's 5 calls/s, or (bytes) its 2 MiB/s.
  virtual void read_throttled(std::size_t consumer, std::size_t shard, bool bytes, double now) = 0;
  // A call was made `wait_s` later than the consumer wanted because of a read limit; at its poll
  // interval it would have made `calls_wanted` calls in that time (1 when it was behind).
  virtual void read_waited(std::size_t consumer, std::size_t shard, ReadLimit limit, double wait_s,
                           double calls_wanted) = 0;
  // Lambda refused an invocation: no concurrency left, or (scaling) no new environment allowed.
  virtual void invocation_throttled(std::size_t consumer, std::size_t function, bool scaling, double now) = 0;
  // An invocation begins (its outcome, durations included, is already drawn, unless it is
  // pending: then records_running follows as its records are laid out).
  virtual void invocation_started(const Invocation& invocation) = 0;
  // A pending invocation (distributed_lock) laid out records [from, to) of its batch at `now`.
  virtual void records_running(const Invocation& invocation, std::size_t from, std::size_t to, double now) = 0;
  virtual void invocation_finished(const Invocation& invocation) = 0;
  // A shard's tumbling window (models/core/tumbling_window.hpp) closed: `final`, its final
  // invocation (no records), succeeded. The window ends at window_end_s and was found over at
  // over_s; at_shard_end: the shard ended before the window did.
  virtual void window_closed(const Invocation& final, double window_end_s, double over_s, bool at_shard_end) = 0;
  // What the mapping concluded from that invocation (right after invocation_finished). The
  // settlement holds the records; invocation.batch is not read here (a lane may have lent its
  // storage to the settlement for the call).
  virtual void batch_settled(const Invocation& invocation, const Settlement& settlement) = 0;
  // Records of a batch given up at `now` before an invocation (a new batch, or a retry after a
  // throttle or a failure): expired in the stream, or discarded past the maximum record age
  // (settlement.expired, settlement.discarded).
  virtual void records_given_up(std::size_t consumer, std::size_t shard, const Settlement& settlement, double now) = 0;
  // The number of invocations in flight changed (for `function`, and in the account).
  virtual void concurrency_changed(std::size_t function, int function_in_flight, int account_in_flight,
                                   double now) = 0;
  // A queue's state just before `at` (reported at each multiple of a period when asked for, and
  // when its consumer is done: it then holds to the end).
  virtual void queue_sampled(std::size_t consumer, double at, const QueueGauge& gauge) = 0;
};

}  // namespace shardsim
