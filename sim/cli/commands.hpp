#pragma once
// The commands of the shardsim executable, one function each (sim/cli/main.cpp parses the command
// line and calls one): running a scenario (command_run.cpp) and running many (command_sweep.cpp:
// sweeps, plans, comparisons, and the Slurm jobs of each).
#include <optional>

#include "sim/cli/cli.hpp"
#include "sim/scenario/scenario.hpp"

namespace shardsim {

// The scenario named on the command line with its --set and --seed, its sweep and plan blocks
// checked too; the problems printed. Empty when it is not valid.
std::optional<Scenario> load_command_scenario(const CliOptions& o);

int run_command(const CliOptions& o);
int validate_command(const CliOptions& o);
int keys_command(CliOptions o);
int fields_command(const CliOptions& o);
int sweep_command(const CliOptions& o);
int plan_command(const CliOptions& o);
int compare_command(const CliOptions& o);
int questions_command(const CliOptions& o);
int tour_command(const CliOptions& o);
int merge_command(const CliOptions& o);
int calibrate_command(const CliOptions& o);

}  // namespace shardsim
