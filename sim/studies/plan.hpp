#pragma once
// `shardsim plan`: the cheapest configuration of a scenario's knobs (`plan.search`) that meets
// its objectives, found without running the whole grid. For every combination of the other
// knobs it bisects the shard count, the knob a capacity plan is about: more shards never lower
// write capacity or the concurrency bound, so where capacity is what falls short the points
// that meet start at one shard count; objectives on concurrency or cost (which grow with
// shards) send the bisection down. The bisection trusts that only where it holds: a shortfall
// that is worse than at fewer shards of the same combination (a batching window fills more
// slowly on more shards), a failed ordering objective (an entity spread over more shards is
// ordered worse) or a point failing both ways sends the combination to a scan of every shard
// count. `minimize` must grow with the shard count (cost, billing, concurrency), so each
// combination's fewest meeting shards is its cheapest. Each probe runs `replications` times
// (sim/sweep_runner), and a point meets an objective only at the far end of its 95 % interval
// (analysis/sweep_table).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "analysis/sweep_grid.hpp"
#include "sim/scenario/diagnostics.hpp"

namespace shardsim {

struct PlanSpec {
  SweepGrid grid;                     // every combination of the knobs, the objectives, the replications
  std::optional<std::size_t> shards;  // which of grid.parameters is stream.shards (values ascending)
  std::string minimize = "cost_usd.per_hour";
  // The share of a limit's capacity the chosen configuration may use in its busiest second
  // (bounds.<limit>.peak_utilization) before the plan warns.
  double headroom = 0.8;
};

// The scenario's `plan` block ({"search": {path: [values] | {range}}, "minimize": "result.path"})
// with its objectives and replications. Problems go to `diagnostics`, naming the field.
std::optional<PlanSpec> load_plan(const std::string& file, const std::vector<std::string>& overrides,
                                  Diagnostics& diagnostics);

struct PlanOptions {
  std::string scenario_file;
  std::vector<std::string> overrides;
  std::string out_dir = "plan-out";
  std::size_t jobs = 0;        // 0: the number of cores
  std::size_t budget = 0;      // most simulation runs; 0: no cap
  bool progress = false;
  std::string executable;      // what runs each point; empty: this binary
  std::vector<std::string> launcher;  // what each run is started through (srun …); empty: none
};

struct PlanSearch {
  std::vector<std::size_t> evaluated;  // grid point indices run, in the order they were
  std::size_t runs = 0;                // simulation runs spent
  std::size_t failed_runs = 0;
  bool budget_exhausted = false;
};

PlanSearch search_plan(const PlanSpec& spec, const PlanOptions& options);

// The grid restricted to `points` (grid indices), in that order: what sim/sweep_runner and
// analysis/sweep_table take.
SweepGrid grid_of_points(const SweepGrid& grid, const std::vector<std::size_t>& points);

// Whether a metric grows with the shard count (concurrency, cost): an objective bounding it from
// above fails by having too many shards, not too few.
bool grows_with_shards(const std::string& metric);

}  // namespace shardsim
