#include "sim/scenario/kinds/kinesis.hpp"

namespace shardsim {

void KinesisScenarioKind::check_no_maximum_concurrency(const Scenario& s, const JsonSource& source, Diagnostics& d) {
  for (std::size_t i = 0; i < s.consumers.size(); ++i) {
    const std::string pointer = "/consumers/" + std::to_string(i) + "/maximum_concurrency";
    if (s.consumers[i].mapping.maximum_concurrency != -1)
      d.error(source.locate(pointer), display_path(pointer),
              "MaximumConcurrency is an SQS mapping's; on a stream, concurrency comes from shards × parallelization_factor");
  }
}

void KinesisScenarioKind::check_no_pollers(const Scenario& s, const JsonSource& source, Diagnostics& d) {
  const auto defaults = ConsumerConfig{}.mapping.pollers;
  for (std::size_t i = 0; i < s.consumers.size(); ++i) {
    const auto& p = s.consumers[i].mapping.pollers;
    const std::string pointer = "/consumers/" + std::to_string(i) + "/pollers";
    if (p.mode != defaults.mode || p.minimum != defaults.minimum || p.maximum != defaults.maximum ||
        p.scale_delay_s != defaults.scale_delay_s)
      d.error(source.locate(pointer), display_path(pointer), "event pollers are a Kafka mapping's (stream.type \"kafka\")");
  }
}

void KinesisScenarioKind::stream_defaults(StreamConfig& stream, const GivenField& given) const {
  // A new on-demand stream takes 4 MB/s and 4,000 records/s of writes: 4 shards' worth.
  if (stream.kinesis.capacity_mode == StreamConfig::CapacityMode::on_demand && !given("shards")) stream.shards = 4;
}

void KinesisScenarioKind::check(const Scenario& s, const JsonSource& source, Diagnostics& d) const {
  check_no_maximum_concurrency(s, source, d);
  check_no_pollers(s, source, d);
  check_no_items(s, source, d);
}

void KinesisScenarioKind::check_no_items(const Scenario& s, const JsonSource& source, Diagnostics& d) {
  for (std::size_t i = 0; i < s.producers.size(); ++i) {
    const ProducerConfig& p = s.producers[i];
    const std::string base = "/producers/" + std::to_string(i), shown = "producers[" + std::to_string(i) + "]";
    if (p.sort_keys)
      d.error(source.locate(base + "/sort_keys"), shown + ".sort_keys", "sort keys are DynamoDB's: set stream.type \"dynamodb\"");
    if (p.order_by == ProducerConfig::OrderBy::item)
      d.error(source.locate(base + "/order_by"), shown + ".order_by",
              "a Kinesis stream keeps order per partition key; items (partition key + sort key) are DynamoDB's");
  }
}

}  // namespace shardsim
