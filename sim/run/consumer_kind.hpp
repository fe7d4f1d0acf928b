#pragma once
// What differs between the kinds of consumer (a Lambda event source mapping, a KCL application,
// a raw GetRecords reader): each kind, in sim/run/kinds/, sets up what runs its batches, builds
// its reader of a shard, and reports its concurrency bound and its bill. Run calls these hooks
// and never asks which kind a consumer is; consumer_kind is the one place that maps
// consumers[].type to a kind.
#include <cstdint>
#include <memory>

#include "analysis/result.hpp"
#include "sim/run/consumers.hpp"
#include "sim/run/run_parts.hpp"

namespace shardsim {

class ConsumerKind {
public:
  virtual ~ConsumerKind() = default;
  // Sets up consumer c's executor (and a KCL's lease table and worker threads); handlers[c]
  // already holds its function's handler model.
  virtual void prepare(RunParts& parts, std::size_t c) const = 0;
  // Its reader of one shard.
  virtual std::unique_ptr<ShardReader> shard_reader(const ReaderSetting& setting, std::size_t shard) const = 0;
  // Its concurrency bound and request counts, into its result and the run's (cost, its line of
  // the text summary); what it adds to its function's bound.
  virtual void report(const RunParts& parts, std::size_t c, double simulated_s, ConsumerResult& result, RunResult& run,
                      std::int64_t& function_bound) const = 0;
  // What it costs beyond requests (its own workers, a lease table), into `cost`.
  virtual void bill(const RunParts&, std::size_t, double, CostResult&) const {}
};

// The kind of consumers[].type.
const ConsumerKind& consumer_kind(ConsumerConfig::Type type);

}  // namespace shardsim
