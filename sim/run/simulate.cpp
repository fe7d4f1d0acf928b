#include "sim/run/simulate.hpp"

#include "sim/run/engine.hpp"
#include "sim/run/run.hpp"

namespace shardsim {

SimulationOutcome simulate(const Scenario& scenario, const std::vector<std::string>& simgrid_args, RunOptions options,
                           std::size_t gantt_width, const std::string& cloudwatch_start) {
  Run run(scenario, options);
  SimEngine engine(simgrid_args, run.actor_count());
  run.launch(engine.host());
  const EngineOutcome engine_outcome = engine.run();
  SimulationOutcome outcome;
  outcome.result = run.result(engine_outcome.simulated_s);
  outcome.deadlocked = engine_outcome.deadlocked;
  outcome.abort_reason = run.control().abort_reason;
  outcome.broken_invariant = run.control().broken_invariant;
  outcome.time_series_csv = run.time_series_csv(engine_outcome.simulated_s);
  outcome.backlog_by_shard_csv = run.backlog_by_shard_csv(engine_outcome.simulated_s);
  outcome.trace_json = run.trace_json(engine_outcome.simulated_s);
  outcome.gantt = run.gantt(gantt_width);
  outcome.gantt_svg = run.gantt_svg();
  outcome.cloudwatch_queries = run.cloudwatch_queries();
  outcome.cloudwatch_results = run.cloudwatch_results(engine_outcome.simulated_s, cloudwatch_start);
  return outcome;
}

}  // namespace shardsim
