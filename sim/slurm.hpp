#pragma once
// A sweep on a Slurm cluster: a job array whose task i runs slice i/N of the sweep into
// DIR/slices/i, and a merge job that runs after every task has ended and combines the slices
// into DIR (reporting the points a failed task left). Writes DIR/slurm/array.sbatch,
// DIR/slurm/merge.sbatch and DIR/slurm/submit.sh; nothing here talks to Slurm itself.
#include <string>
#include <vector>

namespace shardsim {

struct SlurmSweep {
  std::string executable;              // absolute path of this binary
  std::string scenario_file;           // absolute
  std::vector<std::string> overrides;  // --set, as given
  std::string out_dir;                 // absolute
  std::size_t tasks = 1;               // N
  std::vector<std::string> options;    // KEY=VALUE → #SBATCH --KEY=VALUE (partition, time, cpus-per-task, account…)
  std::vector<std::size_t> only_tasks; // the tasks to (re)submit; empty: all
};

// Why a --slurm-option is refused (not KEY=VALUE, or it sets what the scripts set themselves:
// array, output, error, dependency); empty when it is fine.
std::string slurm_option_problem(const std::string& option);

// Writes the scripts; returns the path of submit.sh. Throws std::invalid_argument for an option
// that is not KEY=VALUE or that sets what the scripts set themselves (array, output).
std::string write_slurm_scripts(const SlurmSweep& sweep);

}  // namespace shardsim
