// shardsim's command line: parse, load the scenario, run, report. Everything else lives in the
// core library.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "analysis/expectations.hpp"
#include "analysis/time_series.hpp"
#include "models/hash_key.hpp"
#include "models/lanes.hpp"
#include "sim/cli.hpp"
#include "sim/engine.hpp"
#include "sim/json_source.hpp"
#include "sim/plan.hpp"
#include "sim/plan_report.hpp"
#include "sim/reshard.hpp"
#include "sim/static_estimate.hpp"
#include "sim/scenario_fields.hpp"
#include "sim/scenario_load.hpp"
#include "sim/scenario_writer.hpp"
#include "sim/slurm.hpp"
#include "sim/simulate.hpp"
#include "sim/sweep_runner.hpp"
#include "sim/validation.hpp"

#include <sys/prctl.h>
#include <unistd.h>

namespace {

using namespace shardsim;

int fields_command(const CliOptions& o) {
  if (o.markdown) {
    std::cout << "### Scenario fields\n\n" << scenario_fields_markdown() << "\n### Distributions\n\n"
              << distribution_fields_markdown();
    return kExitOk;
  }
  for (const auto& f : scenario_fields())
    std::cout << f.path << "  [" << f.kind << (f.unit.empty() ? "" : ", " + f.unit) << "]"
              << (f.default_value.empty() ? "" : "  default " + f.default_value)
              << (f.allowed.empty() ? "" : "  allowed " + f.allowed) << "\n    " << f.meaning << "\n";
  return kExitOk;
}

std::optional<Scenario> load(const CliOptions& o) {
  std::vector<std::string> overrides = o.overrides;
  if (o.seed) overrides.push_back("seed=" + std::to_string(*o.seed));
  LoadedScenario loaded = load_scenario(o.scenario, overrides);
  // A sweep or plan block is checked as `sweep` and `plan` would check it, whatever the command.
  if (loaded.scenario && (!loaded.scenario->sweep.is_null() || !loaded.scenario->plan.is_null())) {
    Diagnostics blocks;
    if (!loaded.scenario->sweep.is_null()) load_sweep_plan(o.scenario, overrides, blocks);
    if (!loaded.scenario->plan.is_null()) load_plan(o.scenario, overrides, blocks);
    for (const auto& d : blocks.all())
      if (d.severity == Diagnostic::Severity::error) loaded.diagnostics.error(d.where, d.path, d.message);
    if (loaded.diagnostics.has_errors()) loaded.scenario.reset();
  }
  std::cerr << loaded.diagnostics.format();
  if (!loaded.scenario) {
    std::size_t errors = 0;
    for (const auto& d : loaded.diagnostics.all()) errors += d.severity == Diagnostic::Severity::error;
    std::cerr << o.scenario << ": " << errors << " error(s); nothing was run\n";
  }
  return loaded.scenario;
}

// The shards open at o.at_s in the scenario named by the first of o.keys (the rest are the keys),
// or the even layout of o.shards; a note on stdout says which.
std::optional<std::vector<std::pair<std::size_t, HashKeyRange>>> key_shards(CliOptions& o) {
  std::vector<std::pair<std::size_t, HashKeyRange>> open;
  if (!o.at_s) {
    const auto layout = even_hash_key_layout(static_cast<std::size_t>(o.shards));
    for (std::size_t i = 0; i < layout.size(); ++i) open.push_back({i, layout[i]});
    return open;
  }
  if (o.keys.size() < 2) {
    std::cerr << "shardsim keys --at: give the scenario file, then the keys\n";
    return std::nullopt;
  }
  o.scenario = o.keys.front();
  o.keys.erase(o.keys.begin());
  const auto scenario = load(o);
  if (!scenario) return std::nullopt;
  if (scenario->stream.capacity_mode == StreamConfig::CapacityMode::provisioned) {
    open = shards_open_at(scenario->stream, scenario->what_if, *o.at_s);
    std::cout << "# " << o.scenario << " at " << format_number(*o.at_s) << " s: " << open.size() << " open shards\n";
    return open;
  }
  // An on-demand stream's shards follow its traffic: run the scenario and take its shards.
  const RunResult r = simulate(*scenario, o.simgrid_args).result;
  for (std::size_t i = 0; i < r.stream.shards.size(); ++i) {
    const ShardResult& s = r.stream.shards[i];
    if (s.opened_s <= *o.at_s && (!s.closed_s || *s.closed_s > *o.at_s))
      open.push_back({i, {*parse_decimal_hash_key(s.starting_hash_key), *parse_decimal_hash_key(s.ending_hash_key)}});
  }
  std::cout << "# " << o.scenario << " at " << format_number(*o.at_s) << " s: " << open.size()
            << " open shards (on demand: as this run, seed " << scenario->seed << ", scaled the stream)\n";
  return open;
}

int keys_command(CliOptions o) {
  const auto open = key_shards(o);
  if (!open) return kExitInvalidInput;
  for (const auto& key : o.keys) {
    const HashKey h = md5_hash_key(key);
    const auto shard = std::find_if(open->begin(), open->end(), [&](const auto& s) { return s.second.contains(h); });
    std::cout << key << "\t" << to_decimal(h) << "\t" << shard_id(shard->first);
    if (o.pf > 0) std::cout << "\tlane " << hash_lane(h, static_cast<std::size_t>(o.pf));
    std::cout << "\n";
  }
  return kExitOk;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

int run_command(const CliOptions& o) {
  const auto scenario = load(o);
  if (!scenario) return kExitInvalidInput;
  prctl(PR_SET_PDEATHSIG, SIGTERM);  // started by a sweep: end with it, never write after it
  const auto wall_start = std::chrono::steady_clock::now();
  RunOptions options;
  options.replication = static_cast<std::uint64_t>(o.replication);
  options.progress = isatty(2) != 0;
  if (!scenario->sweep.is_null())
    std::cerr << o.scenario << ": warning: the sweep block is not used by 'run', which runs the base scenario; "
              << "use 'shardsim sweep'\n";
  if (!o.trace_path.empty()) options.trace_invocations = o.trace_limit;
  if (o.gantt) options.gantt_records = o.gantt_limit;
  SimulationOutcome outcome = simulate(*scenario, o.simgrid_args, options, o.gantt_width);
  if (options.progress) std::fputs("\r\033[K", stderr);  // the progress line is done
  RunResult& result = outcome.result;
  if (o.timing)
    result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  if (!o.quiet) std::cout << summary_text(result);
  if (o.gantt) std::cout << outcome.gantt;
  if (!o.trace_path.empty()) write_file(o.trace_path, outcome.trace_json);
  const std::string json = to_json(result).dump(2) + "\n";
  if (o.json_path == "-") std::cout << json;
  else if (!o.json_path.empty()) write_file(o.json_path, json);
  if (!o.out_dir.empty()) {
    std::filesystem::create_directories(o.out_dir);
    write_file(std::filesystem::path(o.out_dir) / "result.json", json);
    write_file(std::filesystem::path(o.out_dir) / "scenario.json", ScenarioWriter::write(*scenario).dump(2) + "\n");
    write_file(std::filesystem::path(o.out_dir) / "timeseries.csv", outcome.time_series_csv);
    if (!outcome.backlog_by_shard_csv.empty())
      write_file(std::filesystem::path(o.out_dir) / "backlog_by_shard.csv", outcome.backlog_by_shard_csv);
    else
      std::cerr << "shardsim: backlog_by_shard.csv not written: more than " << ShardBacklog::kMaxCells
                << " shard-seconds\n";
  }
  if (!outcome.deadlocked.empty()) {
    std::cerr << "shardsim: the simulation deadlocked; blocked actors:";
    for (const auto& name : outcome.deadlocked) std::cerr << " " << name;
    std::cerr << "\n";
    return kExitSimulationFailed;
  }
  if (!outcome.broken_invariant.empty()) {
    std::cerr << "shardsim: internal error: " << outcome.broken_invariant << "\n";
    return kExitInternalError;
  }
  if (!outcome.abort_reason.empty()) {
    std::cerr << "shardsim: the simulation was stopped: " << outcome.abort_reason << "\n";
    return kExitSimulationFailed;
  }
  if (!result.conservation_errors.empty()) {
    for (const auto& e : result.conservation_errors) std::cerr << "shardsim: records do not balance: " << e << "\n";
    return kExitInternalError;
  }
  if (interrupt_requested()) {
    std::cerr << "shardsim: interrupted at simulated time " << result.simulated_s
              << " s; the result covers the run so far (completion: interrupted)\n";
    return kExitSimulationFailed;
  }
  if (o.no_expect || scenario->expect.is_null()) return kExitOk;
  std::vector<std::pair<std::string, std::string>> problems;  // none: the loader checked the block
  const auto checks = check_expectations(read_expectations(scenario->expect, problems), to_json(result));
  const auto failed = std::count_if(checks.begin(), checks.end(), [](const ExpectationCheck& c) { return !c.met; });
  // On stdout with the summary (on stderr when the JSON goes to stdout).
  std::ostream& out = o.json_path == "-" ? std::cerr : std::cout;
  out << "expectations (" << checks.size() - static_cast<std::size_t>(failed) << " of " << checks.size() << " met)\n";
  for (const auto& c : checks) out << "  " << c.describe() << "\n";
  return failed ? kExitExpectationFailed : kExitOk;
}

std::optional<SweepPlan> plan_of(const std::string& file, const std::vector<std::string>& overrides) {
  Diagnostics d;
  std::optional<SweepPlan> plan = load_sweep_plan(file, overrides, d);
  std::cerr << d.format();
  if (!plan) std::cerr << file << ": the sweep is not valid; nothing was run\n";
  return plan;
}

// The sweep as Slurm jobs: scripts under DIR/slurm/, submitted with --submit. With --resume,
// only the tasks whose slice still lacks runs.
int slurm_sweep(const CliOptions& o, const SweepPlan& plan) {
  namespace fs = std::filesystem;
  SlurmSweep s;
  s.executable = fs::read_symlink("/proc/self/exe").string();
  s.scenario_file = fs::absolute(o.scenario).string();
  s.overrides = o.overrides;
  s.out_dir = fs::absolute(o.out_dir.empty() ? "sweep-out" : o.out_dir).string();
  s.tasks = o.slurm_tasks;
  s.options = o.slurm_options;
  if (o.resume) {
    for (std::size_t t = 0; t < s.tasks; ++t) {
      SweepPlan slice = plan;
      slice.points.clear();
      for (const auto& p : plan.points)
        if (p.index % s.tasks == t) slice.points.push_back(p);
      const auto results = collect_results(slice, (fs::path(s.out_dir) / "slices" / std::to_string(t)).string());
      if (std::any_of(results.begin(), results.end(), [&](const PointResults& r) {
            return r.replications.size() < static_cast<std::size_t>(plan.replications);
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
  std::string submit;
  try {
    submit = write_slurm_scripts(s);
  } catch (const std::invalid_argument& e) {
    std::cerr << "shardsim: " << e.what() << "\n";
    return kExitInvalidInput;
  }
  std::cout << "sweep: " << plan.points.size() << " points × " << plan.replications << " replications in "
            << s.tasks << " Slurm tasks" << (s.only_tasks.empty() ? "" : " (re-submitting " + std::to_string(s.only_tasks.size()) + ")")
            << "\nscripts: " << s.out_dir << "/slurm/{array.sbatch,merge.sbatch,submit.sh}\n";
  if (!o.submit) {
    std::cout << "submit with: " << submit << "\n";
    return kExitOk;
  }
  const int status = std::system(("bash " + submit).c_str());
  if (status != 0) {
    std::cerr << "shardsim: " << submit << " failed (is Slurm's sbatch on the PATH?)\n";
    return kExitSimulationFailed;
  }
  return kExitOk;
}

int sweep_command(const CliOptions& o) {
  // The command line first, then the file.
  if (!o.slurm_tasks && (o.submit || !o.slurm_options.empty())) {
    std::cerr << "shardsim: --submit and --slurm-option go with --slurm N\n";
    return kExitInvalidInput;
  }
  for (const auto& option : o.slurm_options) {
    const std::string problem = slurm_option_problem(option);
    if (!problem.empty()) {
      std::cerr << "shardsim: " << problem << "\n";
      return kExitInvalidInput;
    }
  }
  SweepOptions options;
  options.scenario_file = o.scenario;
  options.overrides = o.overrides;
  if (!o.out_dir.empty()) options.out_dir = o.out_dir;
  options.jobs = o.jobs;
  options.resume = o.resume;
  options.progress = isatty(2);
  const auto slash = o.slice.find('/');
  try {
    options.slice = std::stoul(o.slice.substr(0, slash));
    options.slices = std::stoul(o.slice.substr(slash + 1));
  } catch (const std::exception&) {
    options.slices = 0;
  }
  if (slash == std::string::npos || options.slices == 0 || options.slice >= options.slices) {
    std::cerr << "shardsim: --slice " << o.slice << ": expected I/N with 0 ≤ I < N\n";
    return kExitInvalidInput;
  }
  const auto plan = plan_of(o.scenario, o.overrides);
  if (!plan) return kExitInvalidInput;
  if (o.slurm_tasks) return slurm_sweep(o, *plan);
  if (const auto base = load(o); base && !base->expect.is_null())
    std::cerr << o.scenario << ": note: the expect block is checked by 'run' on the base scenario, not at each point\n";
  std::filesystem::create_directories(options.out_dir);
  write_sweep_manifest(options.out_dir, {std::filesystem::absolute(o.scenario).string(), o.overrides});
  std::cout << "sweep: " << plan->points.size() << " points × " << plan->replications << " replications"
            << (options.slices > 1 ? ", slice " + o.slice : "") << "\n";
  const std::size_t failed = run_sweep(*plan, options);
  if (interrupt_requested()) {
    std::cerr << "shardsim: sweep interrupted; the runs that finished are kept in " << options.out_dir
              << "/points; run the same command with --resume for the rest\n";
    return kExitSimulationFailed;
  }
  std::cout << write_sweep_outputs(*plan, collect_results(*plan, options.out_dir), options.out_dir);
  std::cout << "results: " << options.out_dir << "/results.{csv,json,md}\n";
  if (failed) {
    std::cerr << "shardsim: " << failed << " run(s) failed; see " << options.out_dir << "/points/*.failed\n";
    return kExitSimulationFailed;
  }
  return kExitOk;
}

int plan_command(const CliOptions& o) {
  Diagnostics d;
  const auto spec = load_plan(o.scenario, o.overrides, d);
  std::cerr << d.format();
  if (!spec) {
    std::cerr << o.scenario << ": the plan is not valid; nothing was run\n";
    return kExitInvalidInput;
  }
  const auto scenario = load(o);
  if (!scenario) return kExitInvalidInput;
  PlanOptions options;
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
  const auto plan = plan_of(manifest->scenario_file, manifest->overrides);
  if (!plan) return kExitInvalidInput;
  merge_sweep_points(dirs, o.out_dir);
  write_sweep_manifest(o.out_dir, *manifest);
  const auto results = collect_results(*plan, o.out_dir);
  std::cout << write_sweep_outputs(*plan, results, o.out_dir);
  // The points some replication of which is missing: a failed or unfinished task left them.
  std::size_t lacking = 0;
  for (const auto& r : results)
    if (r.replications.size() < static_cast<std::size_t>(plan->replications)) {
      if (lacking++ < 20)
        std::cerr << "shardsim: point " << r.point.index << " (" << r.point.label() << ") has " << r.replications.size()
                  << " of " << plan->replications << " replications" << (r.failures.empty() ? "" : ": " + r.failures.front()) << "\n";
    }
  if (lacking) {
    std::cerr << "shardsim: " << lacking << " point(s) incomplete; the same sweep command with --resume runs (or, with "
              << "--slurm N, re-submits) only what is missing\n";
    return kExitSimulationFailed;
  }
  return kExitOk;
}

int validate_command(const CliOptions& o) {
  const auto scenario = load(o);
  if (!scenario) return kExitInvalidInput;
  if (o.print) std::cout << ScenarioWriter::write(*scenario).dump(2) << "\n";
  else std::cout << o.scenario << ": valid\n";
  return kExitOk;
}

}  // namespace

// Where results are to be written must be writable, checked before any work: a file's directory
// must exist, and an output directory must not be a plain file.
bool outputs_writable(const CliOptions& o) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const auto& [option, file] : {std::pair<const char*, std::string>{"--json", o.json_path}, {"--trace", o.trace_path}}) {
    if (file.empty() || file == "-") continue;
    const fs::path dir = fs::path(file).parent_path().empty() ? fs::path(".") : fs::path(file).parent_path();
    if (!fs::is_directory(dir, ec) || fs::is_directory(file, ec)) {
      std::cerr << "shardsim: " << option << " " << file << ": "
                << (fs::is_directory(file, ec) ? "is a directory" : "its directory " + dir.string() + " does not exist") << "\n";
      return false;
    }
  }
  if (!o.out_dir.empty() && fs::exists(o.out_dir, ec) && !fs::is_directory(o.out_dir, ec)) {
    std::cerr << "shardsim: --out " << o.out_dir << ": is a file, not a directory\n";
    return false;
  }
  return true;
}

int main(int argc, char** argv) {
  try {
    const CliParse parsed = parse_cli(argc, argv);
    if (!parsed.options) return parsed.exit_code;
    const CliOptions& o = *parsed.options;
    if (!outputs_writable(o)) return kExitInvalidInput;
    if (const std::string problem = simgrid_args_problem(o.simgrid_args); !problem.empty()) {
      std::cerr << "shardsim: SimGrid options refused: " << problem << "\n";
      return kExitInvalidInput;
    }
    switch (o.command) {
      case CliOptions::Command::run: return run_command(o);
      case CliOptions::Command::validate: return validate_command(o);
      case CliOptions::Command::keys: return keys_command(o);
      case CliOptions::Command::fields: return fields_command(o);
      case CliOptions::Command::sweep: return sweep_command(o);
      case CliOptions::Command::plan: return plan_command(o);
      case CliOptions::Command::merge: return merge_command(o);
      case CliOptions::Command::validate_model: {
        const auto rows = run_validation(std::filesystem::read_symlink("/proc/self/exe").string(), o.source_dir, o.jobs);
        std::cout << validation_table(rows);
        return std::all_of(rows.begin(), rows.end(), [](const ValidationRow& r) { return r.pass; }) ? kExitOk
                                                                                                      : kExitInternalError;
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "shardsim: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "shardsim: internal error\n";
  }
  return kExitInternalError;
}
