#include "sim/run/kinds/raw_reader.hpp"

#include <limits>

#include "models/kcl/worker_pool.hpp"

namespace shardsim {

void RawReaderKind::prepare(RunParts& parts, std::size_t) const {
  // The application's own processes: as many batches at once as it has leases or pollers, no
  // Lambda timeout.
  parts.executors.push_back(std::make_unique<WorkerPool>(std::numeric_limits<std::int64_t>::max()));
  parts.handlers.back().timeout_s = std::numeric_limits<double>::infinity();
}

std::unique_ptr<ShardReader> RawReaderKind::shard_reader(const ReaderSetting& setting, std::size_t shard) const {
  return make_polling_reader(setting, shard);
}

void RawReaderKind::report(const RunParts& parts, std::size_t c, double simulated_s, ConsumerResult& result,
                           CostResult& cost, std::int64_t&) const {
  // One batch per shard being read (a lease or a poller) at a time; each call a read request.
  result.concurrency_limit = parts.metrics.reading_shards[c].peak(simulated_s);
  cost.stream_read_requests += static_cast<double>(result.read_calls);
}

void RawReaderKind::bill(const RunParts& parts, std::size_t c, double simulated_s, CostResult& cost) const {
  // Its own processes run the whole time.
  const double n = workers(parts.scenario.consumers[c]);
  cost.worker_hours += n * simulated_s / 3600;
  cost.production_worker_hours += n * cost.production_hours;
}

}  // namespace shardsim
