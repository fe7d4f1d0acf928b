#pragma once
// What `shardsim plan` reports: the chosen configuration (as --set overrides and as a scenario
// file `shardsim run` reproduces), its figures next to the calculator's, the runner-ups, for
// each knob the cheaper value that failed and why, the runs spent against the full grid, or,
// when nothing meets the objectives, the objective that fails everywhere and the closest point.
// Written as DIR/plan.json, DIR/plan.md, DIR/plan-best.json and DIR/plots/plan.{gp,dat,svg,png}.
#include <string>

#include "sim/scenario/scenario.hpp"
#include "sim/studies/plan.hpp"

namespace shardsim {

// Returns the text summary; `scenario` is the base (the file with the command line's overrides).
std::string write_plan_report(const PlanSpec& spec, const PlanSearch& search, const PlanOptions& options,
                              const Scenario& scenario);

}  // namespace shardsim
