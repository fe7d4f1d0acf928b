#include "sim/run/kinds/kafka.hpp"

#include <cstdio>
#include <limits>
#include <set>

#include <simgrid/s4u/Actor.hpp>

#include "models/base/number_format.hpp"
#include "models/kafka/kafka.hpp"
#include "models/kafka/poller_source.hpp"
#include "models/kafka/topic_partitioner.hpp"
#include "sim/run/consumers.hpp"
#include "sim/scenario/kinds/kafka.hpp"

namespace shardsim {
namespace {

using Mode = ConsumerConfig::Mapping::Pollers::Mode;
constexpr double kNever = std::numeric_limits<double>::infinity();

EventPollerParams poller_params(const ConsumerConfig& c, std::int64_t partitions) {
  const auto& p = c.mapping.pollers;
  EventPollerParams params;
  const bool provisioned = p.mode == Mode::provisioned;
  params.minimum = static_cast<std::size_t>(provisioned ? p.minimum : 1);
  params.maximum = static_cast<std::size_t>(provisioned ? p.maximum : partitions);
  params.bytes_per_s = kafka::kPollerBytesPerS;
  params.evaluation_interval_s = kafka::kPollerEvaluationS;
  params.scale_delay_s = p.scale_delay_s;
  return params;
}

}  // namespace

ShardLimits KafkaKind::shard_limits(const StreamConfig&) const {
  // No write limit per partition (models/kafka/kafka.hpp); reads are limited by the pollers.
  return {ShardLimits::kUnlimited, ShardLimits::kUnlimited, 1, 0, 0};
}

void KafkaKind::prepare(RunParts& parts) {
  const Scenario& s = parts.scenario;
  parts.stream.route_with(std::make_unique<TopicPartitioner>(parts.keys, static_cast<std::uint64_t>(s.stream.topic.producer_batch_bytes),
                                                             static_cast<std::uint64_t>(s.seed), parts.replication));
  for (auto& m : parts.metrics.consumers) m.ordering.moved_keys_cause(OrderingCause::repartition);
  // On demand a mapping has at most a poller per partition (of the most the topic will have).
  for (const auto& c : parts.scenario.consumers)
    pollers_.push_back(std::make_unique<EventPollers>(poller_params(c, partitions_at(parts.scenario.stream.topic, kNever))));
}

std::unique_ptr<ShardSource> KafkaKind::record_source(const ReaderSetting& s, std::size_t shard) const {
  const ConsumerConfig& c = s.scenario.consumers[s.consumer];
  return std::make_unique<PollerSource>(s.stream, shard, s.consumer, get_records_limits(), c.propagation_delay_s,
                                        *pollers_[s.consumer], s.sink);
}

void KafkaKind::start_consumers(RunParts& parts, simgrid::s4u::Host* host) {
  StreamKind::start_consumers(parts, host);
  // Each mapping's pollers are evaluated once a minute from its start, on the topic's offset lag,
  // the function's throttles and the reads a poller's budget held back since the last time.
  for (std::size_t c = 0; c < parts.scenario.consumers.size(); ++c) {
    const ConsumerConfig& consumer = parts.scenario.consumers[c];
    EventPollers& pollers = *pollers_[c];
    simgrid::s4u::Actor::create(consumer.name + "/pollers", host, [&parts, &pollers, c, start = consumer.start_s] {
      const auto& m = parts.metrics.consumers[c];
      for (double t = start + pollers.evaluation_interval_s();; t += pollers.evaluation_interval_s()) {
        simgrid::s4u::this_actor::sleep_until(t);
        PollerObservation seen;
        for (std::size_t s = 0; s < parts.stream.shard_count(); ++s) seen.lag += parts.stream.lag(c, s);
        seen.throttles = m.throttled;
        seen.held_reads = m.read_waits[static_cast<std::size_t>(ReadLimit::byte_rate)];
        seen.partitions = parts.stream.open_shard_count();
        pollers.evaluate(t, seen);
      }
    })->daemonize();
  }
}

void KafkaKind::report(const RunParts& parts, RunResult& r) const {
  const StreamConfig& s = parts.scenario.stream;
  r.stream.type = "kafka";
  for (auto& shard : r.stream.shards) shard.starting_hash_key = shard.ending_hash_key = "";  // routed by murmur2, not ranges
  const double end_s = r.simulated_s;
  std::set<double> added_at;  // repartitions carried out: when partitions beyond the first opened
  for (std::size_t i = static_cast<std::size_t>(s.topic.partitions); i < r.stream.shards.size(); ++i)
    added_at.insert(r.stream.shards[i].opened_s);
  r.topic.repartitions = added_at.size();
  r.topic.partitions_at_end = parts.stream.open_shard_count();
  if (!pollers_.empty()) {
    EventPollers& p = *pollers_.front();
    r.topic.pollers_at_end = p.count(end_s);
    r.topic.peak_pollers = p.peak();
    r.topic.poller_changes = p.changes();
  }
  const auto count = [](std::uint64_t n) { return format_number(static_cast<double>(n)); };
  r.kind_summary = {"topic (Kafka)",
                    {{"partitions at end", count(r.topic.partitions_at_end) + " (" + count(r.topic.repartitions) + " repartitions)"},
                     {"event pollers", count(r.topic.pollers_at_end) + " at the end, at most " + count(r.topic.peak_pollers) + ", " +
                                           count(r.topic.poller_changes) + " changes"}}};
  r.shard_changes_summary = {"repartitions", count(r.topic.repartitions) + " (" +
                                                 count(r.topic.partitions_at_end - static_cast<std::uint64_t>(s.topic.partitions)) +
                                                 " partitions added)"};
}

void KafkaKind::report_bounds(const RunParts& parts, RunResult& r) const {
  // The first mapping's pollers: bytes fetched against their capacity over the run; binding for
  // the share of its readers' time a poller's budget held their fetches back.
  if (pollers_.empty()) return;
  const auto& m = parts.metrics;
  const double reader_s = m.reading_shards[0].area(r.simulated_s);
  const double held_s = m.consumers[0].read_wait_s[static_cast<std::size_t>(ReadLimit::byte_rate)];
  r.bounds.push_back({"event_pollers", kafka::kPollerBytesPerS, "bytes/s per poller", pollers_[0]->mean_utilization(r.simulated_s),
                      pollers_[0]->peak_utilization(), reader_s > 0 ? std::min(1.0, held_s / reader_s) : 0.0});
}

void KafkaKind::bill(const RunParts& parts, CostResult& cost) const {
  // The cluster (brokers, storage) is not billed here: only Lambda's side of the pipeline.
  StreamKind::bill(parts, cost);
  cost.shard_hours = cost.production_shard_hours = cost.put_payload_units = 0;
}

std::string KafkaKind::configuration_line(const Scenario& s) const {
  const TopicConfig& t = s.stream.topic;
  std::string partitions = std::to_string(t.partitions) + " partitions";
  for (const Repartition& r : t.repartition)
    partitions += ", " + std::to_string(r.partitions) + " from " + format_number(r.at_s) + " s";
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, "topic        Kafka, %s (murmur2 key partitioner), %g s of production, retention %g h, seed %lld",
                partitions.c_str(), s.duration_s, s.stream.retention_hours, static_cast<long long>(s.seed));
  return buffer;
}

std::string KafkaKind::consumer_line(const Scenario&, const ConsumerConfig& c) const {
  const auto& p = c.mapping.pollers;
  const std::string pollers =
      p.mode == Mode::provisioned ? "provisioned pollers " + std::to_string(p.minimum) + "–" + std::to_string(p.maximum)
                                  : "on-demand pollers from 1";
  char buffer[512];
  std::snprintf(buffer, sizeof buffer,
                "mapping      %s → %s: batch %lld, window %g s, one batch per partition, %s (5 MB/s each, changes %g s after "
                "each minute's evaluation), delay %g s, retries %lld%s%s",
                c.name.c_str(), c.function.c_str(), static_cast<long long>(c.mapping.batch_size), c.mapping.batching_window_s,
                pollers.c_str(), p.scale_delay_s, c.propagation_delay_s, static_cast<long long>(c.mapping.max_retry_attempts),
                c.mapping.report_batch_item_failures ? ", item failures" : "", disabled_text(c).c_str());
  return buffer;
}

}  // namespace shardsim
