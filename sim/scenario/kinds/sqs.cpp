#include "sim/scenario/kinds/sqs.hpp"

#include "models/sqs/sqs.hpp"
#include "sim/scenario/kinds/kinesis.hpp"

namespace shardsim {

void SqsScenarioKind::stream_defaults(StreamConfig& stream, const GivenField&) const {
  stream.shards = 1;  // the queue's messages wait in one log
  stream.retention_hours = stream.queue.retention_s / 3600;
}

void SqsScenarioKind::consumer_defaults(ConsumerConfig& c, const GivenField& given) const {
  // On a queue Lambda long-polls (a receive returns as soon as a message is visible), takes 10
  // messages per batch by default, and AWS documents no delay from a send to its receive.
  if (!given("poll_interval_s")) c.poll_interval_s = 0;
  if (!given("batch_size")) c.mapping.batch_size = 10;
  if (c.propagation_delay_s < 0) c.propagation_delay_s = 0;
  if (c.mapping.pollers.minimum < 0) c.mapping.pollers.minimum = sqs::kMinimumPollers;
}

void SqsScenarioKind::estimate(const Scenario& s, StaticEstimate& e) const {
  // One queue; a FIFO queue's sends are limited; concurrency is the mapping's batches.
  e.queue = true;
  const QueueConfig& q = s.stream.queue;
  if (fifo_) e.queue_send_limit = sqs::send_limits(true, q.send_batch_size, q.high_throughput, 1).write_records_per_s;
  e.shards = e.shards_for_writes = 1;
  e.concurrency_bound = s.consumers.empty() ? 0 : queue_batches(s.consumers.front());
}

void SqsScenarioKind::check(const Scenario& s, const JsonSource& source, Diagnostics& d) const {
  const auto at = [&](const std::string& pointer) { return source.locate(pointer); };
  KinesisScenarioKind::check_no_items(s, source, d);
  if (fifo_ && s.stream.queue.duplicate_probability != QueueConfig{}.duplicate_probability)
    d.error(at("/stream/queue/duplicate_probability"), "stream.queue.duplicate_probability",
            "a FIFO queue delivers each message once; at-least-once duplicates are sqs_standard's");
  const std::pair<const char*, bool> fifo_only[] = {
      {"send_batch_size", s.stream.queue.send_batch_size != QueueConfig{}.send_batch_size},
      {"high_throughput", s.stream.queue.high_throughput != QueueConfig{}.high_throughput}};
  for (const auto& [field, set] : fifo_only)
    if (!fifo_ && set)
      d.error(at(std::string("/stream/queue/") + field), std::string("stream.queue.") + field,
              "a standard queue's sends are nearly unlimited; this setting is sqs_fifo's");
  if (s.consumers.size() > 1)
    d.error(at("/consumers"), "consumers",
            "a queue's consumers compete for its messages; the model takes one Lambda mapping per queue, got " +
                std::to_string(s.consumers.size()));
  for (std::size_t i = 0; i < s.consumers.size(); ++i) {
    const ConsumerConfig& c = s.consumers[i];
    const std::string base = "/consumers/" + std::to_string(i);
    if (c.type != ConsumerConfig::Type::lambda_esm) {
      d.error(at(base + "/type"), display_path(base + "/type"), "a queue is read by a Lambda mapping (lambda_esm) here; kcl and "
                                                                 "raw_reader read streams");
      continue;
    }
    const ConsumerConfig stream_mapping;
    const std::pair<const char*, bool> stream_only[] = {
        {"parallelization_factor", c.mapping.parallelization_factor != stream_mapping.mapping.parallelization_factor},
        {"lane_assignment", c.mapping.lane_assignment != stream_mapping.mapping.lane_assignment},
        {"max_retry_attempts", c.mapping.max_retry_attempts != stream_mapping.mapping.max_retry_attempts},
        {"max_record_age_s", c.mapping.max_record_age_s != stream_mapping.mapping.max_record_age_s},
        {"bisect_on_error", c.mapping.bisect_on_error != stream_mapping.mapping.bisect_on_error},
        {"on_failure", c.mapping.on_failure != stream_mapping.mapping.on_failure},
        {"delivery", c.delivery != stream_mapping.delivery},
        {"lineage", c.lineage != stream_mapping.lineage},
        {"starting_position", c.starting_position != stream_mapping.starting_position}};
    for (const auto& [field, set] : stream_only)
      if (set)
        d.error(at(base + "/" + field), display_path(base + "/" + field),
                "a stream mapping's setting; on a queue, failed messages return after stream.queue.visibility_timeout_s "
                "and go to a dead-letter queue after stream.queue.max_receive_count");
    const auto& pollers = c.mapping.pollers;
    if (pollers.scale_delay_s != ConsumerConfig{}.mapping.pollers.scale_delay_s)
      d.error(at(base + "/pollers/scale_delay_s"), display_path(base + "/pollers/scale_delay_s"),
              "a Kafka mapping's setting; a queue's provisioned pollers scale by up to 1,000 batches per minute");
    if (pollers.mode == ConsumerConfig::Mapping::Pollers::Mode::provisioned) {
      if (c.mapping.maximum_concurrency != -1)
        d.error(at(base + "/maximum_concurrency"), display_path(base + "/maximum_concurrency"),
                "MaximumConcurrency and provisioned pollers exclude each other (AWS): set one");
      if (pollers.minimum < sqs::kMinimumPollers)
        d.error(at(base + "/pollers/minimum"), display_path(base + "/pollers/minimum"), "a queue's mapping has at least 2 pollers");
      if (pollers.maximum < std::max<std::int64_t>(pollers.minimum, sqs::kMinimumPollers))
        d.error(at(base + "/pollers/maximum"), display_path(base + "/pollers/maximum"),
                "MaximumPollers must be at least 2 and at least MinimumPollers (" + std::to_string(pollers.minimum) + ")");
    }
    const auto beyond = [&](const std::string& field, const std::string& message) {
      if (s.what_if) d.warning(at(base + "/" + field), display_path(base + "/" + field), message + "; allowed because what_if is true");
      else d.error(at(base + "/" + field), display_path(base + "/" + field), message + "; set \"what_if\": true to explore beyond AWS's limits");
    };
    if (fifo_ && c.mapping.batch_size > 10) beyond("batch_size", std::to_string(c.mapping.batch_size) + " messages: a FIFO queue's batches hold at most 10");
    if (fifo_ && c.mapping.batching_window_s > 0)
      d.error(at(base + "/batching_window_s"), display_path(base + "/batching_window_s"), "a FIFO queue's mapping takes no batching window");
    if (!fifo_ && c.mapping.batch_size > 10 && c.mapping.batching_window_s < 1)
      beyond("batch_size", std::to_string(c.mapping.batch_size) + " messages need a batching_window_s of at least 1 s on a standard queue");
  }
  for (std::size_t i = 0; i < s.producers.size(); ++i) {
    const std::string base = "/producers/" + std::to_string(i);
    if (!s.producers[i].explicit_hash_key.empty())
      d.error(at(base + "/explicit_hash_key"), display_path(base + "/explicit_hash_key"), "ExplicitHashKey is Kinesis's; a queue has no hash key space");
    if (s.producers[i].aggregation.records_per_kinesis_record > 1)
      d.error(at(base + "/aggregation"), display_path(base + "/aggregation"), "KPL aggregation packs Kinesis records; a queue takes messages");
  }
}

}  // namespace shardsim
