#include "sim/run/kinds/sqs.hpp"

#include <cstdio>

#include "models/base/number_format.hpp"
#include "models/kinesis/kinesis_limits.hpp"
#include "models/sqs/sqs.hpp"
#include "sim/run/consumers.hpp"
#include "sim/scenario/static_estimate.hpp"

namespace shardsim {
namespace {

// The queue as its one consumer, a Lambda mapping, sees it.
std::unique_ptr<MessageQueue> message_queue(const ReaderSetting& s, bool fifo) {
  const QueueConfig& q = s.scenario.stream.queue;
  const ConsumerConfig& c = s.scenario.consumers[s.consumer];
  const QueueParams params{fifo, q.visibility_timeout_s,
                           q.max_receive_count, q.duplicate_probability, q.retention_s, c.propagation_delay_s};
  return std::make_unique<MessageQueue>(params, s.stream, s.consumer,
                                        Rng(static_cast<std::uint64_t>(s.scenario.seed), s.replication, "queue/duplicates"),
                                        s.sink);
}

// That mapping's pollers: one actor for all of them.
// gauge_period_s > 0: the queue's state is sampled for the CloudWatch metrics at each multiple of it.
std::unique_ptr<QueuePoller> queue_poller(const ReaderSetting& s, MessageQueue& queue, bool fifo, double gauge_period_s) {
  const ConsumerConfig& c = s.scenario.consumers[s.consumer];
  QueuePollerParams p;
  p.consumer = s.consumer;
  p.function = s.function;
  p.start_s = c.start_s;
  p.schedule = MappingSchedule(c.mapping.disabled);
  p.max_batches = static_cast<std::size_t>(queue_batches(c));
  p.scale_gradually = !fifo;  // a standard queue's pollers scale from 5, +300 per minute
  p.initial_batches = sqs::kLambdaInitialBatches;
  p.batches_added_per_s = sqs::kLambdaBatchesAddedPerS;
  if (c.mapping.pollers.mode == ConsumerConfig::Mapping::Pollers::Mode::provisioned) {
    // Provisioned pollers: 10 batches per minimum poller at once, 1,000 more per minute.
    p.scale_gradually = true;
    p.initial_batches = static_cast<double>(c.mapping.pollers.minimum * sqs::kProvisionedBatchesPerPoller);
    p.batches_added_per_s = sqs::kProvisionedBatchesAddedPerS;
  }
  p.limits.max_records = static_cast<std::size_t>(c.mapping.batch_size);
  p.limits.max_bytes = kinesis::kMaxLambdaPayloadBytes;
  p.batching_window_s = c.mapping.batching_window_s;
  p.poll_interval_s = c.poll_interval_s;
  p.report_item_failures = c.mapping.report_batch_item_failures;
  p.visibility_timeout_s = s.scenario.stream.queue.visibility_timeout_s;
  p.backoff = s.scenario.lambda.retry_backoff;
  p.filter = s.filter;
  p.gauge_period_s = gauge_period_s;
  Handler handler(s.handler, Rng(static_cast<std::uint64_t>(s.scenario.seed), s.replication, "handler/" + c.name),
                  s.failures, interned(s.keys, s.handler.duration.slow_keys), s.locks);
  return std::make_unique<QueuePoller>(p, queue, std::move(handler), s.executor, s.sink, s.control);
}

}  // namespace

ShardLimits SqsKind::shard_limits(const StreamConfig& stream) const {
  return sqs::send_limits(fifo_, stream.queue.send_batch_size, stream.queue.high_throughput, stream.write_burst_s);
}

void SqsKind::prepare(RunParts& parts) {
  if (!fifo_)
    for (auto& m : parts.metrics.consumers) m.ordering.unordered_source();
  parts.metrics.shard_ids.at(0) = "queue";  // timelines name its pollers "queue lane N"
}

std::int64_t SqsKind::batches_per_shard(const ConsumerConfig& c) const { return queue_batches(c); }

void SqsKind::start_consumers(RunParts& parts, simgrid::s4u::Host* host) {
  // The queue as its one consumer, a Lambda mapping, sees it, and that mapping's pollers.
  const ConsumerConfig& c = parts.scenario.consumers.at(0);
  const std::size_t f = parts.function_index(c.function);
  const ReaderSetting setting{parts.scenario, *this, 0, f, parts.handlers[0], nullptr, nullptr, parts.locks[f].get(),
                              parts.failures[0].get(), parts.filters[0].get(), parts.replication, parts.stream, parts.keys, *parts.executors[0],
                              parts.metrics, parts.control};
  queue_ = message_queue(setting, fifo_);
  auto poller = queue_poller(setting, *queue_, fifo_, parts.metrics.cloudwatch ? parts.metrics.cloudwatch->period_s() : 0);
  poller_ = poller.get();
  parts.readers[0].resize(1);
  parts.readers[0][0].reader = std::move(poller);
  parts.readers[0][0].actor = simgrid::s4u::Actor::create(c.name, host, [poller = poller_] { (*poller)(); });
}

void SqsKind::report(const RunParts& parts, RunResult& r) const {
  const QueueCounts& q = queue_->counts();
  const QueueConfig& config = parts.scenario.stream.queue;
  r.stream.type = fifo_ ? "sqs_fifo" : "sqs_standard";
  r.stream.shards.clear();  // the queue's messages wait in one log: no shards to report
  r.stream.open_shards_at_end = r.stream.max_open_shards = 0;
  r.queue = {q.receives, q.returned, q.dead_lettered, q.duplicates_delivered, poller_->visibility_overruns(),
             poller_->peak_pollers()};
  // Sends: a request per SendMessage(Batch) call, send_batch_size messages each (fifo), or one
  // per message; receives and deletes as the queue counted them. Empty long-poll receives are not
  // counted.
  const double sends = static_cast<double>(parts.metrics.written + parts.metrics.write_throttled);
  r.cost.queue = fifo_ ? CostResult::Queue::fifo : CostResult::Queue::standard;
  r.cost.sqs_requests = (fifo_ ? sends / static_cast<double>(config.send_batch_size) : sends) + q.requests;
  const auto count = [](std::uint64_t n) { return format_number(static_cast<double>(n)); };
  r.kind_summary.title = fifo_ ? "queue (SQS FIFO)" : "queue (SQS standard)";
  r.kind_summary.lines = {{"received / returned", count(r.queue.receives) + " / " + count(r.queue.returned) +
                                                      " (not deleted: visible again after the visibility timeout)"},
                          {"dead-lettered", count(r.queue.dead_lettered)}};
  if (!fifo_) r.kind_summary.lines.push_back({"extra deliveries", count(r.queue.duplicates_delivered) + " (at-least-once)"});
  r.kind_summary.lines.push_back({"most pollers at once", count(r.queue.peak_pollers)});
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

void SqsKind::bill(const RunParts& parts, CostResult& cost) const {
  StreamKind::bill(parts, cost);
  cost.shard_hours = cost.production_shard_hours = 0;  // a queue has no shards to pay for
}

std::string SqsKind::configuration_line(const Scenario& s) const {
  const QueueConfig& q = s.stream.queue;
  const std::string sends =
      fifo_ ? ", sends ≤ " + format_number(sqs::send_limits(true, q.send_batch_size, q.high_throughput, 1).write_records_per_s) + " messages/s"
            : "";
  const std::string dlq = q.max_receive_count > 0 ? "dead-letter queue after " + std::to_string(q.max_receive_count) + " receives"
                                                  : "no dead-letter queue";
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, "queue        SQS %s: visibility timeout %g s, retention %g h, %s%s; %g s of production, seed %lld",
                fifo_ ? "FIFO" : "standard", q.visibility_timeout_s, q.retention_s / 3600, dlq.c_str(), sends.c_str(),
                s.duration_s, static_cast<long long>(s.seed));
  return buffer;
}

std::string SqsKind::consumer_line(const Scenario&, const ConsumerConfig& c) const {
  const bool provisioned = c.mapping.pollers.mode == ConsumerConfig::Mapping::Pollers::Mode::provisioned;
  const std::string scaling =
      provisioned ? " (provisioned pollers " + std::to_string(c.mapping.pollers.minimum) + "–" +
                        std::to_string(c.mapping.pollers.maximum) + ": from " +
                        std::to_string(c.mapping.pollers.minimum * sqs::kProvisionedBatchesPerPoller) + ", +1000 per minute)"
      : fifo_ ? " (and by the groups)"
              : " (from 5, +300 per minute)";
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, "mapping      %s → %s: batch %lld, window %g s, at most %lld batches at once%s, delay %g s%s%s",
                c.name.c_str(), c.function.c_str(), static_cast<long long>(c.mapping.batch_size), c.mapping.batching_window_s,
                static_cast<long long>(queue_batches(c)), scaling.c_str(), c.propagation_delay_s,
                c.mapping.report_batch_item_failures ? ", item failures" : "", disabled_text(c).c_str());
  return buffer;
}

std::string SqsKind::growing_age_warning(double early_s, double late_s, const RunResult& r) const {
  // On a queue, messages returned after a visibility timeout are old too.
  char text[320];
  std::snprintf(text, sizeof text,
                "the age of the messages invoked grew from %.1f s to %.1f s while messages were sent: the mapping "
                "falls behind (a higher maximum_concurrency, larger batches, a faster handler) or failed messages "
                "keep coming back (queue.returned: %llu)",
                early_s, late_s, static_cast<unsigned long long>(r.queue.returned));
  return text;
}

}  // namespace shardsim
