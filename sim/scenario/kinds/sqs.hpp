#pragma once
// An SQS queue in a scenario (sqs_standard, sqs_fifo): its messages wait in one log with the
// queue's retention; its one consumer, a Lambda mapping, long-polls, takes 10 messages a batch by
// default, and takes none of a stream mapping's settings. Settings that do not apply are checked
// by value, not presence: a written scenario carries them at their defaults.
#include "sim/scenario/scenario_kind.hpp"

namespace shardsim {

class SqsScenarioKind : public ScenarioStreamKind {
public:
  explicit SqsScenarioKind(bool fifo) : fifo_(fifo) {}
  void stream_defaults(StreamConfig& stream, const GivenField&) const override;
  void consumer_defaults(ConsumerConfig& c, const GivenField& given) const override;
  void check(const Scenario& s, const JsonSource& source, Diagnostics& d) const override;
  void estimate(const Scenario& s, StaticEstimate& e) const override;

private:
  bool fifo_;
};

}  // namespace shardsim
