#pragma once
// One invocation of a batch from its start to its end: the one invocation state machine every
// consumer actor drives (a shard reader's lane, a queue mapping's slot). The actor decides when
// to try and what to do after; this asks the executor, runs the handler (in steps when it waits
// for locks), and tells the sink.
#include <vector>

#include "models/core/events.hpp"
#include "models/core/executor.hpp"
#include "models/core/handler.hpp"

namespace shardsim {

class InvocationRun {
public:
  // Who invokes: consumer, function, shard and lane, as the sink's events name them.
  InvocationRun(std::size_t consumer, std::size_t function, std::size_t shard, std::size_t lane)
      : invocation_{consumer, function, shard, lane} {}

  // Tries to invoke `batch` at `now`: false when the executor refuses (the sink is told); else
  // the invocation has started, with a cold start's init first.
  bool start(Executor& executor, Handler& handler, const std::vector<Record>& batch, bool report_item_failures,
             EventSink& sink, double now) {
    const Executor::Start start = executor.try_start(now);
    if (!Executor::admitted(start)) {
      sink.invocation_throttled(invocation_.consumer, invocation_.function, start == Executor::Start::throttled_scaling, now);
      return false;
    }
    start_ = start;
    const bool cold = start == Executor::Start::cold;
    const double init = cold ? handler.init_duration() : 0.0;
    handler.run(batch, report_item_failures, outcome_, now + init);
    invocation_.cold_start = cold;
    invocation_.init_s = init;
    invocation_.start_s = now;
    invocation_.end_s = now + init + outcome_.duration_s;
    invocation_.batch = &batch;
    invocation_.outcome = &outcome_;
    sink.invocation_started(invocation_);
    return true;
  }
  // Whether the handler waits (for a lock) before it goes on; when its next step or its end is.
  bool pending() const { return outcome_.pending; }
  double next_event_s() const { return outcome_.pending ? outcome_.resume_s : invocation_.end_s; }
  // The handler's next step (pending).
  void resume(Handler& handler, const std::vector<Record>& batch, bool report_item_failures, EventSink& sink, double now) {
    const std::size_t from = outcome_.laid_out;
    handler.resume(batch, report_item_failures, outcome_);
    if (outcome_.laid_out > from) sink.records_running(invocation_, from, outcome_.laid_out, now);
    if (!outcome_.pending) invocation_.end_s = invocation_.start_s + invocation_.init_s + outcome_.duration_s;
  }
  // It ends at `now` (its end, or cut short by the run's end or a lost lease).
  void finish(Executor& executor, EventSink& sink, double now) {
    invocation_.end_s = now;
    executor.finish(invocation_.start_s, now, start_);
    sink.invocation_finished(invocation_);
  }
  const Invocation& invocation() const { return invocation_; }
  const HandlerOutcome& outcome() const { return outcome_; }
  // The records' times are no longer needed (the outcome is settled and reported): their memory
  // is let go, so a lane waiting for its next invocation holds none.
  void release_record_times() {
    std::vector<double>().swap(outcome_.record_start_s);
    std::vector<double>().swap(outcome_.record_end_s);
  }

private:
  Invocation invocation_;
  HandlerOutcome outcome_;
  Executor::Start start_ = Executor::Start::warm;
};

}  // namespace shardsim
