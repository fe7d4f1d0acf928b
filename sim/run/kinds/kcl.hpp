#pragma once
// A KCL application: a raw reader whose shards are leased by its workers (a lease table with
// failover and checkpoints, optionally limited worker threads), paying for the lease table.
#include "sim/run/kinds/raw_reader.hpp"

namespace shardsim {

class KclKind : public RawReaderKind {
public:
  void prepare(RunParts& parts, std::size_t c) const override;
  void bill(const RunParts& parts, std::size_t c, double simulated_s, CostResult& cost) const override;

protected:
  double workers(const ConsumerConfig& c) const override { return static_cast<double>(c.kcl.workers); }
  std::string leases_text(const ConsumerResult& result) const override;
};

}  // namespace shardsim
