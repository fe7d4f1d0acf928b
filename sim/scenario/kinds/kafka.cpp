#include "sim/scenario/kinds/kafka.hpp"

#include <algorithm>

#include "models/kafka/kafka.hpp"
#include "sim/scenario/kinds/kinesis.hpp"

namespace shardsim {

std::int64_t partitions_at(const TopicConfig& topic, double t) {
  std::int64_t partitions = topic.partitions;
  for (const auto& r : topic.repartition)
    if (r.at_s <= t) partitions = std::max(partitions, r.partitions);
  return partitions;
}

void KafkaScenarioKind::stream_defaults(StreamConfig& stream, const GivenField& given) const {
  stream.shards = stream.topic.partitions;
  if (!given("retention_hours")) stream.retention_hours = kafka::kDefaultRetentionHours;
}

void KafkaScenarioKind::consumer_defaults(ConsumerConfig& c, const GivenField& given) const {
  // Lambda's Kafka mapping batches for 500 ms by default; its pollers fetch records as they come
  // (AWS documents no delay from a write to its fetch).
  if (!given("batching_window_s")) c.mapping.batching_window_s = kafka::kDefaultBatchingWindowS;
  if (c.propagation_delay_s < 0) c.propagation_delay_s = 0;
  auto& pollers = c.mapping.pollers;
  using Mode = ConsumerConfig::Mapping::Pollers::Mode;
  if (pollers.minimum < 0) pollers.minimum = 1;
  if (pollers.scale_delay_s < 0) pollers.scale_delay_s = pollers.mode == Mode::on_demand ? kafka::kOnDemandScaleDelayS : 0;
}

void KafkaScenarioKind::check(const Scenario& s, const JsonSource& source, Diagnostics& d) const {
  const auto at = [&](const std::string& pointer) { return source.locate(pointer); };
  KinesisScenarioKind::check_no_maximum_concurrency(s, source, d);
  KinesisScenarioKind::check_no_items(s, source, d);
  std::int64_t partitions = s.stream.topic.partitions;
  double last_s = 0;
  for (std::size_t i = 0; i < s.stream.topic.repartition.size(); ++i) {
    const Repartition& r = s.stream.topic.repartition[i];
    const std::string pointer = "/stream/topic/repartition/" + std::to_string(i);
    if (r.at_s < last_s)
      d.error(at(pointer + "/at_s"), display_path(pointer + "/at_s"), "repartitions must come in time order");
    if (r.partitions <= partitions)
      d.error(at(pointer + "/partitions"), display_path(pointer + "/partitions"),
              std::to_string(r.partitions) + " partitions: a topic's partition count only grows (it has " +
                  std::to_string(partitions) + " by then)");
    partitions = std::max(partitions, r.partitions);
    last_s = r.at_s;
  }
  for (std::size_t i = 0; i < s.producers.size(); ++i) {
    const std::string base = "/producers/" + std::to_string(i);
    if (!s.producers[i].explicit_hash_key.empty())
      d.error(at(base + "/explicit_hash_key"), display_path(base + "/explicit_hash_key"),
              "ExplicitHashKey is Kinesis's; a Kafka record goes to the partition of its key");
    if (s.producers[i].aggregation.records_per_kinesis_record > 1)
      d.error(at(base + "/aggregation"), display_path(base + "/aggregation"),
              "KPL aggregation packs Kinesis records; a Kafka producer batches records itself");
  }
  const ConsumerConfig defaults;
  for (std::size_t i = 0; i < s.consumers.size(); ++i) {
    const ConsumerConfig& c = s.consumers[i];
    const std::string base = "/consumers/" + std::to_string(i);
    if (c.type != ConsumerConfig::Type::lambda_esm) {
      d.error(at(base + "/type"), display_path(base + "/type"),
              "a Kafka topic is read by Lambda mappings (lambda_esm) here; kcl and raw_reader read Kinesis and "
              "DynamoDB streams");
      continue;
    }
    const std::pair<const char*, bool> refused[] = {
        {"parallelization_factor", c.mapping.parallelization_factor != defaults.mapping.parallelization_factor},
        {"lane_assignment", c.mapping.lane_assignment != defaults.mapping.lane_assignment},
        {"delivery", c.delivery != defaults.delivery},
        {"lineage", c.lineage != defaults.lineage}};
    for (const auto& [field, set] : refused)
      if (set)
        d.error(at(base + "/" + field), display_path(base + "/" + field),
                "a Kinesis or DynamoDB mapping's setting; on Kafka, one batch per partition is in flight at a time and "
                "partitions have no lineage");
    const auto& p = c.mapping.pollers;
    if (p.mode == ConsumerConfig::Mapping::Pollers::Mode::provisioned && p.maximum < p.minimum)
      d.error(at(base + "/pollers/maximum"), display_path(base + "/pollers/maximum"),
              "MaximumPollers must be at least MinimumPollers (" + std::to_string(p.minimum) + ")");
    if (c.mapping.batch_size > kafka::kMaxBatchSize)
      d.error(at(base + "/batch_size"), display_path(base + "/batch_size"), "a Kafka mapping's BatchSize is at most 10,000");
  }
}

ReshardSchedule KafkaScenarioKind::reshards(const StreamConfig& stream, bool) const {
  // Each repartition opens the new partitions, without parents (checked in check()).
  ReshardSchedule schedule;
  std::int64_t partitions = stream.topic.partitions;
  for (const Repartition& r : stream.topic.repartition) {
    ShardSetChange change;
    change.at_s = r.at_s;
    for (; partitions < r.partitions; ++partitions) change.open.push_back({{0, kMaxHashKey}, std::nullopt, std::nullopt});
    if (!change.open.empty()) schedule.changes.push_back(std::move(change));
  }
  return schedule;
}

void KafkaScenarioKind::estimate(const Scenario& s, StaticEstimate& e) const {
  // A partition's writes are not capped: the partitions the writes need are not a number AWS gives.
  e.shards_for_writes = 0;
  e.parallelization_factor = 1;
  e.shards = s.stream.topic.partitions;
  e.concurrency_bound = e.shards;
}

}  // namespace shardsim
