#include "sim/scenario/kinds/dynamodb.hpp"

#include <cmath>

#include "models/dynamodb/dynamodb.hpp"
#include "sim/scenario/kinds/kinesis.hpp"

namespace shardsim {

void DynamoDbScenarioKind::stream_defaults(StreamConfig& stream, const GivenField&) const {
  stream.shards = stream.table.partitions;
  stream.retention_hours = dynamodb::kRetentionS / 3600;
}

double DynamoDbScenarioKind::lambda_poll_interval_s() const { return 1 / dynamodb::kLambdaPollsPerShardPerS; }

void DynamoDbScenarioKind::estimate(const Scenario& s, StaticEstimate& e) const {
  // Shards are partitions; each write takes its whole kilobytes of a partition's 1,000 write units/s.
  e.table = true;
  double units_per_s = 0;
  for (const auto& p : s.producers)
    if (p.arrival.type != ArrivalSpec::Type::trace)
      units_per_s += p.rate_per_s * rate_factor(p.arrival, s.duration_s).second *
                     dynamodb::write_units(static_cast<std::uint32_t>(p.record_bytes.expected() + 10));
  e.shards_for_writes = whole_count(std::ceil(units_per_s / dynamodb::kWriteUnitsPerPartitionPerS - 1e-9));
}

void DynamoDbScenarioKind::check(const Scenario& s, const JsonSource& source, Diagnostics& d) const {
  KinesisScenarioKind::check_no_maximum_concurrency(s, source, d);
  KinesisScenarioKind::check_no_pollers(s, source, d);
  for (std::size_t i = 0; i < s.producers.size(); ++i) {
    const ProducerConfig& p = s.producers[i];
    const std::string base = "/producers/" + std::to_string(i), shown = "producers[" + std::to_string(i) + "]";
    if (!p.explicit_hash_key.empty())
      d.error(source.locate(base + "/explicit_hash_key"), shown + ".explicit_hash_key",
              "ExplicitHashKey is Kinesis's; a table routes by partition key");
    if (p.aggregation.records_per_kinesis_record > 1)
      d.error(source.locate(base + "/aggregation"), shown + ".aggregation",
              "KPL aggregation packs Kinesis records; a table's items are written one by one");
  }
  for (std::size_t i = 0; i < s.consumers.size(); ++i)
    if (s.consumers[i].delivery == ConsumerConfig::Delivery::efo)
      d.error(source.locate("/consumers/" + std::to_string(i) + "/delivery"), "consumers[" + std::to_string(i) + "].delivery",
              "enhanced fan-out is Kinesis's; DynamoDB Streams are polled");
}

}  // namespace shardsim
