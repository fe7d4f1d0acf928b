#pragma once
// One simulation: owns its parts (the resolved scenario, the random streams, the model objects
// and the metric sink, sim/run/run_parts.hpp) and its stream's kind; launches the actors on a
// host and turns the metrics into a RunResult. No globals: everything a model touches hangs off
// a Run.
#include <memory>
#include <vector>

#include "analysis/cloudwatch.hpp"
#include "analysis/result.hpp"
#include "analysis/timeline.hpp"
#include "models/kcl/worker_pool.hpp"
#include "sim/run/run_parts.hpp"
#include "sim/run/stream_kind.hpp"

namespace shardsim {

// What a run records beyond its result (each bounded; 0 = off).
struct RunOptions {
  std::size_t trace_invocations = 0;  // Chrome trace of the first N invocations
  std::size_t gantt_records = 0;      // ASCII timeline of the first N records
  std::uint64_t replication = 0;      // random streams derive from (seed, replication, entity)
  bool progress = false;              // a progress line on stderr while producers run (a terminal)
  double cloudwatch_period_s = 0;     // the run's CloudWatch metrics per period of this many seconds
};

class Run {
public:
  explicit Run(Scenario scenario, RunOptions options = {});

  const Scenario& scenario() const { return parts_.scenario; }
  const RunControl& control() const { return parts_.control; }
  // The stream, for changes of its shard set scheduled before launch().
  Stream& stream() { return parts_.stream; }
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
  // The CloudWatch metrics (analysis/cloudwatch.hpp): the queries naming them, and the data
  // points with simulated time 0 at `start`. Empty without RunOptions::cloudwatch_period_s.
  std::string cloudwatch_queries() const;
  std::string cloudwatch_results(double simulated_s, const std::string& start) const;

private:
  // The parts of result(): who ran and what was produced; consumer c's result (its unfinished
  // records' ages also into `all_with_unfinished`); the functions' GB-seconds and locks; the
  // shards; the costs; the warnings.
  void identify(RunResult& r, double simulated_s) const;
  ConsumerResult consumer_result(std::size_t c, double simulated_s, Histogram& all_with_unfinished) const;
  void bill_functions(RunResult& r) const;
  void report_shards(RunResult& r, double simulated_s) const;
  // How much of each limit the run used (RunResult::bounds), after the rest of the result.
  void report_bounds(RunResult& r, double simulated_s) const;
  void bill(RunResult& r, double simulated_s) const;
  void warn(RunResult& r, const std::vector<std::string>& read_warnings) const;
  // What the consumers that are not Lambda, and enhanced fan-out, use: into `cost`.
  void consumer_costs(CostResult& cost, double simulated_s) const;
  // One line per part of the pipeline, with the settings in force (AWS's undocumented points
  // included), for the summary.
  std::vector<std::string> configuration_summary() const;

  std::unique_ptr<StreamKind> kind_;
  RunParts parts_;
  std::unique_ptr<TraceRecorder> trace_;
  std::unique_ptr<Gantt> gantt_;
  std::unique_ptr<CloudWatchRecorder> cloudwatch_;
};

}  // namespace shardsim
