#include "analysis/metrics.hpp"

namespace shardsim {

Metrics::Metrics(std::size_t consumer_count, std::size_t functions)
    : consumers(consumer_count), function_concurrency(functions) {}

void Metrics::record_put(const Record&, std::size_t, bool accepted) {
  ++produced;
  if (accepted) ++written;
  else ++write_throttled;
}

void Metrics::records_expired(std::size_t consumer, std::size_t, std::size_t count) {
  consumers[consumer].expired += count;
}

void Metrics::read_throttled(std::size_t consumer, std::size_t, double) { ++consumers[consumer].read_throttles; }

void Metrics::invocation_throttled(std::size_t consumer, std::size_t, double) { ++consumers[consumer].throttled; }

void Metrics::invocation_finished(const Invocation& inv) {
  ConsumerMetrics& m = consumers[inv.consumer];
  const auto& batch = *inv.batch;
  ++m.invocations;
  m.errors += inv.outcome->function_error;
  m.timeouts += inv.outcome->timed_out;
  m.partial_failures += !inv.outcome->failed.empty();
  m.batch_size.add(static_cast<double>(batch.size()));
  m.handler_s.add(inv.end_s - inv.start_s);
  m.iterator_age_s.add(inv.end_s - batch.back().arrival_s);
}

void Metrics::batch_settled(std::size_t consumer, const Settlement& s, double now) {
  ConsumerMetrics& m = consumers[consumer];
  m.processed += s.succeeded.size();
  for (const Record& r : s.succeeded) m.latency_s.add(now - r.produced_s);
  m.duplicates += s.duplicates;
  m.discarded += s.discarded.size();
  m.on_failure_batches += !s.discarded.empty();
  m.expired += s.expired.size();
  m.bisections += s.bisected;
}

void Metrics::concurrency_changed(std::size_t function, int function_in_flight, int account_in_flight, double now) {
  function_concurrency[function].set(function_in_flight, now);
  account_concurrency.set(account_in_flight, now);
}

}  // namespace shardsim
