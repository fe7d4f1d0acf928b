#pragma once
// A consumer's work on one shard, as one actor. It drives four parts:
//   source      fetches visible records under the read limits (models/core/record_source.hpp);
//   dispatcher  holds them and cuts batches for up to PF lanes (models/core/dispatcher.hpp);
//   executor    admits or throttles each invocation (models/core/executor.hpp: Lambda, a pool);
//   retry       per lane, settles each invocation's outcome (models/core/retry_policy.hpp).
// A lane invokes the handler one batch after another; it is a state machine with one pending
// event (a throttled or failed invocation's retry, or the end of its invocation). The actor
// sleeps until the earliest event of its lanes and its source's next call, so it wakes about
// once per invocation and lanes cost no actor, no stack and no synchronisation.
// The source is called when the dispatcher has nothing for an idle lane or a batching window
// is gathering. The reader finishes when its source is exhausted (its shard closed, or
// production over, and read to the end) and every lane is idle. Before it starts, it can wait
// for other actors to finish: the readers of its shard's parents (the lineage gate).
// With a tumbling window (one lane), the lane runs a window's final invocation once the window
// is over and its records are done, before any record of the next window.
#include <limits>
#include <memory>
#include <vector>

#include <simgrid/s4u/Actor.hpp>

#include "models/base/run_control.hpp"
#include "models/core/consumer_actor.hpp"
#include "models/core/dispatcher.hpp"
#include "models/core/events.hpp"
#include "models/core/executor.hpp"
#include "models/core/handler.hpp"
#include "models/core/invocation_run.hpp"
#include "models/core/record_source.hpp"
#include "models/core/retry_policy.hpp"
#include "models/core/tumbling_window.hpp"
#include "models/kcl/lease_table.hpp"
#include "models/kcl/worker_threads.hpp"
#include "models/lambda/mapping_schedule.hpp"
#include "models/reader/read_timeline.hpp"

namespace shardsim {

// A KCL consumer's shard: its lease (models/kcl/lease_table.hpp) and how often the application
// checkpoints (0: after every batch).
struct LeaseParams {
  LeaseTable* table = nullptr;  // none: not leased (a Lambda mapping, a raw reader)
  double checkpoint_interval_s = 0;
  // A worker holding a child's lease before its parents are done looks again this often
  // (parentShardPollIntervalMillis): it starts at its first look after they are done. 0: at once.
  double parent_poll_interval_s = 0;
  // A child's lease is created when its parents are done, or at the first shard sync after it
  // opened (every shard_sync_interval_s from the application's start; 0: none).
  double shard_sync_interval_s = 0;
  WorkerThreads* threads = nullptr;  // the workers' threads, when limited
};

struct ReaderParams {
  std::size_t consumer = 0;
  std::size_t function = 0;  // whose handler the lanes run (for the sink)
  std::size_t shard = 0;
  double start_s = 0;        // the reader begins at this time
  MappingSchedule schedule;  // when the mapping is turned off and on again
  double first_arrival_s = -std::numeric_limits<double>::infinity();  // starting position
  bool report_item_failures = false;  // the handler reports failed records (ReportBatchItemFailures)
  RetryBackoff backoff;
  LeaseParams lease;
  TumblingWindow tumbling;  // on: batches of one window each, and each window's final invocation (one lane)
};

// What a lane owns: its handler (with its own random stream) and its retry policy.
struct LaneParts {
  Handler handler;
  std::unique_ptr<RetryPolicy> retry;
};

class ShardReader final : public ConsumerActor {
public:
  ShardReader(ReaderParams params, std::unique_ptr<RecordSource> source, Dispatcher dispatcher, Executor& executor,
              std::vector<LaneParts> lanes, EventSink& sink, RunControl& control);

  // The lineage gate: the reader starts reading once these actors have finished.
  void wait_for(std::vector<simgrid::s4u::ActorPtr> parents) { parents_ = std::move(parents); }
  // The actor's body.
  void operator()() override;
  // Records of the shard this reader has not finished with (unread, buffered, or in a batch
  // that never completed). After the run.
  std::uint64_t unfinished() const override;
  void for_each_unfinished(const std::function<void(const Record&)>& f) const override;

private:
  struct Lane {
    enum class Phase {
      idle,      // no batch
      invoking,  // invokes its batch at `at` (after a throttle or a failure's backoff)
      running,   // its invocation ends at `at`
      stopped    // the run ended while the batch waited: it stays unfinished
    };
    Lane(LaneParts parts, InvocationRun invocation)
        : handler(std::move(parts.handler)), retry(std::move(parts.retry)), run(invocation) {}
    bool busy() const { return phase != Phase::idle; }
    Handler handler;
    std::unique_ptr<RetryPolicy> retry;  // the batch's progress through failures and retries
    Phase phase = Phase::idle;
    bool final = false;         // its invocation is a tumbling window's final one (no records)
    double at = 0;              // the pending event (invoking, running)
    std::vector<Record> batch;  // as cut from the buffer; its keys stay in flight until done
    InvocationRun run;          // the running invocation
    Settlement settlement;      // of its last invocation
    double throttle_wait = 0;   // before the next try after a throttle
    double failure_wait = 0;    // before retrying a failed batch
    // The batch's path, for its records' latency split: when it was cut and began gathering;
    // time spent refused by the executor or waiting for a worker thread, and with the mapping off.
    double cut_s = 0, gathered_s = 0, environment_s = 0, off_s = 0;
    double refused_at = -1, off_at = -1;  // a try refused, or put off by the mapping being off, at
  };

  bool wants_records() const;
  // Tells the sink when the number of lanes with records to run changed.
  void count_lanes_with_work(double now);
  double dispatch(double now);
  bool drained(double now) const;
  // Tumbling windows: whether the open window is over while the lane is idle (then its final
  // invocation is due before anything else); the final invocation's start.
  bool window_over(double now) const;
  void start_final(double now);
  // A push source's records join a lone lane's gathering batch as each becomes visible; instead
  // of waking for each, the reader may fetch them together when the batch would be cut (full, or
  // at its window's end) and book each read at its visible time. When that is, or +inf when it
  // may not wait (another reason to wake comes first).
  double gathered_until(double now, double deadline) const;
  // Books the reads of the records fetched together, [first, end), at their visible times.
  void book_gathered_reads(std::uint64_t first, std::uint64_t end);
  void report_position();
  // The reader's part of a wake-up at `now` (expiry, a call to the source, dispatch); returns
  // when it wants to run next, or +inf once it has stopped.
  double poll(double now);
  // Lanes: a batch's first invocation; an invocation (retried with backoff after a throttle);
  // the end of the running invocation (settle, then retry, back off, or finish the batch).
  void start_batch(std::size_t index, double now);
  void invoke(std::size_t index, double now);
  void finish_invocation(std::size_t index, double now);
  // A pending invocation's next step (distributed_lock) is due.
  void resume_invocation(Lane& lane, double now);
  // The lane's batch is done (delivered or given up): its keys are free, the lane idle.
  void finish_batch(std::size_t index);
  // Retries the lane's invocation after `wait` (then backs `wait` off), unless the run ends first.
  void invoke_later(Lane& lane, double now, double& wait);
  // A leased shard: waits until a worker takes the lease (false: the run ended first); at the
  // holder's failure, abandons the batch in flight, goes back to the checkpoint and waits for
  // another worker; after each batch, checkpoints when due; records processed again after a
  // failover are duplicates.
  bool take_lease();
  // KCL: the first shard sync at or after `opened` (+inf without periodic shard syncs).
  double first_shard_sync(double opened) const;
  // Waits for the parents to end, or until `until`: true when they all ended (and are forgotten).
  bool join_parents(double until);
  bool lose_lease(double now);
  // Ends every running invocation at `now`, unsettled (its records stay unfinished).
  void cut_running(double now);
  void settle_leased(Lane& lane, double now);
  // The latency split of the records a lane's invocation settled: the batch's path from its cut
  // (shared), and before it each record's own (put, its wait in the shard from the read timeline,
  // then the batching window or its lane).
  class BatchSplit final : public LatencySplitter {
  public:
    explicit BatchSplit(const ReadTimeline& timeline) : timeline_(timeline) {}
    // The lane's invocation settled at `now`.
    void settled(const Lane& lane, double now);
    void book(const std::vector<Record>& records, double now, LatencyBooks& books) const override;

  private:
    const ReadTimeline& timeline_;
    LatencySplit shared_;
    double cut_s_ = 0, gathered_s_ = 0, off_s_ = 0, retries_s_ = 0;
  };
  // The reader's state for the read timeline, after a wake-up's poll.
  ReaderState state() const;

  ReaderParams p_;
  std::vector<simgrid::s4u::ActorPtr> parents_;
  std::unique_ptr<RecordSource> source_;
  Dispatcher dispatcher_;
  Executor& executor_;
  std::vector<Lane> lanes_;
  ReadTimeline timeline_;
  BatchSplit split_{timeline_};
  int lanes_with_work_ = 0;  // as last told to the sink
  EventSink& sink_;
  RunControl& control_;
  // State between wake-ups.
  bool stopping_ = false;
  double last_call_;      // time of the source's last admitted call
  bool behind_ = false;   // the last call stopped at a per-call limit
  double next_call_ = 0;  // earliest time of the next call
  RecordSource::Hold hold_;  // a read limit holds back the call the reader wants (since hold_.wanted_s)
  bool gathering_ = false;   // the next call fetches records that became visible while a batch gathered
  // A leased shard's progress: positions before checkpoint_ are checkpointed; before done_end_
  // processed by some holder (so processed again means a duplicate).
  std::uint64_t checkpoint_ = 0, done_end_ = 0;
  double last_checkpoint_s_ = 0;
  double lease_lost_at_ = std::numeric_limits<double>::infinity();
  // Tumbling windows: the open window (whose records the lane has taken) and its end; the newest
  // arrival read so far; when the open window was found over, and whether at its shard's end.
  bool window_open_ = false;
  double window_end_ = 0;
  double newest_read_s_ = -std::numeric_limits<double>::infinity();
  double window_over_s_ = 0;
  bool window_at_shard_end_ = false;
};

}  // namespace shardsim
