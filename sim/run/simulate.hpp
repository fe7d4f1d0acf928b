#pragma once
// One whole simulation of a resolved scenario: engine, actors, run, result. Once per process.
#include <string>
#include <vector>

#include "analysis/result.hpp"
#include "sim/run/run.hpp"
#include "sim/scenario/scenario.hpp"

namespace shardsim {

struct SimulationOutcome {
  RunResult result;
  std::vector<std::string> deadlocked;  // actors left blocked forever: the run could not finish
  std::string abort_reason;             // a safety limit stopped the run
  std::string broken_invariant;         // the model found itself inconsistent (a bug)
  std::string time_series_csv;
  std::string backlog_by_shard_csv;     // empty when too large to keep
  std::string trace_json;               // when RunOptions asked for it
  std::string gantt;                    // when RunOptions asked for it
  std::string gantt_svg;                // the same timeline as SVG
  std::string cloudwatch_queries, cloudwatch_results;  // when RunOptions asked for them
  bool finished() const { return deadlocked.empty() && abort_reason.empty() && broken_invariant.empty(); }
};

// cloudwatch_start: the UTC time of simulated time 0 in the CloudWatch metrics' timestamps.
SimulationOutcome simulate(const Scenario& scenario, const std::vector<std::string>& simgrid_args = {},
                           RunOptions options = {}, std::size_t gantt_width = 100,
                           const std::string& cloudwatch_start = "2026-01-01T00:00:00Z");

}  // namespace shardsim
