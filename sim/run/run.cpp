#include "sim/run/run.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

#include <simgrid/s4u.hpp>

#include "sim/run/consumer_kind.hpp"
#include "sim/run/consumers.hpp"
#include "sim/scenario/reshard.hpp"

namespace shardsim {
Run::Run(Scenario scenario, RunOptions options)
    : kind_(make_stream_kind(scenario.stream)),
      parts_(std::move(scenario), options.replication, *kind_) {
  parts_.control.hard_stop_s = parts_.scenario.duration_s + parts_.scenario.limits.drain_limit_s;
  if (options.progress) {
    // At most once per wall-clock second: simulated time, records written per wall second, ETA.
    const auto start = std::chrono::steady_clock::now();
    auto last = start;
    parts_.control.on_progress = [this, start, last](double now) mutable {
      const auto wall = std::chrono::steady_clock::now();
      if (wall - last < std::chrono::seconds(1)) return;
      last = wall;
      const double elapsed = std::chrono::duration<double>(wall - start).count();
      const double share = std::min(1.0, now / parts_.scenario.duration_s);
      std::fprintf(stderr, "\r%s: %.0f of %.0f s simulated (%.0f %%), %.2f M records/s, ~%.0f s left   ",
                   parts_.scenario.name.c_str(), now, parts_.scenario.duration_s, 100 * share,
                   static_cast<double>(parts_.metrics.written) / elapsed / 1e6, share > 0 ? elapsed / share - elapsed : 0.0);
      std::fflush(stderr);
    };
  }
  const auto seed = static_cast<std::uint64_t>(parts_.scenario.seed);
  parts_.producers.reserve(parts_.scenario.producers.size());
  for (const auto& p : parts_.scenario.producers)
    parts_.producers.emplace_back(p, parts_.scenario.duration_s, parts_.keys, Rng(seed, parts_.replication, "producer/" + p.name),
                                  Rng(seed, parts_.replication, "producer/" + p.name + "/put-retries"),
                                  Rng(seed, parts_.replication, "producer/" + p.name + "/put-latency"));
  parts_.stream.register_readers(parts_.scenario.consumers.size());
  for (std::size_t c = 0; c < parts_.scenario.consumers.size(); ++c)
    parts_.metrics.parallelization_factors[c] = static_cast<int>(kind_->batches_per_shard(parts_.scenario.consumers[c]));
  kind_->prepare(parts_);
  for (auto& change : schedule_reshards(parts_.scenario.stream, parts_.scenario.what_if).changes) parts_.stream.schedule(std::move(change));
  TimelineNames names;
  for (const auto& c : parts_.scenario.consumers) names.consumers.push_back(c.name);
  names.shards = &parts_.metrics.shard_ids;
  names.lifetimes = &parts_.metrics.shard_lifetimes;
  if (options.trace_invocations) {
    trace_ = std::make_unique<TraceRecorder>(options.trace_invocations, parts_.keys, names);
    parts_.metrics.trace = trace_.get();
  }
  if (options.gantt_records) {
    gantt_ = std::make_unique<Gantt>(options.gantt_records, parts_.keys, names);
    parts_.metrics.gantt = gantt_.get();
  }
  if (options.cloudwatch_period_s > 0) {
    using Source = CloudWatchRecorder::Source;
    const StreamConfig& stream = parts_.scenario.stream;
    const Source source = stream.is_queue()                               ? Source::sqs
                          : stream.type == StreamConfig::Type::dynamodb ? Source::dynamodb
                          : stream.type == StreamConfig::Type::kafka    ? Source::kafka
                                                                        : Source::kinesis;
    cloudwatch_ = std::make_unique<CloudWatchRecorder>(
        options.cloudwatch_period_s, CloudWatchRecorder::Names{source, parts_.scenario.name, parts_.function_names});
    parts_.metrics.cloudwatch = cloudwatch_.get();
  }
}

std::string Run::cloudwatch_queries() const { return cloudwatch_ ? cloudwatch_->queries().dump(2) + "\n" : ""; }

std::string Run::cloudwatch_results(double simulated_s, const std::string& start) const {
  return cloudwatch_ ? cloudwatch_->results(simulated_s, start).dump(2) + "\n" : "";
}

std::string Run::backlog_by_shard_csv(double simulated_s) const {
  if (!parts_.metrics.backlog.complete()) return "";
  return parts_.metrics.backlog.csv(simulated_s, parts_.metrics.shard_ids);
}

std::string Run::time_series_csv(double simulated_s) const {
  return parts_.metrics.series.csv(simulated_s, parts_.scenario.consumers.size());
}

std::size_t Run::actor_count() const { return 2 + parts_.scenario.consumers.size() * kind_->shards_ever(parts_); }

void Run::launch(simgrid::s4u::Host* host) {
  namespace s4u = simgrid::s4u;
  parts_.fleet = std::make_unique<ProducerFleet>(parts_.producers, parts_.stream, parts_.control, parts_.scenario.limits.max_backlog_records);
  s4u::Actor::create("producers", host, [fleet = parts_.fleet.get()] { (*fleet)(); });
  parts_.handlers.reserve(parts_.scenario.consumers.size());  // readers' handlers refer to these
  for (const auto& [name, f] : parts_.scenario.functions)
    parts_.locks.push_back(f.strategy == FunctionConfig::Strategy::distributed_lock
                               ? std::make_unique<LockTable>(LockParams{f.lock.retry_s, f.lock.ttl_s, f.lock.max_wait_s})
                               : nullptr);
  for (std::size_t c = 0; c < parts_.scenario.consumers.size(); ++c) {
    const ConsumerConfig& consumer = parts_.scenario.consumers[c];
    parts_.handlers.push_back(parts_.scenario.functions.at(consumer.function));
    parts_.failures.push_back(make_failure_rules(parts_.handlers.back(), parts_.keys));
    parts_.filters.push_back(make_record_filter(parts_.scenario, consumer, parts_.keys));
    parts_.leases.emplace_back();
    parts_.threads.emplace_back();
    consumer_kind(consumer.type).prepare(parts_, c);
    parts_.readers.emplace_back();
  }
  kind_->start_consumers(parts_, host);
  if (!std::isinf(parts_.stream.next_change_s()) || kind_->reshapes_itself(parts_)) {
    const auto on_open = [this, host](std::size_t s) {
      for (std::size_t c = 0; c < parts_.scenario.consumers.size(); ++c) parts_.start_reader(host, c, s);
    };
    parts_.shard_set_control = std::make_unique<ShardSetControl>(parts_.stream, parts_.control, on_open);
    s4u::Actor::create("shard-set", host, [control = parts_.shard_set_control.get()] { (*control)(); });
  }
}


}  // namespace shardsim
