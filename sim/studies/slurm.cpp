#include "sim/studies/slurm.hpp"

#include "sim/scenario/diagnostics.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <sys/stat.h>

namespace shardsim {
namespace fs = std::filesystem;

namespace {

// A word for bash: single-quoted, with embedded single quotes closed and escaped.
std::string shell_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void write_script(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw OutputError("cannot write " + path.string());
  out.close();
  chmod(path.c_str(), 0755);
}

// The user's #SBATCH lines (cpus-per-task 1 unless given), and the CPUs per task.
struct Options {
  std::string lines, cpus = "1";
};
Options sbatch_options(const std::vector<std::string>& options) {
  Options o;
  for (const auto& option : options) {
    if (const std::string problem = slurm_option_problem(option); !problem.empty()) throw std::invalid_argument(problem);
    const auto equals = option.find('=');
    const std::string key = option.substr(0, equals), value = option.substr(equals + 1);
    if (key == "cpus-per-task") o.cpus = value;
    o.lines += "#SBATCH --" + key + "=" + value + "\n";
  }
  if (o.lines.find("--cpus-per-task=") == std::string::npos) o.lines += "#SBATCH --cpus-per-task=1\n";
  return o;
}

// The scenario file's stem as a job name: letters, digits, '.', '_' and '-' (others become '_').
std::string job_name(const std::string& scenario_file) {
  std::string name = fs::path(scenario_file).stem().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') c = '_';
  return name;
}

std::string overrides_of(const SlurmJobs& s) {
  std::string sets;
  for (const auto& o : s.overrides) sets += " --set " + shell_quote(o);
  return sets;
}

}  // namespace

std::string slurm_option_problem(const std::string& option) {
  if (has_control_character(option))
    return "--slurm-option " + printable(option) + ": a line break or another control character would end its #SBATCH line";
  const auto equals = option.find('=');
  if (equals == std::string::npos || equals == 0)
    return "--slurm-option " + option + ": expected KEY=VALUE, e.g. partition=batch or time=01:00:00";
  const std::string key = option.substr(0, equals);
  if (key == "array" || key == "ntasks" || key == "output" || key == "error" || key == "dependency")
    return "--slurm-option " + option + ": the scripts set --" + key + " themselves";
  return "";
}

std::string write_slurm_sweep_scripts(const SlurmJobs& s) {
  const fs::path dir = fs::path(s.out_dir) / "slurm";
  fs::create_directories(dir);
  const Options options = sbatch_options(s.options);
  std::string array;
  if (s.only_tasks.empty()) {
    array = "0-" + std::to_string(s.tasks - 1);
  } else {
    for (std::size_t t : s.only_tasks) array += (array.empty() ? "" : ",") + std::to_string(t);
  }
  const std::string name = job_name(s.scenario_file);
  // Each task runs its slice with as many simulations at once as it has CPUs; --resume makes a
  // re-submitted task skip the runs it already finished.
  write_script(dir / "array.sbatch",
               "#!/bin/bash\n"
               "#SBATCH --job-name=shardsim-" + name + "\n"
               "#SBATCH --array=" + array + "\n"
               "#SBATCH --output=" + (dir / "task-%a.log").string() + "\n" + options.lines +
               "set -euo pipefail\n"
               "exec " + shell_quote(s.executable) + " sweep " + shell_quote(s.scenario_file) + overrides_of(s) +
               " --slice \"$SLURM_ARRAY_TASK_ID/" + std::to_string(s.tasks) + "\" --out " +
               shell_quote((fs::path(s.out_dir) / "slices").string() + "/") + "\"$SLURM_ARRAY_TASK_ID\""
               " --jobs \"${SLURM_CPUS_PER_TASK:-" + options.cpus + "}\" --resume\n");
  std::string slices;
  for (std::size_t t = 0; t < s.tasks; ++t) slices += " " + shell_quote((fs::path(s.out_dir) / "slices" / std::to_string(t)).string());
  std::string merge_options;
  for (const auto& option : s.options)
    if (option.rfind("cpus-per-task=", 0) != 0) merge_options += "#SBATCH --" + option + "\n";
  write_script(dir / "merge.sbatch",
               "#!/bin/bash\n"
               "#SBATCH --job-name=shardsim-" + name + "-merge\n"
               "#SBATCH --output=" + (dir / "merge.log").string() + "\n" + merge_options +
               "set -euo pipefail\n"
               "exec " + shell_quote(s.executable) + " merge" + slices + " --out " + shell_quote(s.out_dir) + "\n");
  // The merge waits for every task to end, failed or not (afterany), so it can name the points
  // a failed task left; `sweep --slurm N --resume` then re-submits only the tasks that lack some.
  write_script(dir / "submit.sh",
               "#!/bin/bash\n"
               "set -euo pipefail\n"
               "array=$(sbatch --parsable " + shell_quote((dir / "array.sbatch").string()) + ")\n"
               "array=${array%%;*}\n"
               "merge=$(sbatch --parsable --dependency=afterany:\"$array\" " + shell_quote((dir / "merge.sbatch").string()) + ")\n"
               "merge=${merge%%;*}\n"
               "echo \"submitted: array job $array (" + std::to_string(s.only_tasks.empty() ? s.tasks : s.only_tasks.size()) +
               " tasks), merge job $merge\"\n");
  return (dir / "submit.sh").string();
}

std::string write_slurm_step_scripts(const SlurmJobs& s, const std::string& command, const std::string& report) {
  const fs::path dir = fs::path(s.out_dir) / "slurm";
  fs::create_directories(dir);
  const Options options = sbatch_options(s.options);
  const std::string name = job_name(s.scenario_file);
  // The command itself is light; the N tasks are the N simulations it runs at once. A
  // re-submitted job reuses every run already in DIR/points.
  write_script(dir / (command + ".sbatch"),
               "#!/bin/bash\n"
               "#SBATCH --job-name=shardsim-" + command + "-" + name + "\n"
               "#SBATCH --ntasks=" + std::to_string(s.tasks) + "\n"
               "#SBATCH --output=" + (dir / (command + ".log")).string() + "\n" + options.lines +
               "set -euo pipefail\n"
               "exec " + shell_quote(s.executable) + " " + command + " " + shell_quote(s.scenario_file) + overrides_of(s) +
               " --out " + shell_quote(s.out_dir) + " --jobs " + std::to_string(s.tasks) + " --srun\n");
  write_script(dir / "submit.sh",
               "#!/bin/bash\n"
               "set -euo pipefail\n"
               "job=$(sbatch --parsable " + shell_quote((dir / (command + ".sbatch")).string()) + ")\n"
               "job=${job%%;*}\n"
               "echo \"submitted: " + command + " job $job (" + std::to_string(s.tasks) + " tasks); the report will be in \"" +
               shell_quote((fs::path(s.out_dir) / report).string() + ", the log in " + (dir / (command + ".log")).string()) + "\n");
  return (dir / "submit.sh").string();
}

std::vector<std::string> srun_step_launcher() {
  const char* cpus = std::getenv("SLURM_CPUS_PER_TASK");
  return {"srun", "--exclusive", "--ntasks=1", "--nodes=1", "--cpus-per-task=" + std::string(cpus && *cpus ? cpus : "1"),
          "--quiet", "--job-name=shardsim-run"};
}

}  // namespace shardsim
