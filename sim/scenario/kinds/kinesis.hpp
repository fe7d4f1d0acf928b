#pragma once
// A Kinesis stream's scenario: on demand it starts with 4 shards; every consumer may take
// stream-only settings; MaximumConcurrency is a queue's; items and sort keys are DynamoDB's.
#include "sim/scenario/scenario_kind.hpp"

namespace shardsim {

class KinesisScenarioKind : public ScenarioStreamKind {
public:
  void stream_defaults(StreamConfig& stream, const GivenField& given) const override;
  void check(const Scenario& s, const JsonSource& source, Diagnostics& d) const override;

  // MaximumConcurrency is an SQS mapping's (a DynamoDB stream's kind checks it too).
  static void check_no_maximum_concurrency(const Scenario& s, const JsonSource& source, Diagnostics& d);
  // Event pollers are a Kafka mapping's (every kind but Kafka's checks it).
  static void check_no_pollers(const Scenario& s, const JsonSource& source, Diagnostics& d);
  // Sort keys and items are DynamoDB's (a queue's kind checks it too).
  static void check_no_items(const Scenario& s, const JsonSource& source, Diagnostics& d);
};

}  // namespace shardsim
