#include "sim/run/kinds/lambda_mapping.hpp"

#include <algorithm>

#include "sim/run/stream_kind.hpp"

namespace shardsim {

void LambdaMappingKind::prepare(RunParts& parts, std::size_t c) const {
  parts.executors.push_back(
      std::make_unique<LambdaFunction>(parts.lambda, parts.function_index(parts.scenario.consumers[c].function)));
}

std::unique_ptr<ShardReader> LambdaMappingKind::shard_reader(const ReaderSetting& setting, std::size_t shard) const {
  return make_lambda_reader(setting, shard);
}

void LambdaMappingKind::report(const RunParts& parts, std::size_t c, double simulated_s, ConsumerResult& result,
                               RunResult& run, std::int64_t& function_bound) const {
  const ConsumerConfig& config = parts.scenario.consumers[c];
  const std::int64_t bound = parts.kind.concurrency_bound(config, parts.metrics.reading_shards[c].peak(simulated_s));
  result.concurrency_limit = std::min(bound, parts.lambda.limit(parts.function_index(config.function)));
  function_bound += bound;
  ++run.lambda_mappings;
  run.cost.lambda_requests += static_cast<double>(parts.metrics.consumers[c].invocations);
}

}  // namespace shardsim
