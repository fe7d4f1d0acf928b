#include "sim/cli/commands.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <unistd.h>

#include "analysis/compare_table.hpp"
#include "models/base/run_control.hpp"
#include "sim/scenario/static_estimate.hpp"
#include "sim/studies/children.hpp"
#include "sim/studies/compare.hpp"
#include "sim/studies/plan.hpp"
#include "sim/studies/plan_report.hpp"
#include "sim/studies/plots.hpp"
#include "sim/studies/slurm.hpp"
#include "sim/studies/sweep.hpp"
#include "sim/studies/sweep_runner.hpp"

namespace shardsim {
namespace {

std::optional<SweepGrid> grid_of(const std::string& file, const std::vector<std::string>& overrides) {
  Diagnostics d;
  std::optional<SweepGrid> grid = load_sweep_grid(file, overrides, d);
  std::cerr << d.format();
  if (!grid) std::cerr << file << ": the sweep is not valid; nothing was run\n";
  return grid;
}

// The sweep as Slurm jobs: scripts under DIR/slurm/, submitted with --submit. With --resume,
// only the tasks whose slice still lacks runs.
SlurmJobs slurm_jobs(const CliOptions& o, const std::string& default_out) {
  namespace fs = std::filesystem;
  SlurmJobs s;
  s.executable = fs::read_symlink("/proc/self/exe").string();
  s.scenario_file = fs::absolute(o.scenario).string();
  s.overrides = o.overrides;
  s.out_dir = fs::absolute(o.out_dir.empty() ? default_out : o.out_dir).string();
  s.tasks = o.slurm_tasks;
  s.options = o.slurm_options;
  return s;
}

// --submit and --slurm-option without --slurm, or an option the scripts refuse: exit 2.
bool slurm_options_refused(const CliOptions& o) {
  if (!o.slurm_tasks && (o.submit || !o.slurm_options.empty())) {
    std::cerr << "shardsim: --submit and --slurm-option go with --slurm N\n";
    return true;
  }
  for (const auto& option : o.slurm_options) {
    const std::string problem = slurm_option_problem(option);
    if (!problem.empty()) {
      std::cerr << "shardsim: " << problem << "\n";
      return true;
    }
  }
  if (o.slurm_tasks) {
    // The scripts name both in #SBATCH lines, where a line break would start a command.
    for (const auto& [what, text] : {std::pair<const char*, const std::string&>{"--out", o.out_dir}, {"the scenario file", o.scenario}})
      if (has_control_character(text)) {
        std::cerr << "shardsim: " << what << " " << printable(text)
                  << ": with --slurm, a path cannot contain a line break or another control character\n";
        return true;
      }
  }
  return false;
}

// Runs DIR/slurm/submit.sh when --submit asks for it, else says how to.
int submit(const CliOptions& o, const std::string& script) {
  if (!o.submit) {
    std::cout << "submit with: " << script << "\n";
    return kExitOk;
  }
  int code = 0;
  try {
    code = run_attached({"bash", script});
  } catch (const std::runtime_error&) {
    code = -1;
  }
  if (code != 0) {
    std::cerr << "shardsim: " << script << " failed (is Slurm's sbatch on the PATH?)\n";
    return kExitSimulationFailed;
  }
  return kExitOk;
}

int slurm_sweep(const CliOptions& o, const SweepGrid& grid) {
  namespace fs = std::filesystem;
  SlurmJobs s = slurm_jobs(o, "sweep-out");
  if (o.resume) {
    for (std::size_t t = 0; t < s.tasks; ++t) {
      SweepGrid slice = grid;
      slice.points.clear();
      for (const auto& p : grid.points)
        if (p.index % s.tasks == t) slice.points.push_back(p);
      const auto results = collect_results(slice, (fs::path(s.out_dir) / "slices" / std::to_string(t)).string());
      if (std::any_of(results.begin(), results.end(), [&](const PointResults& r) {
            return r.replications.size() < static_cast<std::size_t>(grid.replications);
          }))
        s.only_tasks.push_back(t);
    }
    if (s.only_tasks.empty()) {
      std::cout << "sweep: every slice under " << s.out_dir << "/slices is complete; nothing to submit\n";
      return kExitOk;
    }
  }
  fs::create_directories(s.out_dir);
  write_sweep_manifest(s.out_dir, {s.scenario_file, o.overrides});
  std::string script;
  try {
    script = write_slurm_sweep_scripts(s);
  } catch (const std::invalid_argument& e) {
    std::cerr << "shardsim: " << e.what() << "\n";
    return kExitInvalidInput;
  }
  std::cout << "sweep: " << grid.points.size() << " points × " << grid.replications << " replications in "
            << s.tasks << " Slurm tasks" << (s.only_tasks.empty() ? "" : " (re-submitting " + std::to_string(s.only_tasks.size()) + ")")
            << "\nscripts: " << s.out_dir << "/slurm/{array.sbatch,merge.sbatch,submit.sh}\n";
  return submit(o, script);
}

}  // namespace

// Each point's CloudWatch metrics are written by the runs started here, not by Slurm's.
bool cloudwatch_refused(const CliOptions& o) {
  if (!o.cloudwatch_points || !o.slurm_tasks) return false;
  std::cerr << "shardsim: --cloudwatch writes each point's metrics when the runs are started here; the Slurm jobs of "
               "--slurm do not write them\n";
  return true;
}

int sweep_command(const CliOptions& o) {
  // The command line first, then the file.
  if (cloudwatch_refused(o) || slurm_options_refused(o)) return kExitInvalidInput;
  SweepOptions options;
  options.scenario_file = o.scenario;
  options.overrides = o.overrides;
  if (!o.out_dir.empty()) options.out_dir = o.out_dir;
  options.jobs = o.jobs;
  options.resume = o.resume;
  options.progress = isatty(2);
  if (o.cloudwatch_points) options.cloudwatch_period_s = o.cloudwatch_period_s;
  const auto slash = o.slice.find('/');
  options.slices = 0;
  if (slash != std::string::npos && is_digits(o.slice.substr(0, slash)) && is_digits(o.slice.substr(slash + 1))) {
    options.slice = std::stoul(o.slice.substr(0, slash));
    options.slices = std::stoul(o.slice.substr(slash + 1));
  }
  if (options.slices == 0 || options.slice >= options.slices) {
    std::cerr << "shardsim: --slice " << o.slice << ": expected I/N with 0 ≤ I < N\n";
    return kExitInvalidInput;
  }
  const auto grid = grid_of(o.scenario, o.overrides);
  if (!grid) return kExitInvalidInput;
  if (o.slurm_tasks) return slurm_sweep(o, *grid);
  std::filesystem::create_directories(options.out_dir);
  write_sweep_manifest(options.out_dir, {std::filesystem::absolute(o.scenario).string(), o.overrides});
  std::cout << "sweep: " << grid->points.size() << " points × " << grid->replications << " replications"
            << (options.slices > 1 ? ", slice " + o.slice : "") << "\n";
  const std::size_t failed = run_sweep(*grid, options);
  if (interrupt_requested()) {
    std::cerr << "shardsim: sweep interrupted; the runs that finished are kept in " << options.out_dir
              << "/points; run the same command with --resume for the rest\n";
    return kExitSimulationFailed;
  }
  std::size_t points_unmet = 0;
  std::cout << write_sweep_outputs(*grid, collect_results(*grid, options.out_dir), options.out_dir, &points_unmet);
  std::cout << "results: " << options.out_dir << "/results.{csv,json,md}\n";
  if (failed) {
    std::cerr << "shardsim: " << failed << " run(s) failed; see " << options.out_dir << "/points/*.failed\n";
    return kExitSimulationFailed;
  }
  return points_unmet && !o.no_expect ? kExitExpectationFailed : kExitOk;
}

// --slurm, --slurm-option, --submit and --srun of plan and compare: exit 2 when refused.
bool step_options_refused(const CliOptions& o) {
  if (cloudwatch_refused(o)) return true;
  if (slurm_options_refused(o)) return true;
  if (o.srun && (o.slurm_tasks || !std::getenv("SLURM_JOB_ID"))) {
    std::cerr << "shardsim: --srun starts each run as a job step of the Slurm job it runs in; "
              << (o.slurm_tasks ? "--slurm N writes that job" : "SLURM_JOB_ID is not set (submit it with --slurm N)") << "\n";
    return true;
  }
  return false;
}

// plan or compare --slurm N: one job of N tasks whose command starts each run as a job step.
int slurm_steps(const CliOptions& o, const std::string& command, const std::string& report, const std::string& what) {
  const SlurmJobs s = slurm_jobs(o, command + "-out");
  std::filesystem::create_directories(s.out_dir);
  std::string script;
  try {
    script = write_slurm_step_scripts(s, command, report);
  } catch (const std::invalid_argument& e) {
    std::cerr << "shardsim: " << e.what() << "\n";
    return kExitInvalidInput;
  }
  std::cout << command << ": " << what << " in one Slurm job of " << s.tasks << " tasks\nscripts: " << s.out_dir << "/slurm/{"
            << command << ".sbatch,submit.sh}\n";
  return submit(o, script);
}

int plan_command(const CliOptions& o) {
  if (step_options_refused(o)) return kExitInvalidInput;
  Diagnostics d;
  const auto spec = load_plan(o.scenario, o.overrides, d);
  std::cerr << d.format();
  if (!spec) {
    std::cerr << o.scenario << ": the plan is not valid; nothing was run\n";
    return kExitInvalidInput;
  }
  const auto scenario = load_command_scenario(o);
  if (!scenario) return kExitInvalidInput;
  if (o.slurm_tasks)
    return slurm_steps(o, "plan", "plan.md", "searching " + std::to_string(spec->grid.points.size()) + " configurations × " +
                                                 std::to_string(spec->grid.replications) + " replications");
  PlanOptions options;
  if (o.srun) options.launcher = srun_step_launcher();
  options.scenario_file = o.scenario;
  options.overrides = o.overrides;
  if (!o.out_dir.empty()) options.out_dir = o.out_dir;
  options.jobs = o.jobs;
  options.budget = o.budget;
  options.progress = isatty(2);
  std::filesystem::create_directories(options.out_dir);
  std::cout << "plan: searching " << spec->grid.points.size() << " configurations × " << spec->grid.replications
            << " replications\nbefore simulating, the calculator says:\n" << static_estimate(*scenario).text() << std::flush;
  const PlanSearch search = search_plan(*spec, options);
  if (interrupt_requested()) {
    std::cerr << "shardsim: plan interrupted; the runs that finished are kept in " << options.out_dir
              << "/points and the same command reuses them\n";
    return kExitSimulationFailed;
  }
  std::cout << write_plan_report(*spec, search, options, *scenario);
  if (search.failed_runs)
    std::cerr << "shardsim: " << search.failed_runs << " run(s) failed; see " << options.out_dir << "/points/*.failed\n";
  return kExitOk;
}

int compare_command(const CliOptions& o) {
  if (step_options_refused(o)) return kExitInvalidInput;
  Diagnostics d;
  const auto spec = load_compare(o.scenario, o.overrides, d);
  std::cerr << d.format();
  if (!spec) {
    std::cerr << o.scenario << ": the comparison is not valid; nothing was run\n";
    return kExitInvalidInput;
  }
  const auto named = std::find(spec->names.begin(), spec->names.end(), o.baseline);
  if (!o.baseline.empty() && named == spec->names.end()) {
    std::string names;
    for (const auto& n : spec->names) names += (names.empty() ? "\"" : ", \"") + n + "\"";
    std::cerr << "shardsim: --baseline " << o.baseline << ": no variant has that name; the variants are " << names << "\n";
    return kExitInvalidInput;
  }
  const std::size_t baseline = o.baseline.empty() ? 0 : static_cast<std::size_t>(named - spec->names.begin());
  const std::string runs = std::to_string(spec->names.size()) + " variants × " + std::to_string(spec->runs.replications) + " replications";
  if (o.slurm_tasks) return slurm_steps(o, "compare", "compare.md", runs);
  SweepOptions options;
  options.scenario_file = o.scenario;
  options.overrides = o.overrides;
  options.out_dir = o.out_dir.empty() ? "compare-out" : o.out_dir;
  options.jobs = o.jobs;
  options.resume = true;  // a variant already run for the same scenario is not run again
  options.progress = isatty(2);
  if (o.cloudwatch_points) options.cloudwatch_period_s = o.cloudwatch_period_s;
  if (o.srun) options.launcher = srun_step_launcher();
  std::filesystem::create_directories(options.out_dir);
  std::cout << "compare: " << runs << ", the same workload and seed\n" << std::flush;
  const std::size_t failed = run_sweep(spec->runs, options);
  if (interrupt_requested()) {
    std::cerr << "shardsim: compare interrupted; the runs that finished are kept in " << options.out_dir
              << "/points and the same command reuses them\n";
    return kExitSimulationFailed;
  }
  const auto results = collect_results(spec->runs, options.out_dir);
  const CompareTable table(spec->names, results, baseline);
  // Each variant's expectations: the base's expect block, or the variant's own "expect".
  const auto verdicts = judge_points(results, spec->names);
  auto json = table.json();
  for (std::size_t v = 0; v < verdicts.size(); ++v)
    if (!verdicts[v].checks.empty()) json["variants"][v]["expectations"] = verdicts[v].json();
  namespace fs = std::filesystem;
  const auto write = [&](const char* name, const std::string& text) { std::ofstream(fs::path(options.out_dir) / name) << text; };
  write("compare.json", json.dump(2) + "\n");
  write("compare.csv", table.csv());
  write("compare.md", table.markdown());
  const auto scenario = load_command_scenario(o);
  std::cout << table.text() << render_plots(options.out_dir, {table.write_plot((fs::path(options.out_dir) / "plots").string(), scenario ? scenario->name : "compare")})
            << expectations_text(verdicts) << "results: " << options.out_dir << "/compare.{json,csv,md}\n";
  if (failed) {
    std::cerr << "shardsim: " << failed << " run(s) failed; see " << options.out_dir << "/points/*.failed\n";
    return kExitSimulationFailed;
  }
  return unmet(verdicts) && !o.no_expect ? kExitExpectationFailed : kExitOk;
}

int merge_command(const CliOptions& o) {
  // A slice whose task never started has no directory: its points are reported as lacking.
  std::vector<std::string> dirs;
  for (const auto& d : o.merge_dirs) {
    if (std::filesystem::is_directory(d)) dirs.push_back(d);
    else std::cerr << "shardsim: " << d << ": no such directory; its points will be missing\n";
  }
  if (dirs.empty()) {
    std::cerr << "shardsim: none of the directories exists\n";
    return kExitInvalidInput;
  }
  std::string problem;
  const auto manifest = read_sweep_manifests(dirs, problem);
  if (!manifest) {
    std::cerr << "shardsim: " << problem << "\n";
    return kExitInvalidInput;
  }
  const auto grid = grid_of(manifest->scenario_file, manifest->overrides);
  if (!grid) return kExitInvalidInput;
  merge_sweep_points(dirs, o.out_dir);
  write_sweep_manifest(o.out_dir, *manifest);
  const auto results = collect_results(*grid, o.out_dir);
  std::size_t points_unmet = 0;
  std::cout << write_sweep_outputs(*grid, results, o.out_dir, &points_unmet);
  // The points some replication of which is missing: a failed or unfinished task left them.
  std::size_t lacking = 0;
  for (const auto& r : results)
    if (r.replications.size() < static_cast<std::size_t>(grid->replications)) {
      if (lacking++ < 20)
        std::cerr << "shardsim: point " << r.point.index << " (" << r.point.label() << ") has " << r.replications.size()
                  << " of " << grid->replications << " replications" << (r.failures.empty() ? "" : ": " + r.failures.front()) << "\n";
    }
  if (lacking) {
    std::cerr << "shardsim: " << lacking << " point(s) incomplete; the same sweep command with --resume runs (or, with "
              << "--slurm N, re-submits) only what is missing\n";
    return kExitSimulationFailed;
  }
  return points_unmet ? kExitExpectationFailed : kExitOk;
}

}  // namespace shardsim
