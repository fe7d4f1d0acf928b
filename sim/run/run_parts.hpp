#pragma once
// The parts of one run: the resolved scenario, the random streams' origin, the model objects and
// the metric sink. Run composes them; the stream kinds (sim/run/kinds/) set up, start and report
// their own share of them. Built in member order; no globals.
#include <memory>
#include <string>
#include <vector>

#include <simgrid/s4u/Actor.hpp>

#include "analysis/metrics.hpp"
#include "models/base/run_control.hpp"
#include "models/core/consumer_actor.hpp"
#include "models/core/keys.hpp"
#include "models/core/lock_table.hpp"
#include "models/core/record_filter.hpp"
#include "models/kcl/lease_table.hpp"
#include "models/kcl/worker_threads.hpp"
#include "models/lambda/lambda_service.hpp"
#include "models/producers/producer.hpp"
#include "models/stream/shard_set_control.hpp"
#include "models/stream/stream.hpp"
#include "sim/scenario/scenario.hpp"

namespace shardsim {

class StreamKind;

struct RunParts {
  // The stream's shards take their limits from its kind.
  RunParts(Scenario scenario, std::uint64_t replication, const StreamKind& kind);

  // The index of a function by name (consumers name theirs).
  std::size_t function_index(const std::string& name) const;
  // Consumer c's reader of a shard, held by the lineage gate where the consumer asks for it.
  void start_reader(simgrid::s4u::Host* host, std::size_t c, std::size_t shard);

  Scenario scenario;
  const StreamKind& kind;
  std::uint64_t replication;
  std::vector<std::string> function_names;
  RunControl control;
  KeyTable keys;
  Metrics metrics;
  Stream stream;
  LambdaService lambda;
  std::vector<Producer> producers;
  std::unique_ptr<ProducerFleet> fleet;
  std::vector<std::unique_ptr<Executor>> executors;     // [consumer]: Lambda, or a KCL's or reader's own workers
  std::vector<FunctionConfig> handlers;                 // [consumer]: the handler model its lanes run
  std::vector<std::unique_ptr<LeaseTable>> leases;      // [consumer]: a KCL's lease table (else null)
  std::vector<std::unique_ptr<WorkerThreads>> threads;  // [consumer]: a KCL's worker threads, if limited
  std::vector<std::unique_ptr<FailureRules>> failures;  // [consumer]: which records fail, and when
  std::vector<std::unique_ptr<RecordFilter>> filters;   // [consumer]: its filter criteria (else null)
  std::vector<std::unique_ptr<LockTable>> locks;        // [function]: its lock table (distributed_lock, else null)
  struct Reader {
    std::unique_ptr<ConsumerActor> reader;
    simgrid::s4u::ActorPtr actor;
  };
  std::vector<std::vector<Reader>> readers;  // [consumer][shard]; a queue's mapping: [0][0], its poller
  std::unique_ptr<ShardSetControl> shard_set_control;
};

}  // namespace shardsim
