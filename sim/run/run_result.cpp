// A run's result: what each consumer, function, shard and kind reports, its costs and warnings.
#include "sim/run/run.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/read_limits.hpp"
#include "sim/run/consumer_kind.hpp"
#include "sim/scenario/scenario_schema.hpp"
#include "sim/scenario/scenario_writer.hpp"

namespace shardsim {

void Run::identify(RunResult& r, double simulated_s) const {
  r.scenario_name = parts_.scenario.name;
  r.description = parts_.scenario.description;
  r.seed = parts_.scenario.seed;
  r.replication = static_cast<std::int64_t>(parts_.replication);
  r.configuration = ScenarioWriter::write(parts_.scenario);
  r.produced = parts_.metrics.produced;
  r.written = parts_.metrics.written;
  r.write_throttled = parts_.metrics.write_throttled;
  r.put_retries = parts_.metrics.put_retries;
  r.dropped = parts_.metrics.dropped;
  r.simulated_s = simulated_s;
  r.drain_s = std::max(0.0, simulated_s - parts_.scenario.duration_s);
  r.wakeups = parts_.control.wakeups;
  // The producers' ordering key (a trace that names entities orders by them).
  for (const auto& p : parts_.scenario.producers) {
    const bool trace_entities = std::any_of(p.arrival.rows.begin(), p.arrival.rows.end(),
                                            [](const TraceRow& row) { return !row.entity.empty(); });
    const std::string key = trace_entities ? "entity" : order_by_names().at(static_cast<std::size_t>(p.order_by));
    r.order_key = r.order_key.empty() || r.order_key == key ? key : "mixed";
  }
  if (r.produced != r.written + r.dropped)
    r.conservation_errors.push_back("produced " + std::to_string(r.produced) + " ≠ written " + std::to_string(r.written) +
                                    " + dropped " + std::to_string(r.dropped));
}

ConsumerResult Run::consumer_result(std::size_t c, double simulated_s, Histogram& all_with_unfinished) const {
  const auto& config = parts_.scenario.consumers[c];
  const auto& m = parts_.metrics.consumers[c];
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
  for (std::size_t s = 0; s < parts_.stream.shard_count(); ++s) {
    if (s < parts_.readers[c].size() && parts_.readers[c][s].reader) {
      const std::uint64_t before = cr.in_flight_at_end;
      parts_.readers[c][s].reader->for_each_unfinished(unfinished);
      if (cr.in_flight_at_end - before != parts_.readers[c][s].reader->unfinished())
        throw std::logic_error("a reader's unfinished records do not match its count");
    } else {
      const Shard& shard = parts_.stream.shard(s);
      for (std::uint64_t p = shard.begin(); p < shard.end(); ++p) unfinished(shard.record(p));
    }
  }
  cr.unfinished_share = parts_.metrics.written ? static_cast<double>(cr.in_flight_at_end) / static_cast<double>(parts_.metrics.written) : 0;
  cr.latency_with_unfinished_s = Quantiles::of(with_unfinished);
  all_with_unfinished.merge(with_unfinished);
  cr.mean_batch_size = m.batch_size.mean();
  cr.latency_s = Quantiles::of(m.latency_s);
  cr.iterator_age_s = Quantiles::of(m.iterator_age_s);
  cr.iterator_age_at_invoke_s = Quantiles::of(m.iterator_age_at_invoke_s);
  cr.handler_s = Quantiles::of(m.handler_s);
  cr.queue_s = Quantiles::of(m.queue_s);
  cr.batch_size = Quantiles::of(m.batch_size);
  cr.window_final_s = Quantiles::of(m.window_final_s);
  cr.latency_causes_s = latency_causes_of(m.latency_causes.by_cause());
  if (kind_->has_lanes()) {
    const ConcurrencyTracker& lanes = parts_.metrics.lanes_with_work[c];
    cr.lanes_with_work = LanesWithWork{lanes.peak(simulated_s), lanes.mean(simulated_s)};
  }
  cr.type = consumer_type_names().at(static_cast<std::size_t>(config.type));
  cr.read_calls = parts_.stream.read_calls(c);
  if (parts_.leases[c]) {
    cr.leases_taken = parts_.leases[c]->counts().taken;
    cr.lease_moves = parts_.leases[c]->counts().moves;
    cr.lease_failovers = parts_.leases[c]->counts().failovers;
    if (parts_.threads[c]) {
      cr.thread_waits = parts_.threads[c]->waits();
      cr.thread_wait_s = parts_.threads[c]->wait_s();
    }
  }
  return cr;
}

void Run::bill_functions(RunResult& r) const {
  for (std::size_t f = 0; f < parts_.function_names.size(); ++f) {
    r.cost.gb_seconds += parts_.lambda.gb_seconds(f);
    r.cost.provisioned_gb_seconds += parts_.lambda.provisioned_gb_seconds(f);
    if (!parts_.locks[f]) continue;
    const LockCounts& l = parts_.locks[f]->counts();
    r.locks.acquired += l.acquired;
    r.locks.contended += l.contended;
    r.locks.expired += l.expired;
    r.locks.gave_up += l.gave_up;
    r.locks.wait_s_total += l.wait_s_total;
    r.cost.gb_seconds_waiting += l.wait_s_total * static_cast<double>(parts_.scenario.functions.at(parts_.function_names[f]).memory_mb) / 1024;
  }
}

void Run::report_shards(RunResult& r, double simulated_s) const {
  r.stream.open_shards_at_end = parts_.stream.open_shard_count();
  r.stream.max_open_shards = static_cast<std::uint64_t>(parts_.metrics.open_shards.peak(simulated_s));
  for (std::size_t s = 0; s < parts_.stream.shard_count(); ++s) {
    const Shard& shard = parts_.stream.shard(s);
    ShardResult sr;
    sr.id = shard.id();
    if (shard.parent()) sr.parent = parts_.stream.shard(*shard.parent()).id();
    if (shard.adjacent_parent()) sr.adjacent_parent = parts_.stream.shard(*shard.adjacent_parent()).id();
    sr.starting_hash_key = to_decimal(shard.hash_key_range().starting_hash_key);
    sr.ending_hash_key = to_decimal(shard.hash_key_range().ending_hash_key);
    sr.opened_s = shard.opened_s();
    if (shard.closed_s() <= simulated_s) sr.closed_s = shard.closed_s();
    const ShardLifetime& life = parts_.metrics.shard_lifetimes[s];
    if (life.read_from_s <= simulated_s) sr.read_from_s = life.read_from_s;
    if (life.read_until_s <= simulated_s) sr.read_until_s = life.read_until_s;
    sr.records = shard.end();
    // A split opens two children with one parent; a merge one child with two.
    if (shard.adjacent_parent()) ++r.stream.merges;
    else if (shard.parent()) ++r.stream.splits;
    r.stream.shards.push_back(std::move(sr));
  }
  r.stream.splits /= 2;
}

void Run::bill(RunResult& r, double simulated_s) const {
  r.cost.shard_hours = parts_.metrics.open_shards.area(simulated_s) / 3600;
  r.cost.production_hours = parts_.scenario.duration_s / 3600;
  r.cost.production_shard_hours = parts_.stream.open_shard_seconds(0, std::min(parts_.scenario.duration_s, simulated_s)) / 3600;
  r.cost.put_payload_units = static_cast<double>(parts_.metrics.put_payload_units);
  r.cost.stream_hours = simulated_s / 3600;
  for (const auto& [name, f] : parts_.scenario.functions) {
    const double configured_gb = static_cast<double>(f.provisioned_concurrency * f.memory_mb) / 1024;
    r.cost.provisioned_configured_gb_s += configured_gb * simulated_s;
    r.cost.production_provisioned_gb_s += configured_gb * std::min(parts_.scenario.duration_s, simulated_s);
  }
  r.cost.gb_written = static_cast<double>(parts_.stream.bytes_written()) / (1ull << 30);
  r.cost.gb_read = static_cast<double>(parts_.stream.bytes_read()) / (1ull << 30);
  kind_->bill(parts_, r.cost);
  consumer_costs(r.cost, simulated_s);
  r.cost.price(parts_.scenario.pricing);
  r.unpriced = r.cost.unpriced(parts_.scenario.pricing);
}

void Run::warn(RunResult& r, const std::vector<std::string>& read_warnings) const {
  r.completion = parts_.control.interrupted()             ? "interrupted"
                 : !parts_.control.abort_reason.empty()  ? "safety_limit"
                 : r.in_flight_at_end > 0          ? "drain_limit"
                                                   : "drained";
  if (r.in_flight_at_end > 0 && !parts_.control.interrupted())
    r.warnings.push_back(std::to_string(r.in_flight_at_end) +
                         " records were still unprocessed when the drain limit (duration_s + limits.drain_limit_s = " +
                         std::to_string(parts_.control.hard_stop_s) + " s) ended the run: consumers fell behind");
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
  const double d = parts_.scenario.duration_s;
  const double early = parts_.metrics.series.max_iterator_age(d / 4, d / 2), late = parts_.metrics.series.max_iterator_age(3 * d / 4, d);
  if (late > kGrowingAgeMinS && late > kGrowingAgeFactor * early) {
    r.warnings.push_back(kind_->growing_age_warning(early, late, r));
  }
  r.warnings.insert(r.warnings.end(), read_warnings.begin(), read_warnings.end());
  if (r.totals.discarded > 0 && kind_->warns_discarded()) {
    std::string where;
    for (const auto& c : parts_.scenario.consumers)
      where += (where.empty() ? "" : "; ") + c.name + ": " +
               (c.mapping.on_failure == ConsumerConfig::OnFailure::none ? "no on-failure destination, dropped without a trace"
                                                                : "described to its " +
                                                                      on_failure_names().at(static_cast<std::size_t>(c.mapping.on_failure)) +
                                                                      " destination (metadata, not the records)");
    r.warnings.push_back(std::to_string(r.totals.discarded) +
                         " records were discarded after MaximumRetryAttempts or MaximumRecordAgeInSeconds (" + where + ")");
  }
  if (r.dropped > 0)
    r.warnings.push_back(std::to_string(r.dropped) +
                         " records were dropped by their producer after every put attempt exceeded a shard's write "
                         "limit (" + kind_->write_limit_text() + ")");
}

void Run::consumer_costs(CostResult& cost, double simulated_s) const {
  for (std::size_t c = 0; c < parts_.scenario.consumers.size(); ++c) {
    const ConsumerConfig& consumer = parts_.scenario.consumers[c];
    if (consumer.delivery == ConsumerConfig::Delivery::efo) {
      // A registered consumer pays for every open shard's subscription, and for what is pushed
      // to it: every record written (each one is delivered once).
      cost.efo_consumer_shard_hours += cost.shard_hours;
      cost.production_efo_consumer_shard_hours += cost.production_shard_hours;
      cost.efo_gb += cost.gb_written;
    }
    consumer_kind(consumer.type).bill(parts_, c, simulated_s, cost);
  }
}

RunResult Run::result(double simulated_s) const {
  RunResult r;
  identify(r, simulated_s);
  Histogram latency, age, age_at_invoke, batch, queue, window_final, all_with_unfinished;
  std::array<Histogram, kLatencyCauseCount> causes;
  std::int64_t limit_total = 0;
  std::vector<std::int64_t> function_bound(parts_.function_names.size(), 0);
  std::vector<std::string> read_warnings;  // a read limit bound a consumer
  for (std::size_t c = 0; c < parts_.scenario.consumers.size(); ++c) {
    const auto& config = parts_.scenario.consumers[c];
    const auto& m = parts_.metrics.consumers[c];
    ConsumerResult cr = consumer_result(c, simulated_s, all_with_unfinished);
    consumer_kind(config.type).report(parts_, c, simulated_s, cr, r, function_bound[parts_.function_index(config.function)]);
    // Conservation: every written record succeeded, expired, was discarded, or is still
    // unfinished (unread, buffered, or in a batch that never completed); the four are counted
    // independently.
    const ConsumerCounts& k = cr.counts;
    if (k.processed + k.expired + k.discarded + k.skipped + k.filtered + cr.in_flight_at_end != parts_.metrics.written)
      r.conservation_errors.push_back(config.name + ": written " + std::to_string(parts_.metrics.written) + " ≠ processed " +
                                      std::to_string(k.processed) + " + expired " + std::to_string(k.expired) +
                                      " + discarded " + std::to_string(k.discarded) + " + skipped " +
                                      std::to_string(k.skipped) + " + filtered " + std::to_string(k.filtered) +
                                      " + unfinished " + std::to_string(cr.in_flight_at_end));
    // Every record's latency split adds up to its latency (rounding aside), and covers every
    // record that succeeded.
    const auto& split = m.latency_causes.by_cause();
    if (m.latency_causes.residual_s() > 1e-9 * std::max(1.0, m.latency_s.max()))
      r.conservation_errors.push_back(config.name + ": a record's latency causes add up to " +
                                      std::to_string(m.latency_causes.residual_s()) + " s more or less than its latency");
    if (split[0].count() != m.latency_s.count())
      r.conservation_errors.push_back(config.name + ": " + std::to_string(split[0].count()) + " of " +
                                      std::to_string(m.latency_s.count()) + " records have their latency split");
    for (std::size_t cause = 0; cause < kLatencyCauseCount; ++cause) causes[cause].merge(split[cause]);
    const std::string bound = read_limit_warning(config.name, k, parts_.metrics.reading_shards[c].area(simulated_s));
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
    window_final.merge(m.window_final_s);
    r.consumers.push_back(std::move(cr));
  }
  for (std::size_t f = 0; f < parts_.function_names.size(); ++f) {
    const auto& tracker = parts_.metrics.function_concurrency[f];
    const std::int64_t limit = std::min(function_bound[f], parts_.lambda.limit(f));
    r.functions.push_back({parts_.function_names[f], tracker.peak(simulated_s), tracker.mean(simulated_s),
                           tracker.quantile(0.99, simulated_s), limit, function_bound[f], parts_.lambda.reserved(f)});
    limit_total += limit;
  }
  r.concurrency_limit = std::min<std::int64_t>(limit_total, parts_.scenario.lambda.account_concurrency);
  r.lost += r.dropped * std::max<std::size_t>(parts_.scenario.consumers.size(), 1);
  r.latency_s = Quantiles::of(latency);
  r.latency_with_unfinished_s = Quantiles::of(all_with_unfinished);
  const double deliveries = static_cast<double>(parts_.metrics.written) * static_cast<double>(parts_.scenario.consumers.size());
  r.unfinished_share = deliveries > 0 ? static_cast<double>(r.in_flight_at_end) / deliveries : 0;
  r.queue_s = Quantiles::of(queue);
  r.window_final_s = Quantiles::of(window_final);
  r.latency_causes_s = latency_causes_of(causes);
  r.configuration_lines = configuration_summary();
  r.iterator_age_s = Quantiles::of(age);
  r.iterator_age_at_invoke_s = Quantiles::of(age_at_invoke);
  r.mean_batch_size = batch.mean();
  r.concurrency_peak = parts_.metrics.account_concurrency.peak(simulated_s);
  r.concurrency_mean = parts_.metrics.account_concurrency.mean(simulated_s);
  r.concurrency_p99 = parts_.metrics.account_concurrency.quantile(0.99, simulated_s);
  if (kind_->has_lanes()) {
    const ConcurrencyTracker& lanes = parts_.metrics.all_lanes_with_work;
    r.lanes_with_work = LanesWithWork{lanes.peak(simulated_s), lanes.mean(simulated_s)};
  }
  bill_functions(r);
  report_shards(r, simulated_s);
  kind_->report(parts_, r);
  bill(r, simulated_s);
  warn(r, read_warnings);
  report_bounds(r, simulated_s);
  r.diagnosis = diagnose(r);
  return r;
}

void Run::report_bounds(RunResult& r, double simulated_s) const {
  const Metrics& m = parts_.metrics;
  const double production_s = std::min(parts_.scenario.duration_s, simulated_s);
  const double share = simulated_s > 0 ? 1.0 / simulated_s : 0.0;
  // The write limits, where the stream has them: per shard and second, against the seconds the
  // shards were open while records were written (production, and retried puts after it); binding
  // in the seconds a put was refused.
  const ShardLimits& limits = parts_.stream.limits();
  const double writing_s = std::min(simulated_s, std::max(production_s, m.writes.last()));
  const double shard_seconds = parts_.stream.open_shard_seconds(0, writing_s);
  const double throttled_s = m.series.seconds_with(TimeSeries::write_throttled);
  // A DynamoDB table's writes are limited in whole kilobytes per partition (not bytes per stream
  // shard): only Kinesis's bytes count.
  const auto write_limit = [&](const char* name, double capacity, const char* unit, double total, double busiest) {
    if (!ShardLimits::limited(capacity) || (name == std::string("write_bytes") && r.stream.type != "kinesis")) return;
    r.bounds.push_back({name, capacity, unit, shard_seconds > 0 ? total / (capacity * shard_seconds) : 0.0, busiest / capacity,
                        writing_s > 0 ? std::min(1.0, throttled_s / writing_s) : 0.0});
  };
  write_limit("write_records", limits.write_records_per_s, "records/s per shard", m.writes.total_count(), m.writes.busiest_count());
  write_limit("write_bytes", limits.write_bytes_per_s, "bytes/s per shard", m.writes.total_bytes(), m.writes.busiest_bytes());
  // The read limits shared by a shard's polling consumers: per shard and second, against the
  // shards' open seconds over the run; binding for the share of the readers' time their calls
  // were held back by a read limit.
  double held_s = 0, reader_s = 0;
  for (std::size_t c = 0; c < m.consumers.size(); ++c) {
    for (std::size_t i = 0; i < kReadLimitCount; ++i) held_s += m.consumers[c].read_wait_s[i];
    reader_s += m.reading_shards[c].area(simulated_s);
  }
  const double open_s = parts_.stream.open_shard_seconds(0, simulated_s);
  const auto read_limit = [&](const char* name, double capacity, const char* unit, double total, double busiest) {
    if (!ShardLimits::limited(capacity) || total <= 0) return;
    r.bounds.push_back({name, capacity, unit, open_s > 0 ? total / (capacity * open_s) : 0.0, busiest / capacity,
                        reader_s > 0 ? std::min(1.0, held_s / reader_s) : 0.0});
  };
  read_limit("read_calls", limits.read_calls_per_s, "GetRecords calls/s per shard", m.reads.total_count(), m.reads.busiest_count());
  read_limit("read_bytes", limits.read_bytes_per_s, "bytes/s per shard", m.reads.total_bytes(), m.reads.busiest_bytes());
  // A DynamoDB stream's readers per shard: the polling consumers reading a shard against its
  // reader slots; binding for the share of the readers' time their calls waited for a slot's turn.
  const CallShare share_of_calls = parts_.kind.call_share(parts_.scenario);
  if (share_of_calls.limit == ReadLimit::readers && share_of_calls.readers > 0 && open_s > 0 && reader_s > 0) {
    const auto slots = static_cast<double>(share_of_calls.readers);
    double readers_held_s = 0, most_readers = 0;
    for (std::size_t c = 0; c < m.consumers.size(); ++c) {
      readers_held_s += m.consumers[c].read_wait_s[static_cast<std::size_t>(ReadLimit::readers)];
      most_readers += m.reading_shards[c].peak(simulated_s) > 0;
    }
    r.bounds.push_back({"readers_per_shard", slots, "readers per shard", reader_s / open_s / slots, most_readers / slots,
                        std::min(1.0, readers_held_s / reader_s)});
  }
  kind_->report_bounds(parts_, r);
  if (r.lambda_mappings == 0) return;
  // Lambda: invocations in flight against the lanes (shards × PF, capped by the functions'
  // limits) and against the account; binding while at the lanes' limit, or in the seconds Lambda
  // refused an invocation.
  const ConcurrencyTracker& in_flight = m.account_concurrency;
  const double busiest = m.series.busiest_concurrency();  // the busiest second's mean in flight
  const auto limit = static_cast<double>(r.concurrency_limit);
  if (r.concurrency_limit > 0)
    r.bounds.push_back({"lanes", limit, "invocations", r.concurrency_mean / limit, busiest / limit,
                        in_flight.time_at_or_above(static_cast<int>(r.concurrency_limit), simulated_s) * share});
  const auto account = static_cast<double>(parts_.scenario.lambda.account_concurrency);
  r.bounds.push_back({"lambda_concurrency", account, "invocations", r.concurrency_mean / account, busiest / account,
                      std::min(1.0, m.series.seconds_with(TimeSeries::lambda_throttles) * share)});
  // Reserved concurrency, over the functions that have some: invocations in flight against it;
  // the peak and the binding share are those of the function nearest its limit (at its limit).
  double reserved = 0, reserved_mean = 0, reserved_peak = 0, reserved_binding = 0;
  for (std::size_t f = 0; f < r.functions.size(); ++f) {
    const FunctionResult& fr = r.functions[f];
    if (fr.reserved <= 0 || fr.lanes == 0) continue;
    const auto cap = static_cast<double>(fr.reserved);
    reserved += cap;
    reserved_mean += fr.concurrency_mean;
    reserved_peak = std::max(reserved_peak, fr.concurrency_peak / cap);
    reserved_binding = std::max(reserved_binding, m.function_concurrency[f].time_at_or_above(static_cast<int>(fr.reserved), simulated_s) * share);
  }
  if (reserved > 0)
    r.bounds.push_back({"reserved_concurrency", reserved, "invocations", reserved_mean / reserved, reserved_peak, reserved_binding});
  // The scaling rate: new environments (cold starts) per 10 s against it, per function invoked;
  // binding in the seconds an invocation was refused for it.
  const double rate = parts_.scenario.lambda.scaling_limit_per_10s;
  std::size_t invoked = 0;
  for (const FunctionResult& fr : r.functions) invoked += fr.lanes > 0;
  if (rate > 0 && invoked > 0)
    r.bounds.push_back({"scaling_rate", rate, "new environments per 10 s per function",
                        simulated_s > 0 ? static_cast<double>(r.totals.cold_starts) / (rate * invoked * simulated_s / 10) : 0.0,
                        static_cast<double>(m.series.busiest_window(TimeSeries::cold_starts, 10)) / rate,
                        std::min(1.0, m.series.seconds_with(TimeSeries::scaling_throttles) * share)});
}

}  // namespace shardsim
