#include "analysis/metrics.hpp"

#include <algorithm>
#include <cmath>

namespace shardsim {

Metrics::Metrics(std::size_t consumer_count, std::size_t functions, const KeyTable& keys)
    : reading_shards(consumer_count), parallelization_factors(consumer_count, 1), lanes_with_work(consumer_count), consumers(consumer_count, ConsumerMetrics(keys)), function_concurrency(functions) {}

void Metrics::shard_opened(std::size_t, const std::string& id, double at) {
  shard_ids.push_back(id);
  shard_lifetimes.push_back({at});
  finished_readers_of_.push_back(0);
  open_shards.set(open_shards.current() + 1, at);
  series.level(TimeSeries::open_shards, open_shards.current(), at);
  backlog.add_shard();
  writes.add_shard();
  reads.add_shard();
}

void Metrics::record_put(const Record& record, std::size_t shard, bool accepted) {
  const double t = record.arrival_s;
  if (cloudwatch) cloudwatch->put(record.arrival_s, record.bytes, accepted);
  if (record.put_attempts == 1) {
    ++produced;
    series.add(TimeSeries::produced, record.produced_s);
  } else {
    ++put_retries;
  }
  if (accepted) {
    series.add(TimeSeries::written, t);
    backlog.written(shard, t, consumers.size());
    ++written;
    writes.add(shard, t, 1, record.bytes);
    put_payload_units += (record.bytes + 25 * 1024 - 1) / (25 * 1024);
  } else {
    series.add(TimeSeries::write_throttled, t);
    ++write_throttled;
  }
}

void Metrics::record_dropped(const Record& record) {
  ++dropped;
  for (auto& m : consumers) m.ordering.record_lost(record, OrderingCause::dropped_by_producer, record.arrival_s);
}

void Metrics::record_expired(std::size_t consumer, std::size_t shard, const Record& record, double now) {
  ++consumers[consumer].expired;
  backlog.finished(shard, now, 1);
  series.add(TimeSeries::finished, now);
  consumers[consumer].ordering.record_lost(record, OrderingCause::expired, now);
}

void Metrics::invocation_started(const Invocation& inv) {
  if (inv.cold_start) series.add(TimeSeries::cold_starts, inv.start_s);
  if (inv.batch->empty()) return;  // a tumbling window's final invocation
  consumers[inv.consumer].iterator_age_at_invoke_s.add(inv.start_s - inv.batch->back().arrival_s);
  if (cloudwatch) cloudwatch->invocation_started(inv.function, inv.start_s, inv.batch->back().arrival_s);
  OrderingChecker& ordering = consumers[inv.consumer].ordering;
  ordering.invocation_started(inv.shard, inv.lane, inv.start_s);
  ordering.reserve(inv.batch->size());
  lay_out(inv, 0, inv.outcome->laid_out);
}

void Metrics::records_running(const Invocation& inv, std::size_t from, std::size_t to, double now) {
  consumers[inv.consumer].ordering.invocation_resumed(inv.shard, inv.lane, now);
  lay_out(inv, from, to);
}

void Metrics::lay_out(const Invocation& inv, std::size_t from, std::size_t to) {
  const HandlerOutcome& o = *inv.outcome;
  if (gantt) gantt->invocation(inv, o, from, to);
  const double handler_start = inv.start_s + inv.init_s;
  OrderingChecker& ordering = consumers[inv.consumer].ordering;
  for (std::size_t i = from; i < to; ++i) ordering.prefetch((*inv.batch)[i]);  // the loads overlap
  for (std::size_t i = from; i < to; ++i)
    if (o.ran(i))
      ordering.record_running((*inv.batch)[i], handler_start + o.record_start_s[i], handler_start + o.record_end_s[i],
                              !o.took_expired_lock.empty() && o.took_expired_lock[i]);
}

void Metrics::read_throttled(std::size_t consumer, std::size_t, bool bytes, double now) {
  ++consumers[consumer].read_throttles;
  consumers[consumer].read_throttles_bytes += bytes;
  series.add(TimeSeries::read_throttles, now);
}

void Metrics::invocation_throttled(std::size_t consumer, std::size_t function, bool scaling, double now) {
  series.add(TimeSeries::lambda_throttles, now);
  if (scaling) series.add(TimeSeries::scaling_throttles, now);
  if (trace) trace->throttled(consumer, scaling, now);
  if (cloudwatch) cloudwatch->throttled(function, now);
  ++consumers[consumer].throttled;
  consumers[consumer].throttled_scaling += scaling;
}

void Metrics::invocation_finished(const Invocation& inv) {
  ConsumerMetrics& m = consumers[inv.consumer];
  const auto& batch = *inv.batch;
  ++m.invocations;
  m.cold_starts += inv.cold_start;
  m.errors += inv.outcome->function_error;
  m.timeouts += inv.outcome->timed_out;
  m.partial_failures += !inv.outcome->failed.empty();
  m.handler_s.add(inv.end_s - inv.start_s);
  if (cloudwatch) cloudwatch->invocation_finished(inv.function, inv.end_s, inv.end_s - inv.start_s - inv.init_s, inv.outcome->function_error);
  series.add(TimeSeries::invocations, inv.end_s);
  if (trace) trace->invocation(inv, *inv.outcome);
  if (batch.empty()) {  // a tumbling window's final invocation: no records, no batch
    ++m.final_invocations;
    return;
  }
  m.ordering.invocation_finished(inv.shard, inv.lane);
  m.batch_size.add(static_cast<double>(batch.size()));
  m.iterator_age_s.add(inv.end_s - batch.back().arrival_s);
  series.iterator_age(inv.end_s, inv.end_s - batch.back().arrival_s);
}

void Metrics::batch_settled(const Invocation& inv, const Settlement& s) {
  const double now = inv.end_s;
  ConsumerMetrics& m = consumers[inv.consumer];
  m.retries += s.after_failure;
  m.processed += s.succeeded.size();
  series.add(TimeSeries::processed, now, s.succeeded.size());
  series.add(TimeSeries::finished, now, s.succeeded.size() + s.discarded.size() + s.expired.size());
  backlog.finished(inv.shard, now, s.succeeded.size() + s.discarded.size() + s.expired.size());
  for (const Record& r : s.succeeded) m.ordering.prefetch(r);
  for (const Record& r : s.succeeded) {
    m.latency_s.add(now - r.produced_s);
    m.queue_s.add(std::max(0.0, inv.start_s - r.arrival_s));
    m.ordering.record_succeeded(r, s.after_failure, inv.shard, now);
  }
  if (s.split) s.split->book(s.succeeded, now, m.latency_causes);
  m.duplicates += s.duplicates.size();
  for (const Record& r : s.duplicates) m.ordering.record_duplicated(r, s.duplicate_cause, now);
  count_losses(m, s, now);
  m.bisections += s.bisected;
}

void Metrics::records_given_up(std::size_t consumer, std::size_t shard, const Settlement& s, double now) {
  const std::size_t n = s.discarded.size() + s.expired.size();
  series.add(TimeSeries::finished, now, n);
  backlog.finished(shard, now, n);
  count_losses(consumers[consumer], s, now);
}

void Metrics::count_losses(ConsumerMetrics& m, const Settlement& s, double now) {
  m.discarded += s.discarded.size();
  for (const Record& r : s.discarded) m.ordering.record_lost(r, s.discard_cause, now);
  // A queue's dead-letter queue takes messages, not batches for an on-failure destination.
  if (s.discard_cause != OrderingCause::dead_letter) m.on_failure_batches += !s.discarded.empty();
  m.expired += s.expired.size();
  for (const Record& r : s.expired) m.ordering.record_lost(r, OrderingCause::expired, now);
}

void Metrics::concurrency_changed(std::size_t function, int function_in_flight, int account_in_flight, double now) {
  function_concurrency[function].set(function_in_flight, now);
  account_concurrency.set(account_in_flight, now);
  series.concurrency(account_in_flight, now);
  if (cloudwatch) cloudwatch->concurrency(function, function_in_flight, account_in_flight, now);
}

}  // namespace shardsim
