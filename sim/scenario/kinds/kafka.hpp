#pragma once
// A Kafka topic's scenario: shards are the topic's partitions, retention defaults to 7 days, a
// Lambda mapping batches for 500 ms by default and runs one batch per partition; partitions are
// only ever added (stream.topic.repartition); what is Kinesis's (ParallelizationFactor, enhanced
// fan-out, ExplicitHashKey, KPL aggregation, reshards), DynamoDB's or a queue's is refused.
#include "sim/scenario/scenario_kind.hpp"

namespace shardsim {

// The topic's partitions at time t (after every repartition at or before t; +inf: at the end).
std::int64_t partitions_at(const TopicConfig& topic, double t);

class KafkaScenarioKind : public ScenarioStreamKind {
public:
  void stream_defaults(StreamConfig& stream, const GivenField& given) const override;
  void consumer_defaults(ConsumerConfig& c, const GivenField& given) const override;
  void check(const Scenario& s, const JsonSource& source, Diagnostics& d) const override;
  ReshardSchedule reshards(const StreamConfig& stream, bool what_if) const override;
  void estimate(const Scenario& s, StaticEstimate& e) const override;
};

}  // namespace shardsim
