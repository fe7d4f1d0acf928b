// The one place that maps a scenario's stream.type to its kind. A new kind adds its folder's
// files under sim/run/kinds/ and a line here.
#include "sim/run/kinds/dynamodb.hpp"
#include "sim/run/kinds/kinesis.hpp"
#include "sim/run/kinds/sqs.hpp"

#include <stdexcept>

namespace shardsim {

std::unique_ptr<StreamKind> make_stream_kind(const StreamConfig& stream) {
  switch (stream.type) {
    case StreamConfig::Type::kinesis: return std::make_unique<KinesisKind>();
    case StreamConfig::Type::dynamodb: return std::make_unique<DynamoDbKind>();
    case StreamConfig::Type::sqs_standard: return std::make_unique<SqsKind>(false);
    case StreamConfig::Type::sqs_fifo: return std::make_unique<SqsKind>(true);
  }
  throw std::logic_error("unknown stream type");
}

}  // namespace shardsim
