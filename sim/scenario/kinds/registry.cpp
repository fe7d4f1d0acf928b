// The one place that maps a scenario's stream.type to its scenario part (consumers[].type:
// kinds/consumers.cpp). A new kind adds its files here and a line below.
#include <stdexcept>

#include "sim/scenario/kinds/dynamodb.hpp"
#include "sim/scenario/kinds/kafka.hpp"
#include "sim/scenario/kinds/kinesis.hpp"
#include "sim/scenario/kinds/sqs.hpp"

namespace shardsim {

const ScenarioStreamKind& scenario_stream_kind(StreamConfig::Type type) {
  static const KinesisScenarioKind kinesis;
  static const DynamoDbScenarioKind dynamodb;
  static const SqsScenarioKind sqs_standard(false), sqs_fifo(true);
  static const KafkaScenarioKind kafka;
  switch (type) {
    case StreamConfig::Type::kinesis: return kinesis;
    case StreamConfig::Type::dynamodb: return dynamodb;
    case StreamConfig::Type::sqs_standard: return sqs_standard;
    case StreamConfig::Type::sqs_fifo: return sqs_fifo;
    case StreamConfig::Type::kafka: return kafka;
  }
  throw std::logic_error("unknown stream type");
}

}  // namespace shardsim
