// The consumer kinds' scenario parts: a Lambda mapping (which polls a DynamoDB stream's shards 4
// times a second), a KCL application, and a raw reader (which usually ignores lineage: the
// classic bug of a hand-written reader; the KCL and Lambda do not).
#include <stdexcept>

#include "sim/scenario/scenario_kind.hpp"

namespace shardsim {
namespace {

class LambdaMappingScenarioKind : public ScenarioConsumerKind {
public:
  const char* name_suffix() const override { return "-mapping"; }
  void defaults(ConsumerConfig& c, const GivenField& given, const ScenarioStreamKind& stream) const override {
    if (stream.lambda_poll_interval_s() > 0 && !given("poll_interval_s")) c.poll_interval_s = stream.lambda_poll_interval_s();
  }
};

class KclScenarioKind : public ScenarioConsumerKind {
public:
  const char* name_suffix() const override { return "-kcl"; }
};

class RawReaderScenarioKind : public ScenarioConsumerKind {
public:
  const char* name_suffix() const override { return "-reader"; }
  void defaults(ConsumerConfig& c, const GivenField& given, const ScenarioStreamKind&) const override {
    if (!given("lineage")) c.lineage = ConsumerConfig::Lineage::ignore;
  }
};

}  // namespace

const ScenarioConsumerKind& scenario_consumer_kind(ConsumerConfig::Type type) {
  static const LambdaMappingScenarioKind lambda_mapping;
  static const KclScenarioKind kcl;
  static const RawReaderScenarioKind raw_reader;
  switch (type) {
    case ConsumerConfig::Type::lambda_esm: return lambda_mapping;
    case ConsumerConfig::Type::kcl: return kcl;
    case ConsumerConfig::Type::raw_reader: return raw_reader;
  }
  throw std::logic_error("unknown consumer type");
}

}  // namespace shardsim
