#pragma once
// A Lambda event source mapping on an SQS queue, as one actor: its pollers receive batches from
// the queue (models/sqs/sqs_queue.hpp) and invoke the function, up to max_batches at once. A standard
// queue's mapping starts with five concurrent batches and adds up to 300 per minute while
// messages remain visible after every poller has taken a batch (Lambda developer guide,
// "Configuring scaling behavior for SQS event source mappings"; its scaling back when traffic
// is low is not modelled). A FIFO queue's concurrency is bounded by its groups with messages,
// which the queue enforces.
// After an invocation the processed messages are deleted and the rest (a function error, a
// timeout, the records a ReportBatchItemFailures response names) become visible again after the
// visibility timeout. A throttled invocation's messages return the same way, and its poller
// waits (the mapping's retry backoff) before it receives again.
// The actor sleeps until the earliest end of an invocation, a poller's backoff, or the moment a
// message becomes receivable while a poller is free; it wakes about once per invocation.
#include <limits>
#include <queue>
#include <vector>

#include "models/base/run_control.hpp"
#include "models/core/consumer_actor.hpp"
#include "models/core/events.hpp"
#include "models/core/executor.hpp"
#include "models/core/handler.hpp"
#include "models/core/invocation_run.hpp"
#include "models/core/record_filter.hpp"
#include "models/lambda/mapping_schedule.hpp"
#include "models/sqs/sqs_queue.hpp"

namespace shardsim {

struct QueuePollerParams {
  std::size_t consumer = 0;
  std::size_t function = 0;
  double start_s = 0;                 // the mapping is enabled at this time
  MappingSchedule schedule;           // and turned off and on again
  std::size_t max_batches = 1000;     // MaximumConcurrency, else the mapping's own limit
  bool scale_gradually = false;       // from initial_batches, batches_added_per_s while messages wait
  double initial_batches = 5;         // standard queues: 5 batches, then up to 300 more per minute;
  double batches_added_per_s = 5;     // provisioned pollers: 10 per minimum poller, 1,000 more per minute
  BatchLimits limits;                 // BatchSize and the 6 MB payload
  double batching_window_s = 0;       // MaximumBatchingWindowInSeconds
  double poll_interval_s = 0;         // after a receive that found nothing; 0: long polling (at once)
  bool report_item_failures = false;  // ReportBatchItemFailures
  double visibility_timeout_s = 30;   // for counting invocations that outlast it
  RetryBackoff backoff;               // a throttled poller's wait
  const RecordFilter* filter = nullptr;  // FilterCriteria: messages it does not keep are deleted, never invoked
  double gauge_period_s = 0;  // > 0: the queue's state is reported to the sink at each multiple of it
};

class QueuePoller final : public ConsumerActor {
public:
  QueuePoller(QueuePollerParams params, MessageQueue& queue, Handler handler, Executor& executor, EventSink& sink,
              RunControl& control);
  void operator()() override;
  std::uint64_t unfinished() const override;
  void for_each_unfinished(const std::function<void(const Record&)>& f) const override;
  // Invocations that ended after their messages' visibility timeout (SQS would have made them
  // visible again meanwhile, and another poller could have received them: not modelled).
  std::uint64_t visibility_overruns() const { return overruns_; }
  // Most pollers (batches in flight or backing off) at once.
  std::size_t peak_pollers() const { return peak_pollers_; }

private:
  struct Slot {
    enum class Phase { idle, running, resting };
    explicit Slot(InvocationRun invocation) : run(invocation) {}
    Phase phase = Phase::idle;
    double at = 0;  // running: the invocation's end; resting: the end of its backoff
    ReceivedBatch batch;
    double gathered_s = 0;  // when its batching window began (its receive's time without one)
    InvocationRun run;
    std::vector<char> deleted;
    // With filter criteria: the batch positions of the messages invoked (empty when all are)
    // and those messages; the others are deleted with the batch's settlement.
    std::vector<std::size_t> kept;
    std::vector<Record> invoked;
    const std::vector<Record>& records() const { return kept.empty() ? batch.records : invoked; }
  };
  // The latency split of the messages a slot's invocation settled: before its first receive
  // (poll, less the batching window of that receive), from then to the receive that succeeded
  // (retries: failed or throttled invocations, visibility timeouts), then the invocation.
  class BatchSplit final : public LatencySplitter {
  public:
    void settled(const Slot& slot, double now);
    void book(const std::vector<Record>& records, double now, LatencyBooks& books) const override;

  private:
    const Slot* slot_ = nullptr;
    LatencySplit shared_;
  };
  using Event = std::pair<double, std::size_t>;  // (time, slot)

  std::size_t allowed() const;
  double poll(double now);
  void invoke(std::size_t index, double now);
  void finish(std::size_t index, double now);
  // A pending invocation's next step (distributed_lock) is due; then when it goes on or ends.
  void resume(std::size_t index, double now);
  void schedule_end(std::size_t index, double now);
  void release(std::size_t index);
  // Applies the filter to a slot's new batch: false when it keeps none (the batch is settled:
  // every message deleted, counted as filtered).
  bool filter(std::size_t index, double now);
  // Settles the slot's batch by slot.deleted; the filtered messages among the deleted ones are
  // taken out of the settlements and counted as filtered.
  void settle(Slot& slot, double now);
  // The queue's state, with the messages in flight, at `at` (nothing changed since the last wake).
  QueueGauge gauge(double at) const;
  // Reports it at each multiple of the gauge period up to `now` not reported yet.
  void sample_queue(double now);

  QueuePollerParams p_;
  MessageQueue& queue_;
  Handler handler_;
  Executor& executor_;
  EventSink& sink_;
  RunControl& control_;
  std::vector<Slot> slots_;
  std::vector<std::size_t> free_;  // idle slots
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
  std::size_t active_ = 0, running_ = 0, peak_pollers_ = 0;
  double allowance_;               // batches the mapping has scaled to
  bool saturated_ = false;         // every allowed poller busy while messages wait
  double last_poll_ = 0;
  double next_receive_ = 0;        // after an empty receive, with a poll interval
  double window_deadline_ = std::numeric_limits<double>::infinity();
  double throttle_wait_;
  bool stopping_ = false;
  std::uint64_t overruns_ = 0;
  std::uint64_t gauges_ = 0;  // multiples of the gauge period reported
  Settlement first_, again_;
  BatchSplit split_;
};

}  // namespace shardsim
