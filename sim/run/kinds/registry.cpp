// The one place that maps a scenario's stream.type and consumers[].type to their kinds. A new
// kind adds its files under sim/run/kinds/ and a line here.
#include "sim/run/kinds/dynamodb.hpp"
#include "sim/run/kinds/kafka.hpp"
#include "sim/run/kinds/kcl.hpp"
#include "sim/run/kinds/kinesis.hpp"
#include "sim/run/kinds/lambda_mapping.hpp"
#include "sim/run/kinds/raw_reader.hpp"
#include "sim/run/kinds/sqs.hpp"

#include <stdexcept>

namespace shardsim {

std::unique_ptr<StreamKind> make_stream_kind(const StreamConfig& stream) {
  switch (stream.type) {
    case StreamConfig::Type::kinesis: return std::make_unique<KinesisKind>();
    case StreamConfig::Type::dynamodb: return std::make_unique<DynamoDbKind>();
    case StreamConfig::Type::sqs_standard: return std::make_unique<SqsKind>(false);
    case StreamConfig::Type::sqs_fifo: return std::make_unique<SqsKind>(true);
    case StreamConfig::Type::kafka: return std::make_unique<KafkaKind>();
  }
  throw std::logic_error("unknown stream type");
}

const ConsumerKind& consumer_kind(ConsumerConfig::Type type) {
  static const LambdaMappingKind lambda_mapping;
  static const KclKind kcl;
  static const RawReaderKind raw_reader;
  switch (type) {
    case ConsumerConfig::Type::lambda_esm: return lambda_mapping;
    case ConsumerConfig::Type::kcl: return kcl;
    case ConsumerConfig::Type::raw_reader: return raw_reader;
  }
  throw std::logic_error("unknown consumer type");
}

}  // namespace shardsim
