#pragma once
// A DynamoDB table's stream in a scenario: a shard per partition, 24 hours of retention, order
// per item by default; Lambda polls each shard 4 times a second; ExplicitHashKey, KPL
// aggregation and enhanced fan-out are Kinesis's.
#include "sim/scenario/scenario_kind.hpp"

namespace shardsim {

class DynamoDbScenarioKind : public ScenarioStreamKind {
public:
  void stream_defaults(StreamConfig& stream, const GivenField&) const override;
  ProducerConfig::OrderBy default_order() const override { return ProducerConfig::OrderBy::item; }
  double lambda_poll_interval_s() const override;
  void check(const Scenario& s, const JsonSource& source, Diagnostics& d) const override;
  ReshardSchedule reshards(const StreamConfig& stream, bool) const override { return schedule_partition_splits(stream); }
  void estimate(const Scenario& s, StaticEstimate& e) const override;
};

}  // namespace shardsim
