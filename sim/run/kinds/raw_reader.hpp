#pragma once
// A raw GetRecords reader: one process of its own per consumer, polling each shard and running
// each call's records as one batch, without Lambda's timeout or concurrency limits. The KCL
// (kinds/kcl.hpp) is one with leases.
#include "sim/run/consumer_kind.hpp"

namespace shardsim {

class RawReaderKind : public ConsumerKind {
public:
  void prepare(RunParts& parts, std::size_t c) const override;
  std::unique_ptr<ShardReader> shard_reader(const ReaderSetting& setting, std::size_t shard) const override;
  void report(const RunParts& parts, std::size_t c, double simulated_s, ConsumerResult& result, RunResult& run,
              std::int64_t& function_bound) const override;
  void bill(const RunParts& parts, std::size_t c, double simulated_s, CostResult& cost) const override;

protected:
  // The processes it runs the whole time.
  virtual double workers(const ConsumerConfig&) const { return 1; }
  // What its summary line says of its leases.
  virtual std::string leases_text(const ConsumerResult&) const { return ""; }
};

}  // namespace shardsim
