#pragma once
// A Lambda event source mapping: its batches run as invocations of its function, within the
// function's and the account's concurrency, PF lanes per shard (a queue: its batches).
#include "sim/run/consumer_kind.hpp"

namespace shardsim {

class LambdaMappingKind : public ConsumerKind {
public:
  void prepare(RunParts& parts, std::size_t c) const override;
  std::unique_ptr<ShardReader> shard_reader(const ReaderSetting& setting, std::size_t shard) const override;
  void report(const RunParts& parts, std::size_t c, double simulated_s, ConsumerResult& result, RunResult& run,
              std::int64_t& function_bound) const override;
};

}  // namespace shardsim
