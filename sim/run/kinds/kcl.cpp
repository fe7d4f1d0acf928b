#include "sim/run/kinds/kcl.hpp"

#include <cmath>

#include "models/base/number_format.hpp"

namespace shardsim {

void KclKind::prepare(RunParts& parts, std::size_t c) const {
  RawReaderKind::prepare(parts, c);
  const ConsumerConfig& consumer = parts.scenario.consumers[c];
  parts.leases.back() = std::make_unique<LeaseTable>(
      static_cast<std::size_t>(consumer.kcl.workers), static_cast<std::size_t>(consumer.kcl.max_leases_per_worker),
      consumer.kcl.failover_s, consumer.kcl.worker_failures,
      consumer.kcl.lease_taker_interval_s > 0 ? consumer.kcl.lease_taker_interval_s
                                          : LeaseTable::default_taker_interval_s(consumer.kcl.failover_s),
      consumer.start_s);
  if (consumer.kcl.worker_threads > 0)
    parts.threads.back() = std::make_unique<WorkerThreads>(static_cast<std::size_t>(consumer.kcl.workers),
                                                          static_cast<unsigned>(consumer.kcl.worker_threads));
}

std::string KclKind::leases_text(const ConsumerResult& r) const {
  const auto count = [](std::uint64_t n) { return format_number(static_cast<double>(n)); };
  return ", " + count(r.leases_taken) + " leases taken (" + count(r.lease_moves) + " moved, " + count(r.lease_failovers) +
         " lost with their worker)";
}

void KclKind::bill(const RunParts& parts, std::size_t c, double simulated_s, CostResult& cost) const {
  RawReaderKind::bill(parts, c, simulated_s, cost);
  // The lease table (KCL defaults, shared/aws-facts.md): a write per lease taken, per checkpoint,
  // and per renewal of each held lease every failover_s / 3 − 25 ms; each worker's lease taker
  // reads every lease at each run (a read unit per lease item).
  const LeaseTable& leases = *parts.leases[c];
  const double held_s = parts.metrics.reading_shards[c].area(simulated_s);
  cost.lease_write_units +=
      static_cast<double>(leases.counts().taken + leases.counts().checkpoints) + held_s / leases.renewal_interval_s();
  const double taker_runs = std::floor(simulated_s / leases.taker_interval_s()) + 1;
  cost.lease_read_units += taker_runs * static_cast<double>(leases.workers()) * static_cast<double>(parts.stream.shard_count());
}

}  // namespace shardsim
