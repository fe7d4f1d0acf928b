#pragma once
// Sweeps and plans on a Slurm cluster; nothing here talks to Slurm itself, it writes the scripts.
// A sweep is a job array whose task i runs slice i/N of the sweep into DIR/slices/i, and a merge
// job that runs after every task has ended and combines the slices into DIR (reporting the points
// a failed task left): DIR/slurm/array.sbatch, merge.sbatch and submit.sh. A plan's search is
// adaptive (each round's probes depend on the last round's verdicts), so it is one job of N
// tasks: the search runs in the job's first task and starts each simulation as a job step
// (`plan --srun`), N at a time, wherever the allocation's CPUs are: DIR/slurm/plan.sbatch and
// submit.sh.
#include <string>
#include <vector>

namespace shardsim {

struct SlurmJobs {
  std::string executable;              // absolute path of this binary
  std::string scenario_file;           // absolute
  std::vector<std::string> overrides;  // --set, as given
  std::string out_dir;                 // absolute
  std::size_t tasks = 1;               // N
  std::vector<std::string> options;    // KEY=VALUE → #SBATCH --KEY=VALUE (partition, time, cpus-per-task, account…)
  std::vector<std::size_t> only_tasks; // sweep: the tasks to (re)submit; empty: all
};

// Why a --slurm-option is refused (not KEY=VALUE, or it sets what the scripts set themselves:
// array, ntasks, output, error, dependency); empty when it is fine.
std::string slurm_option_problem(const std::string& option);


// Write the scripts; return the path of submit.sh. Throw std::invalid_argument for an option
// that slurm_option_problem refuses.
std::string write_slurm_sweep_scripts(const SlurmJobs& sweep);
// One job of N tasks running `shardsim COMMAND FILE --jobs N --srun` (plan, compare): the command
// runs in the job and starts its simulations as job steps.
std::string write_slurm_step_scripts(const SlurmJobs& jobs, const std::string& command, const std::string& report);

// The command a run is started through inside an allocation: one task on one node with the
// task's CPUs, dedicated to it (srun --exclusive), so N of them spread over the allocation.
std::vector<std::string> srun_step_launcher();

}  // namespace shardsim
