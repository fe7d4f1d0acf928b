#pragma once
// One simulation: owns the resolved scenario, the random streams, the model objects and the
// metric sink; launches the actors on a host and turns the metrics into a RunResult. No
// globals: everything a model touches hangs off a Run.
#include <memory>
#include <vector>

#include <simgrid/s4u/Actor.hpp>

#include "analysis/metrics.hpp"
#include "analysis/result.hpp"
#include "models/core/keys.hpp"
#include "models/lambda/lambda_service.hpp"
#include "models/kcl/lease_table.hpp"
#include "models/kcl/worker_threads.hpp"
#include "models/core/lock_table.hpp"
#include "models/kcl/worker_pool.hpp"
#include "models/reader/shard_reader.hpp"
#include "models/stream/shard_set_control.hpp"
#include "models/producers/producer.hpp"
#include "models/sqs/queue_poller.hpp"
#include "models/sqs/sqs_queue.hpp"
#include "models/stream/stream.hpp"
#include "models/base/run_control.hpp"
#include "sim/scenario/scenario.hpp"


namespace shardsim {

// What a run records beyond its result (each bounded; 0 = off).
struct RunOptions {
  std::size_t trace_invocations = 0;  // Chrome trace of the first N invocations
  std::size_t gantt_records = 0;      // ASCII timeline of the first N records
  std::uint64_t replication = 0;      // random streams derive from (seed, replication, entity)
  bool progress = false;              // a progress line on stderr while producers run (a terminal)
};

class Run {
public:
  explicit Run(Scenario scenario, RunOptions options = {});

  const Scenario& scenario() const { return scenario_; }
  const RunControl& control() const { return control_; }
  // The stream, for changes of its shard set scheduled before launch().
  Stream& stream() { return stream_; }
  // Number of actors launch() creates (the engine sizes its contexts by it).
  std::size_t actor_count() const;
  void launch(simgrid::s4u::Host* host);
  // After the engine has run: the numbers a user reads, and the optional outputs.
  RunResult result(double simulated_s) const;
  std::string time_series_csv(double simulated_s) const;
  // Empty when the run was too large to keep it (see ShardBacklog).
  std::string backlog_by_shard_csv(double simulated_s) const;
  std::string trace_json(double simulated_s) const { return trace_ ? trace_->json(simulated_s) : ""; }
  std::string gantt(std::size_t width) const { return gantt_ ? gantt_->render(width) : ""; }
  std::string gantt_svg() const { return gantt_ ? gantt_->svg() : ""; }

private:
  std::size_t function_index(const std::string& name) const;
  // Consumer c's reader of a shard, held by the lineage gate where the consumer asks for it.
  // What the consumers that are not Lambda, and enhanced fan-out, use: into `cost`.
  void consumer_costs(CostResult& cost, double simulated_s) const;
  void start_reader(simgrid::s4u::Host* host, std::size_t c, std::size_t shard);
  // A queue's mapping: the queue as its consumer sees it, and its pollers.
  void start_queue_poller(simgrid::s4u::Host* host);
  void queue_result(RunResult& r) const;
  // One line per part of the pipeline, with the settings in force (AWS's undocumented points
  // included), for the summary.
  std::vector<std::string> configuration_summary() const;

  Scenario scenario_;
  std::uint64_t replication_;
  std::vector<std::string> function_names_;
  RunControl control_;
  KeyTable keys_;
  Metrics metrics_;
  Stream stream_;
  LambdaService lambda_;
  std::vector<Producer> producers_;
  std::unique_ptr<ProducerFleet> fleet_;
  std::vector<std::unique_ptr<Executor>> executors_;                 // [consumer]: Lambda, or a KCL's or reader's own workers
  std::vector<FunctionConfig> handlers_;                             // [consumer]: the handler model its lanes run
  std::vector<std::unique_ptr<LeaseTable>> leases_;                  // [consumer]: a KCL's lease table (else null)
  std::vector<std::unique_ptr<WorkerThreads>> threads_;              // [consumer]: a KCL's worker threads, if limited
  std::vector<std::unique_ptr<FailureRules>> failures_;              // [consumer]: which records fail, and when
  std::vector<std::unique_ptr<LockTable>> locks_;                    // [function]: its lock table (distributed_lock, else null)
  struct Reader {
    std::unique_ptr<ConsumerActor> reader;
    simgrid::s4u::ActorPtr actor;
  };
  std::vector<std::vector<Reader>> readers_;  // [consumer][shard]; a queue's mapping: [0][0], its poller
  std::unique_ptr<MessageQueue> queue_;       // sqs_standard, sqs_fifo
  QueuePoller* poller_ = nullptr;
  std::unique_ptr<ShardSetControl> shard_set_control_;
  std::unique_ptr<TraceRecorder> trace_;
  std::unique_ptr<Gantt> gantt_;
};

}  // namespace shardsim
