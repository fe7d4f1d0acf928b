// The one invocation state machine (models/core/invocation_run.hpp) on its own: a refused start,
// a cold start's init before the handler, and the sink's events in order.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "models/core/invocation_run.hpp"

using namespace shardsim;

namespace {

// Admits as told: warm, cold, or refused.
struct ScriptedExecutor : Executor {
  Start next = Start::warm;
  std::vector<std::pair<double, double>> finished;  // (started, ended)
  Start try_start(double) override { return next; }
  void finish(double started_s, double now, Start) override { finished.push_back({started_s, now}); }
};

// Keeps the invocation events it is told, in order.
struct EventLog : EventSink {
  std::vector<std::string> events;
  void record_put(const Record&, std::size_t, bool) override {}
  void shard_opened(std::size_t, const std::string&, double) override {}
  void shard_closed(std::size_t, double) override {}
  void lanes_with_work_changed(std::size_t, std::size_t, int, double) override {}
  void reader_started(std::size_t, std::size_t, double) override {}
  void reader_finished(std::size_t, std::size_t, double) override {}
  void record_dropped(const Record&) override {}
  void record_expired(std::size_t, std::size_t, const Record&, double) override {}
  void records_skipped(std::size_t, std::size_t, std::uint64_t, double) override {}
  void records_filtered(std::size_t, std::size_t, std::uint64_t, double) override {}
  void read_throttled(std::size_t, std::size_t, bool, double) override {}
  void records_read(std::size_t, std::size_t, std::uint64_t, std::uint64_t, double, bool, double) override {}
  void read_waited(std::size_t, std::size_t, ReadLimit, double, double) override {}
  void invocation_throttled(std::size_t, std::size_t, bool scaling, double) override {
    events.push_back(scaling ? "throttled by scaling" : "throttled");
  }
  void invocation_started(const Invocation& i) override {
    events.push_back("started lane " + std::to_string(i.lane) + (i.cold_start ? " cold" : " warm"));
  }
  void records_running(const Invocation&, std::size_t, std::size_t, double) override { events.push_back("running"); }
  void invocation_finished(const Invocation&) override { events.push_back("finished"); }
  void batch_settled(const Invocation&, const Settlement&) override {}
  void window_closed(const Invocation&, double, double, bool) override {}
  void records_given_up(std::size_t, std::size_t, const Settlement&, double) override {}
  void concurrency_changed(std::size_t, int, int, double) override {}
  void queue_sampled(std::size_t, double, const QueueGauge&) override {}
};

// 10 ms per invocation and 1 ms per record; a cold start's init takes 0.5 s.
FunctionConfig function() {
  FunctionConfig f;
  f.cold_start.init_s = Distribution::constant_of(0.5);
  return f;
}

std::vector<Record> records(std::size_t n) {
  std::vector<Record> batch(n);
  for (std::size_t i = 0; i < n; ++i) batch[i].sequence = i;
  return batch;
}

}  // namespace

TEST_CASE("invocation run: a refused start tells the sink and runs nothing") {
  const FunctionConfig config = function();
  Handler handler(config, Rng(1));
  ScriptedExecutor executor;
  EventLog sink;
  InvocationRun run(0, 0, 0, 3);
  const auto batch = records(4);
  executor.next = Executor::Start::throttled_scaling;
  CHECK_FALSE(run.start(executor, handler, batch, false, sink, 2.0));
  CHECK(sink.events == std::vector<std::string>{"throttled by scaling"});
  CHECK(executor.finished.empty());
}

TEST_CASE("invocation run: a cold start ends after its init and the handler, and finishing tells both") {
  // Started at 2 s: 0.5 s of init, then 0.01 + 4 × 0.001 s of handler: it ends at 2.514 s.
  const FunctionConfig config = function();
  Handler handler(config, Rng(1));
  ScriptedExecutor executor;
  EventLog sink;
  InvocationRun run(1, 0, 2, 3);
  const auto batch = records(4);
  executor.next = Executor::Start::cold;
  REQUIRE(run.start(executor, handler, batch, false, sink, 2.0));
  CHECK_FALSE(run.pending());
  CHECK(run.next_event_s() == Approx(2.514).margin(1e-12));
  CHECK(run.invocation().init_s == 0.5);
  CHECK(run.invocation().shard == 2);
  run.finish(executor, sink, run.next_event_s());
  CHECK(sink.events == std::vector<std::string>{"started lane 3 cold", "finished"});
  REQUIRE(executor.finished.size() == 1);
  CHECK(executor.finished[0].first == 2.0);
  CHECK(executor.finished[0].second == Approx(2.514).margin(1e-12));
  // A warm start has no init: 2.014 s after a start at 2 s.
  InvocationRun warm(1, 0, 2, 0);
  executor.next = Executor::Start::warm;
  REQUIRE(warm.start(executor, handler, batch, false, sink, 2.0));
  CHECK(warm.next_event_s() == Approx(2.014).margin(1e-12));
}
