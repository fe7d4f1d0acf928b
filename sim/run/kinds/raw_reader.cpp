#include "sim/run/kinds/raw_reader.hpp"

#include <cstdio>
#include <limits>

#include "models/base/number_format.hpp"
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
                           RunResult& run, std::int64_t&) const {
  // One batch per shard being read (a lease or a poller) at a time; each call a read request.
  result.concurrency_limit = parts.metrics.reading_shards[c].peak(simulated_s);
  run.cost.stream_read_requests += static_cast<double>(result.read_calls);
  // Its batches run in the application's own processes.
  const auto count = [](std::uint64_t n) { return format_number(static_cast<double>(n)); };
  std::string text = result.type + ": " + count(result.counts.invocations) + " batches from " + count(result.read_calls) +
                     " GetRecords calls" + leases_text(result);
  if (result.thread_waits > 0) {
    char wait[64];
    std::snprintf(wait, sizeof wait, "%.1f", result.thread_wait_s);
    text += "; " + count(result.thread_waits) + " batches waited " + wait + " s for a worker thread";
  }
  run.consumer_summary.push_back({result.name, text});
}

void RawReaderKind::bill(const RunParts& parts, std::size_t c, double simulated_s, CostResult& cost) const {
  // Its own processes run the whole time.
  const double n = workers(parts.scenario.consumers[c]);
  cost.worker_hours += n * simulated_s / 3600;
  cost.production_worker_hours += n * cost.production_hours;
}

}  // namespace shardsim
