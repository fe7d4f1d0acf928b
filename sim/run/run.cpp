#include "sim/run/run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include <simgrid/s4u.hpp>

#include "analysis/read_limits.hpp"
#include "models/kinesis/kinesis_limits.hpp"
#include "models/sqs/sqs.hpp"
#include "sim/run/consumers.hpp"
#include "sim/scenario/reshard.hpp"
#include "sim/scenario/scenario_schema.hpp"
#include "sim/scenario/scenario_writer.hpp"
#include "sim/scenario/static_estimate.hpp"

namespace shardsim {
namespace {

std::vector<std::string> names_of(const std::map<std::string, FunctionConfig>& functions) {
  std::vector<std::string> names;
  for (const auto& [name, f] : functions) names.push_back(name);
  return names;
}

std::vector<FunctionLimits> limits_of(const std::map<std::string, FunctionConfig>& functions) {
  std::vector<FunctionLimits> limits;
  for (const auto& [name, f] : functions)
    limits.push_back({f.reserved_concurrency, f.cold_start.keep_warm_s, static_cast<double>(f.memory_mb) / 1024});
  return limits;
}

ShardLimits shard_limits_of(const StreamConfig& stream) {
  if (stream.is_queue())
    return sqs::send_limits(stream.type == StreamConfig::Type::sqs_fifo, stream.queue.send_batch_size,
                            stream.queue.high_throughput, stream.write_burst_s);
  if (stream.type == StreamConfig::Type::dynamodb)
    return dynamodb::shard_limits(stream.write_burst_s);
  return kinesis::shard_limits(stream.write_burst_s);
}

}  // namespace

Run::Run(Scenario scenario, RunOptions options)
    : scenario_(std::move(scenario)),
      replication_(options.replication),
      function_names_(names_of(scenario_.functions)),
      metrics_(scenario_.consumers.size(), scenario_.functions.size(), keys_),
      stream_(static_cast<std::size_t>(scenario_.stream.shards), shard_limits_of(scenario_.stream),
              scenario_.stream.retention_hours * 3600, keys_, metrics_),
      lambda_(scenario_.lambda.account_concurrency, scenario_.lambda.scaling_limit_per_10s,
              limits_of(scenario_.functions), metrics_) {
  control_.hard_stop_s = scenario_.duration_s + scenario_.limits.drain_limit_s;
  if (options.progress) {
    // At most once per wall-clock second: simulated time, records written per wall second, ETA.
    const auto start = std::chrono::steady_clock::now();
    auto last = start;
    control_.on_progress = [this, start, last](double now) mutable {
      const auto wall = std::chrono::steady_clock::now();
      if (wall - last < std::chrono::seconds(1)) return;
      last = wall;
      const double elapsed = std::chrono::duration<double>(wall - start).count();
      const double share = std::min(1.0, now / scenario_.duration_s);
      std::fprintf(stderr, "\r%s: %.0f of %.0f s simulated (%.0f %%), %.2f M records/s, ~%.0f s left   ",
                   scenario_.name.c_str(), now, scenario_.duration_s, 100 * share,
                   static_cast<double>(metrics_.written) / elapsed / 1e6, share > 0 ? elapsed / share - elapsed : 0.0);
      std::fflush(stderr);
    };
  }
  const auto seed = static_cast<std::uint64_t>(scenario_.seed);
  producers_.reserve(scenario_.producers.size());
  for (const auto& p : scenario_.producers)
    producers_.emplace_back(p, scenario_.duration_s, keys_, Rng(seed, replication_, "producer/" + p.name),
                            Rng(seed, replication_, "producer/" + p.name + "/put-retries"),
                            Rng(seed, replication_, "producer/" + p.name + "/put-latency"));
  stream_.register_readers(scenario_.consumers.size());
  for (std::size_t c = 0; c < scenario_.consumers.size(); ++c)
    metrics_.parallelization_factors[c] = static_cast<int>(
        scenario_.stream.is_queue() ? queue_batches(scenario_.consumers[c]) : scenario_.consumers[c].parallelization_factor);
  if (scenario_.stream.type == StreamConfig::Type::sqs_standard)
    for (auto& m : metrics_.consumers) m.ordering.unordered_source();
  if (scenario_.stream.is_queue()) metrics_.shard_ids.at(0) = "queue";  // timelines name its pollers "queue lane N"
  if (scenario_.stream.capacity_mode == StreamConfig::CapacityMode::on_demand) stream_.scale_on_demand(scenario_.stream.on_demand);
  if (scenario_.stream.type == StreamConfig::Type::dynamodb) {
    const TableConfig& t = scenario_.stream.table;
    stream_.behave_as_table({t.split_threshold_wcu, t.split_after_s, t.max_partitions, scenario_.stream.shard_rollover_s});
    for (const auto& op : scenario_.stream.reshard) stream_.schedule_partition_split(op.at_s, static_cast<std::size_t>(op.shard));
  }
  for (auto& change : schedule_reshards(scenario_.stream, scenario_.what_if).changes) stream_.schedule(std::move(change));
  TimelineNames names;
  for (const auto& c : scenario_.consumers) names.consumers.push_back(c.name);
  names.shards = &metrics_.shard_ids;
  names.lifetimes = &metrics_.shard_lifetimes;
  if (options.trace_invocations) {
    trace_ = std::make_unique<TraceRecorder>(options.trace_invocations, keys_, names);
    metrics_.trace = trace_.get();
  }
  if (options.gantt_records) {
    gantt_ = std::make_unique<Gantt>(options.gantt_records, keys_, names);
    metrics_.gantt = gantt_.get();
  }
}

std::string Run::backlog_by_shard_csv(double simulated_s) const {
  if (!metrics_.backlog.complete()) return "";
  return metrics_.backlog.csv(simulated_s, metrics_.shard_ids);
}

std::string Run::time_series_csv(double simulated_s) const {
  return metrics_.series.csv(simulated_s, scenario_.consumers.size());
}

std::size_t Run::function_index(const std::string& name) const {
  const auto it = std::find(function_names_.begin(), function_names_.end(), name);
  if (it == function_names_.end()) throw std::logic_error("a consumer names function '" + name + "', which does not exist");
  return static_cast<std::size_t>(it - function_names_.begin());
}

std::size_t Run::actor_count() const {
  // Every shard the stream will have had: those the changes open, or for an on-demand stream up to twice
  // its ceiling (the shards split on the way there).
  std::size_t shards = stream_.on_demand() ? 2 * static_cast<std::size_t>(stream_.on_demand()->max_shards)
                                           : stream_.shard_count_after_changes();
  if (stream_.is_table()) {  // each shard's rollovers while producers write, and every split possible
    const auto& s = scenario_.stream;
    const double rollovers = std::floor(scenario_.duration_s / s.shard_rollover_s);
    shards = static_cast<std::size_t>(static_cast<double>(s.table.max_partitions) * 2 * (1 + rollovers));
  }
  return 2 + scenario_.consumers.size() * shards;
}

void Run::launch(simgrid::s4u::Host* host) {
  namespace s4u = simgrid::s4u;
  fleet_ = std::make_unique<ProducerFleet>(producers_, stream_, control_, scenario_.limits.max_backlog_records);
  s4u::Actor::create("producers", host, [fleet = fleet_.get()] { (*fleet)(); });
  handlers_.reserve(scenario_.consumers.size());  // readers' handlers refer to these
  for (const auto& [name, f] : scenario_.functions)
    locks_.push_back(f.strategy == FunctionConfig::Strategy::distributed_lock
                         ? std::make_unique<LockTable>(LockParams{f.lock.retry_s, f.lock.ttl_s, f.lock.max_wait_s})
                         : nullptr);
  for (std::size_t c = 0; c < scenario_.consumers.size(); ++c) {
    const ConsumerConfig& consumer = scenario_.consumers[c];
    handlers_.push_back(scenario_.functions.at(consumer.function));
    failures_.push_back(make_failure_rules(handlers_.back(), keys_));
    leases_.emplace_back();
    threads_.emplace_back();
    if (consumer.type == ConsumerConfig::Type::lambda_esm) {
      executors_.push_back(std::make_unique<LambdaFunction>(lambda_, function_index(consumer.function)));
    } else {
      // The application's own processes: as many batches at once as it has leases or pollers,
      // no Lambda timeout.
      executors_.push_back(std::make_unique<WorkerPool>(std::numeric_limits<std::int64_t>::max()));
      handlers_.back().timeout_s = std::numeric_limits<double>::infinity();
      if (consumer.type == ConsumerConfig::Type::kcl)
        leases_.back() = std::make_unique<LeaseTable>(static_cast<std::size_t>(consumer.workers),
                                                      static_cast<std::size_t>(consumer.max_leases_per_worker),
                                                      consumer.failover_s, consumer.worker_failures,
                                                      consumer.lease_taker_interval_s > 0
                                                          ? consumer.lease_taker_interval_s
                                                          : LeaseTable::default_taker_interval_s(consumer.failover_s),
                                                      consumer.start_s);
      if (consumer.type == ConsumerConfig::Type::kcl && consumer.worker_threads > 0)
        threads_.back() = std::make_unique<WorkerThreads>(static_cast<std::size_t>(consumer.workers),
                                                          static_cast<unsigned>(consumer.worker_threads));
    }
    readers_.emplace_back();
    if (!scenario_.stream.is_queue())
      for (std::size_t s = 0; s < stream_.shard_count(); ++s) start_reader(host, c, s);
  }
  if (scenario_.stream.is_queue()) start_queue_poller(host);
  if (!std::isinf(stream_.next_change_s()) || stream_.on_demand() || stream_.is_table()) {
    const auto on_open = [this, host](std::size_t s) {
      for (std::size_t c = 0; c < scenario_.consumers.size(); ++c) start_reader(host, c, s);
    };
    shard_set_control_ = std::make_unique<ShardSetControl>(stream_, control_, on_open);
    s4u::Actor::create("shard-set", host, [control = shard_set_control_.get()] { (*control)(); });
  }
}

void Run::consumer_costs(CostResult& cost, double simulated_s) const {
  for (std::size_t c = 0; c < scenario_.consumers.size(); ++c) {
    const ConsumerConfig& consumer = scenario_.consumers[c];
    if (consumer.delivery == ConsumerConfig::Delivery::efo && !scenario_.stream.is_queue()) {
      // A registered consumer pays for every open shard's subscription, and for what is pushed
      // to it: every record written (each one is delivered once).
      cost.efo_consumer_shard_hours += cost.shard_hours;
      cost.production_efo_consumer_shard_hours += cost.production_shard_hours;
      cost.efo_gb += cost.gb_written;
    }
    if (consumer.type == ConsumerConfig::Type::lambda_esm) continue;
    // Its own processes run the whole time: a KCL application's workers, or one raw reader.
    const double workers = consumer.type == ConsumerConfig::Type::kcl ? static_cast<double>(consumer.workers) : 1.0;
    cost.worker_hours += workers * simulated_s / 3600;
    cost.production_worker_hours += workers * cost.production_hours;
    if (const LeaseTable* leases = leases_[c].get()) {
      // The lease table (KCL defaults, shared/aws-facts.md): a write per lease taken, per
      // checkpoint, and per renewal of each held lease every failover_s / 3 − 25 ms; each
      // worker's lease taker reads every lease at each run (a read unit per lease item).
      const double renew_every = leases->renewal_interval_s();
      const double held_s = metrics_.reading_shards[c].area(simulated_s);
      cost.lease_write_units += static_cast<double>(leases->counts().taken + leases->counts().checkpoints) + held_s / renew_every;
      const double taker_runs = std::floor(simulated_s / leases->taker_interval_s()) + 1;
      cost.lease_read_units += taker_runs * static_cast<double>(leases->workers()) * static_cast<double>(stream_.shard_count());
    }
  }
}

void Run::start_reader(simgrid::s4u::Host* host, std::size_t c, std::size_t shard) {
  const Shard& s = stream_.shard(shard);
  const ConsumerConfig& consumer = scenario_.consumers[c];
  const std::size_t f = function_index(consumer.function);
  const ReaderSetting setting{scenario_, c, f, handlers_[c], leases_[c].get(), threads_[c].get(), locks_[f].get(), failures_[c].get(),
                              replication_, stream_, keys_, *executors_[c], metrics_, control_};
  auto& readers = readers_[c];
  readers.resize(std::max(readers.size(), shard + 1));
  auto reader = make_shard_reader(setting, shard);
  if (reads_parents_first(consumer)) {
    std::vector<simgrid::s4u::ActorPtr> parents;
    for (const auto& parent : {s.parent(), s.adjacent_parent()})
      if (parent && readers[*parent].actor) parents.push_back(readers[*parent].actor);
    reader->wait_for(std::move(parents));
  }
  readers[shard].reader = std::move(reader);
  readers[shard].actor = simgrid::s4u::Actor::create(consumer.name + "/" + s.id(), host,
                                                    [reader = readers[shard].reader.get()] { (*reader)(); });
}

void Run::start_queue_poller(simgrid::s4u::Host* host) {
  const ConsumerConfig& c = scenario_.consumers.at(0);
  const std::size_t f = function_index(c.function);
  const ReaderSetting setting{scenario_, 0, f, handlers_[0], nullptr, nullptr, locks_[f].get(), failures_[0].get(),
                              replication_, stream_, keys_, *executors_[0], metrics_, control_};
  queue_ = make_message_queue(setting);
  auto poller = make_queue_poller(setting, *queue_);
  poller_ = poller.get();
  readers_[0].resize(1);
  readers_[0][0].reader = std::move(poller);
  readers_[0][0].actor = simgrid::s4u::Actor::create(c.name, host, [poller = poller_] { (*poller)(); });
}

void Run::queue_result(RunResult& r) const {
  const QueueCounts& q = queue_->counts();
  const QueueConfig& config = scenario_.stream.queue;
  const bool fifo = scenario_.stream.type == StreamConfig::Type::sqs_fifo;
  r.stream.type = fifo ? "sqs_fifo" : "sqs_standard";
  r.stream.shards.clear();  // the queue's messages wait in one log: no shards to report
  r.stream.open_shards_at_end = r.stream.max_open_shards = 0;
  r.queue = {q.receives, q.returned, q.dead_lettered, q.duplicates_delivered, poller_->visibility_overruns(),
             poller_->peak_pollers()};
  // Sends: a request per SendMessage(Batch) call, send_batch_size messages each (fifo), or one
  // per message; receives and deletes as the queue counted them. Empty long-poll receives are not
  // counted.
  const double sends = static_cast<double>(metrics_.written + metrics_.write_throttled);
  r.cost.queue = fifo ? CostResult::Queue::fifo : CostResult::Queue::standard;
  r.cost.sqs_requests = (fifo ? sends / static_cast<double>(config.send_batch_size) : sends) + q.requests;
  if (q.dead_lettered > 0)
    r.warnings.push_back(std::to_string(q.dead_lettered) + " messages went to the dead-letter queue after " +
                         std::to_string(config.max_receive_count) + " receives (stream.queue.max_receive_count)");
  if (r.queue.visibility_overruns > 0)
    r.warnings.push_back(std::to_string(r.queue.visibility_overruns) +
                         " invocations ended after their messages' visibility timeout (" +
                         format_number(config.visibility_timeout_s) +
                         " s): SQS would have delivered those messages again meanwhile (not modelled); AWS advises a "
                         "visibility timeout of at least 6 × the function timeout");
}

RunResult Run::result(double simulated_s) const {
  RunResult r;
  r.scenario_name = scenario_.name;
  r.description = scenario_.description;
  r.seed = scenario_.seed;
  r.replication = static_cast<std::int64_t>(replication_);
  r.configuration = ScenarioWriter::write(scenario_);
  r.produced = metrics_.produced;
  r.written = metrics_.written;
  r.write_throttled = metrics_.write_throttled;
  r.put_retries = metrics_.put_retries;
  r.dropped = metrics_.dropped;
  r.simulated_s = simulated_s;
  r.drain_s = std::max(0.0, simulated_s - scenario_.duration_s);
  r.wakeups = control_.wakeups;
  // The producers' ordering key (a trace that names entities orders by them).
  for (const auto& p : scenario_.producers) {
    const bool trace_entities = std::any_of(p.arrival.rows.begin(), p.arrival.rows.end(),
                                            [](const TraceRow& row) { return !row.entity.empty(); });
    const std::string key = trace_entities ? "entity" : order_by_names().at(static_cast<std::size_t>(p.order_by));
    r.order_key = r.order_key.empty() || r.order_key == key ? key : "mixed";
  }
  if (r.produced != r.written + r.dropped)
    r.conservation_errors.push_back("produced " + std::to_string(r.produced) + " ≠ written " + std::to_string(r.written) +
                                    " + dropped " + std::to_string(r.dropped));

  Histogram latency, age, age_at_invoke, batch, queue, all_with_unfinished;
  std::int64_t limit_total = 0;
  std::vector<std::int64_t> function_bound(function_names_.size(), 0);
  std::vector<std::string> read_warnings;  // a read limit bound a consumer
  for (std::size_t c = 0; c < scenario_.consumers.size(); ++c) {
    const auto& config = scenario_.consumers[c];
    const auto& m = metrics_.consumers[c];
    ConsumerResult cr;
    cr.name = config.name;
    cr.function = config.function;
    cr.counts = m;
    cr.ordering = m.ordering.report();
    // Unfinished records also count at their age at the end, for a latency lower bound. A shard
    // whose reader never started (the run ended first) holds all it was written.
    Histogram with_unfinished = m.latency_s;
    const auto unfinished = [&](const Record& record) {
      ++cr.in_flight_at_end;
      with_unfinished.add(simulated_s - record.produced_s);
    };
    for (std::size_t s = 0; s < stream_.shard_count(); ++s) {
      if (s < readers_[c].size() && readers_[c][s].reader) {
        const std::uint64_t before = cr.in_flight_at_end;
        readers_[c][s].reader->for_each_unfinished(unfinished);
        if (cr.in_flight_at_end - before != readers_[c][s].reader->unfinished())
          throw std::logic_error("a reader's unfinished records do not match its count");
      } else {
        const Shard& shard = stream_.shard(s);
        for (std::uint64_t p = shard.begin(); p < shard.end(); ++p) unfinished(shard.record(p));
      }
    }
    cr.unfinished_share = metrics_.written ? static_cast<double>(cr.in_flight_at_end) / static_cast<double>(metrics_.written) : 0;
    cr.latency_with_unfinished_s = Quantiles::of(with_unfinished);
    all_with_unfinished.merge(with_unfinished);
    cr.mean_batch_size = m.batch_size.mean();
    cr.latency_s = Quantiles::of(m.latency_s);
    cr.iterator_age_s = Quantiles::of(m.iterator_age_s);
    cr.iterator_age_at_invoke_s = Quantiles::of(m.iterator_age_at_invoke_s);
    cr.handler_s = Quantiles::of(m.handler_s);
    cr.queue_s = Quantiles::of(m.queue_s);
    cr.batch_size = Quantiles::of(m.batch_size);
    const std::size_t f = function_index(config.function);
    cr.type = consumer_type_names().at(static_cast<std::size_t>(config.type));
    cr.read_calls = stream_.read_calls(c);
    if (leases_[c]) {
      cr.leases_taken = leases_[c]->counts().taken;
      cr.lease_moves = leases_[c]->counts().moves;
      cr.lease_failovers = leases_[c]->counts().failovers;
      if (threads_[c]) {
        cr.thread_waits = threads_[c]->waits();
        cr.thread_wait_s = threads_[c]->wait_s();
      }
    }
    if (config.type == ConsumerConfig::Type::lambda_esm) {
      // At most PF invocations per shard being read at once, at the moment most shards were; on a
      // queue, the mapping's batches.
      const std::int64_t shard_bound = scenario_.stream.is_queue()
                                           ? queue_batches(config)
                                           : metrics_.reading_shards[c].peak(simulated_s) * config.parallelization_factor;
      cr.concurrency_limit = std::min(shard_bound, lambda_.limit(f));
      function_bound[f] += shard_bound;
      r.cost.lambda_requests += static_cast<double>(m.invocations);
    } else {
      // Not Lambda: one batch per shard being read (a lease or a poller) at a time.
      cr.concurrency_limit = metrics_.reading_shards[c].peak(simulated_s);
      r.cost.stream_read_requests += static_cast<double>(cr.read_calls);
    }
    // Conservation: every written record succeeded, expired, was discarded, or is still
    // unfinished (unread, buffered, or in a batch that never completed); the four are counted
    // independently.
    const ConsumerCounts& k = cr.counts;
    if (k.processed + k.expired + k.discarded + k.skipped + cr.in_flight_at_end != metrics_.written)
      r.conservation_errors.push_back(config.name + ": written " + std::to_string(metrics_.written) + " ≠ processed " +
                                      std::to_string(k.processed) + " + expired " + std::to_string(k.expired) +
                                      " + discarded " + std::to_string(k.discarded) + " + skipped " +
                                      std::to_string(k.skipped) + " + unfinished " + std::to_string(cr.in_flight_at_end));
    const std::string bound = read_limit_warning(config.name, k, metrics_.reading_shards[c].area(simulated_s));
    if (!bound.empty()) read_warnings.push_back(bound);
    r.totals += k;
    r.ordering += cr.ordering;
    r.lost += k.expired + k.discarded;
    r.in_flight_at_end += cr.in_flight_at_end;
    latency.merge(m.latency_s);
    queue.merge(m.queue_s);
    age.merge(m.iterator_age_s);
    age_at_invoke.merge(m.iterator_age_at_invoke_s);
    batch.merge(m.batch_size);
    r.consumers.push_back(std::move(cr));
  }
  for (std::size_t f = 0; f < function_names_.size(); ++f) {
    const auto& tracker = metrics_.function_concurrency[f];
    const std::int64_t limit = std::min(function_bound[f], lambda_.limit(f));
    r.functions.push_back({function_names_[f], tracker.peak(simulated_s), tracker.mean(simulated_s),
                           tracker.quantile(0.99, simulated_s), limit});
    limit_total += limit;
  }
  r.concurrency_limit = std::min<std::int64_t>(limit_total, scenario_.lambda.account_concurrency);
  r.lost += r.dropped * std::max<std::size_t>(scenario_.consumers.size(), 1);
  r.latency_s = Quantiles::of(latency);
  r.latency_with_unfinished_s = Quantiles::of(all_with_unfinished);
  const double deliveries = static_cast<double>(metrics_.written) * static_cast<double>(scenario_.consumers.size());
  r.unfinished_share = deliveries > 0 ? static_cast<double>(r.in_flight_at_end) / deliveries : 0;
  r.queue_s = Quantiles::of(queue);
  r.configuration_lines = configuration_summary();
  r.iterator_age_s = Quantiles::of(age);
  r.iterator_age_at_invoke_s = Quantiles::of(age_at_invoke);
  r.mean_batch_size = batch.mean();
  r.concurrency_peak = metrics_.account_concurrency.peak(simulated_s);
  r.concurrency_mean = metrics_.account_concurrency.mean(simulated_s);
  r.concurrency_p99 = metrics_.account_concurrency.quantile(0.99, simulated_s);
  for (std::size_t f = 0; f < function_names_.size(); ++f) {
    r.cost.gb_seconds += lambda_.gb_seconds(f);
    if (!locks_[f]) continue;
    const LockCounts& l = locks_[f]->counts();
    r.locks.acquired += l.acquired;
    r.locks.contended += l.contended;
    r.locks.expired += l.expired;
    r.locks.gave_up += l.gave_up;
    r.locks.wait_s_total += l.wait_s_total;
    r.cost.gb_seconds_waiting += l.wait_s_total * static_cast<double>(scenario_.functions.at(function_names_[f]).memory_mb) / 1024;
  }
  r.cost.shard_hours = metrics_.open_shards.area(simulated_s) / 3600;
  r.stream.open_shards_at_end = stream_.open_shard_count();
  r.stream.max_open_shards = static_cast<std::uint64_t>(metrics_.open_shards.peak(simulated_s));
  for (std::size_t s = 0; s < stream_.shard_count(); ++s) {
    const Shard& shard = stream_.shard(s);
    ShardResult sr;
    sr.id = shard.id();
    if (shard.parent()) sr.parent = stream_.shard(*shard.parent()).id();
    if (shard.adjacent_parent()) sr.adjacent_parent = stream_.shard(*shard.adjacent_parent()).id();
    sr.starting_hash_key = to_decimal(shard.hash_key_range().starting_hash_key);
    sr.ending_hash_key = to_decimal(shard.hash_key_range().ending_hash_key);
    sr.opened_s = shard.opened_s();
    if (shard.closed_s() <= simulated_s) sr.closed_s = shard.closed_s();
    const ShardLifetime& life = metrics_.shard_lifetimes[s];
    if (life.read_from_s <= simulated_s) sr.read_from_s = life.read_from_s;
    if (life.read_until_s <= simulated_s) sr.read_until_s = life.read_until_s;
    sr.records = shard.end();
    // A split opens two children with one parent; a merge one child with two.
    if (shard.adjacent_parent()) ++r.stream.merges;
    else if (shard.parent()) ++r.stream.splits;
    r.stream.shards.push_back(std::move(sr));
  }
  r.stream.splits /= 2;
  if (stream_.is_table()) {
    r.stream.type = "dynamodb";
    r.stream.splits = 0;  // a table's shard changes are its partitions' splits and rollovers
    r.stream.partition_splits = stream_.partition_splits();
    r.stream.rollovers = stream_.rollovers();
    r.stream.partitions_at_end = stream_.open_shard_count();
    for (const auto& w : stream_.table_warnings()) r.warnings.push_back(w);
  }
  if (scenario_.stream.is_queue()) queue_result(r);
  r.cost.production_hours = scenario_.duration_s / 3600;
  r.cost.production_shard_hours = stream_.open_shard_seconds(0, std::min(scenario_.duration_s, simulated_s)) / 3600;
  r.cost.put_payload_units = static_cast<double>(metrics_.put_payload_units);
  r.cost.on_demand = stream_.on_demand().has_value();
  r.cost.stream_hours = simulated_s / 3600;
  r.cost.gb_written = static_cast<double>(stream_.bytes_written()) / (1ull << 30);
  r.cost.gb_read = static_cast<double>(stream_.bytes_read()) / (1ull << 30);
  r.cost.table = stream_.is_table();
  if (!r.cost.table) r.cost.stream_read_requests = 0;  // Kinesis bills no read requests
  r.cost.write_request_units = static_cast<double>(stream_.write_units());
  if (scenario_.stream.is_queue()) r.cost.shard_hours = r.cost.production_shard_hours = 0;
  consumer_costs(r.cost, simulated_s);
  r.cost.price(scenario_.pricing);
  r.unpriced = r.cost.unpriced(scenario_.pricing);
  r.completion = control_.interrupted()             ? "interrupted"
                 : !control_.abort_reason.empty()  ? "safety_limit"
                 : r.in_flight_at_end > 0          ? "drain_limit"
                                                   : "drained";
  if (r.in_flight_at_end > 0 && !control_.interrupted())
    r.warnings.push_back(std::to_string(r.in_flight_at_end) +
                         " records were still unprocessed when the drain limit (duration_s + limits.drain_limit_s = " +
                         std::to_string(control_.hard_stop_s) + " s) ended the run: consumers fell behind");
  if (r.unfinished_share > kUnfinishedWarningShare) {
    char text[320];
    std::snprintf(text, sizeof text,
                  "%.1f %% of the written records were unfinished at the end: the latency percentiles cover only "
                  "the processed ones; counting the unfinished at their age, p99 ≥ %.3f s "
                  "(latency_s.lower_bound_with_unfinished)",
                  100 * r.unfinished_share, r.latency_with_unfinished_s.p99);
    r.warnings.push_back(text);
  }
  // Iterator age that keeps growing while records are produced: the consumers cannot keep up.
  // Warned when the last quarter's peak is above kGrowingAgeMinS and kGrowingAgeFactor times the
  // second quarter's (a steady age, however high, is a delay, not a backlog growing).
  constexpr double kGrowingAgeMinS = 30, kGrowingAgeFactor = 1.5;
  const double d = scenario_.duration_s;
  const double early = metrics_.series.max_iterator_age(d / 4, d / 2), late = metrics_.series.max_iterator_age(3 * d / 4, d);
  if (late > kGrowingAgeMinS && late > kGrowingAgeFactor * early) {
    char text[320];
    if (!scenario_.stream.is_queue())
      std::snprintf(text, sizeof text,
                    "iterator age grew from %.1f s to %.1f s while records were produced: the consumers fall behind "
                    "(under-provisioned: more shards, a larger PF or batch, or a faster handler)",
                    early, late);
    else  // on a queue, messages returned after a visibility timeout are old too
      std::snprintf(text, sizeof text,
                    "the age of the messages invoked grew from %.1f s to %.1f s while messages were sent: the mapping "
                    "falls behind (a higher maximum_concurrency, larger batches, a faster handler) or failed messages "
                    "keep coming back (queue.returned: %llu)",
                    early, late, static_cast<unsigned long long>(r.queue.returned));
    r.warnings.push_back(text);
  }
  r.warnings.insert(r.warnings.end(), read_warnings.begin(), read_warnings.end());
  if (r.totals.discarded > 0) {
    std::string where;
    for (const auto& c : scenario_.consumers)
      where += (where.empty() ? "" : "; ") + c.name + ": " +
               (c.on_failure == ConsumerConfig::OnFailure::none ? "no on-failure destination, dropped without a trace"
                                                                : "described to its " +
                                                                      on_failure_names().at(static_cast<std::size_t>(c.on_failure)) +
                                                                      " destination (metadata, not the records)");
    if (!scenario_.stream.is_queue())
      r.warnings.push_back(std::to_string(r.totals.discarded) +
                           " records were discarded after MaximumRetryAttempts or MaximumRecordAgeInSeconds (" + where + ")");
  }
  if (r.dropped > 0)
    r.warnings.push_back(std::to_string(r.dropped) +
                         " records were dropped by their producer after every put attempt exceeded a shard's write "
                         "limit (" + std::string(stream_.is_table() ? "a partition's 1,000 write units/s" : "1,000 records/s or 1 MiB/s") + ")");
  return r;
}

}  // namespace shardsim
