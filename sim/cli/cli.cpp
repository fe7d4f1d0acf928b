#include "sim/cli/cli.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "analysis/cloudwatch.hpp"

namespace shardsim {
namespace {

// --cloudwatch-period of run, sweep and compare: one of CloudWatch's periods.
CLI::Option* add_cloudwatch_period(CLI::App& command, CliOptions& o) {
  return command
      .add_option("--cloudwatch-period", o.cloudwatch_period_s, "their period in seconds: 1, 5, 10, 30 or a multiple of 60 (default 60)")
      ->check(CLI::Validator(
          [](std::string& v) {
            try {
              std::size_t used = 0;
              const double period = std::stod(v, &used);
              if (used != v.size()) throw std::invalid_argument(v);
              return CloudWatchRecorder::valid_period(period)
                         ? std::string()
                         : "CloudWatch's periods are 1, 5, 10, 30 or a multiple of 60 seconds; got " + v;
            } catch (const std::exception&) {
              return "expected a number of seconds, got \"" + v + "\"";
            }
          },
          "SECONDS"));
}

const char* kExitCodes =
    "Exit codes:\n"
    "  0  success\n"
    "  1  internal error (a bug: please report it with the scenario)\n"
    "  2  invalid input: usage, scenario file or --set override\n"
    "  3  the simulation could not finish: deadlock, or a safety limit (limits.*) stopped it\n"
    "  4  run: the result does not meet the scenario's expect block\n"
    "SimGrid options --cfg=NAME:VALUE and --log=SPEC are passed through to SimGrid.";

void add_scenario_options(CLI::App& command, CliOptions& o) {
  command.add_option("scenario", o.scenario, "scenario file (JSON; fields in scenarios/README.md)")
      ->required()
      ->check(CLI::ExistingFile);
  command.add_option("--set", o.overrides,
                     "override a field: PATH=VALUE, dotted path with list indices "
                     "(stream.shards=8, consumers.0.batch_size=500); VALUE is JSON, else a string; null removes the field; "
                     "PATH+=VALUE adds a list element or map entry (functions.g+={}); repeatable")
      ->take_all()
      ->allow_extra_args(false);
}

}  // namespace

// Number checks with messages in the user's terms (CLI11's own print the type's whole range).
CLI::Validator whole_at_least(long long least) {
  return CLI::Validator(
      [least](std::string& value) -> std::string {
        char* end = nullptr;
        errno = 0;
        const long long n = std::strtoll(value.c_str(), &end, 10);
        if (value.empty() || *end != '\0' || errno == ERANGE || n < least)
          return "expected a whole number ≥ " + std::to_string(least) + ", got \"" + value + "\"";
        return "";
      },
      "≥ " + std::to_string(least));
}

CLI::Validator number_at_least_zero() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        char* end = nullptr;
        const double x = std::strtod(value.c_str(), &end);
        if (value.empty() || *end != '\0' || !std::isfinite(x) || x < 0) return "expected a number ≥ 0, got \"" + value + "\"";
        return "";
      },
      "≥ 0");
}

namespace {

// --slurm N, --slurm-option and --submit; `what` is what --slurm N writes.
void add_slurm_options(CLI::App& command, CliOptions& o, const std::string& what) {
  command.add_option("--slurm", o.slurm_tasks, "write " + what + " under DIR/slurm/ instead of running here")
      ->check(whole_at_least(1));
  command.add_option("--slurm-option", o.slurm_options,
                     "KEY=VALUE: an #SBATCH --KEY=VALUE line for the jobs (partition, time, cpus-per-task, account…); "
                     "repeatable");
  command.add_flag("--submit", o.submit, "with --slurm: also submit the jobs (runs DIR/slurm/submit.sh)");
}

}  // namespace

CliParse parse_cli(int argc, const char* const* argv) {
  CliOptions o;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--cfg=", 0) == 0 || a.rfind("--log=", 0) == 0) o.simgrid_args.push_back(a);
    else args.push_back(a);
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments in reverse order

  CLI::App app{"shardsim: a discrete-event simulator of Kinesis streams consumed by AWS Lambda", "shardsim"};
  app.set_version_flag("--version", std::string("shardsim ") + SHARDSIM_VERSION);
  app.footer(kExitCodes);
  app.require_subcommand(1);

  auto* run = app.add_subcommand("run", "run one simulation and print its summary");
  add_scenario_options(*run, o);
  run->add_option("--seed", o.seed, "seed of the random streams (overrides the scenario's seed)")
      ->check(whole_at_least(0));
  run->add_option("--json", o.json_path, "write the result JSON to FILE (- for standard output)");
  run->add_option("--out", o.out_dir,
                  "write result.json, the resolved scenario.json and timeseries.csv (per second) into DIR (created)");
  run->add_option("--trace", o.trace_path,
                  "write a Chrome trace-event timeline (open in Perfetto or chrome://tracing) to FILE");
  run->add_option("--trace-limit", o.trace_limit, "invocations recorded in the trace (default 10000)")
      ->check(whole_at_least(1));
  auto* cloudwatch = run->add_option("--cloudwatch", o.cloudwatch_path,
                  "write the run's CloudWatch metrics to FILE as `aws cloudwatch get-metric-data` prints them, and the "
                  "queries naming them (its --metric-data-queries) to FILE with .queries.json for .json");
  add_cloudwatch_period(*run, o)->needs(cloudwatch);
  run->add_option("--cloudwatch-start", o.cloudwatch_start,
                  "the UTC time of simulated time 0 in their timestamps, as YYYY-MM-DDTHH:MM:SSZ (default 2026-01-01T00:00:00Z)")
      ->check(CLI::Validator([](std::string& v) { return CloudWatchRecorder::valid_start(v) ? std::string() : "expected YYYY-MM-DDTHH:MM:SSZ, got \"" + v + "\""; },
                             "TIME"))
      ->needs(cloudwatch);
  run->add_flag("--no-expect", o.no_expect, "do not check the scenario's expect block");
  run->add_flag("--gantt", o.gantt, "print an ASCII timeline of lanes and the keys they ran (small runs)");
  run->add_option("--gantt-svg", o.gantt_svg, "write the timeline as an SVG image to FILE (the first --gantt-limit records)");
  run->add_option("--gantt-limit", o.gantt_limit, "records drawn in the timeline (default 2000)")->check(whole_at_least(1));
  run->add_option("--gantt-width", o.gantt_width, "columns of the timeline (default 100)")
      ->check(CLI::Range(std::size_t{10}, std::size_t{1000}));
  run->add_flag("--quiet,-q", o.quiet, "do not print the summary");
  run->add_flag("--timing", o.timing,
                "record wall-clock time in the result (sim.wall_s); results then differ between runs");
  run->footer(kExitCodes);

  run->add_option("--replication", o.replication,
                  "replication number: random streams derive from (seed, replication, entity); sweeps set it")
      ->check(whole_at_least(0));

  auto* sweep = app.add_subcommand("sweep", "run a scenario's sweep block: every point, replicated, in parallel");
  add_scenario_options(*sweep, o);
  sweep->add_option("--out", o.out_dir, "directory of the results (default sweep-out)");
  sweep->add_option("--jobs,-j", o.jobs, "simulations at once (default: the number of cores)")->check(whole_at_least(1));
  sweep->add_flag("--resume", o.resume, "skip runs whose result is already in --out for the same scenario");
  sweep->add_flag("--no-expect", o.no_expect, "report the points' expectations but do not exit 4 when one fails");
  sweep->add_option("--slice", o.slice, "I/N: run only every N-th point starting at I (for job arrays); merge afterwards");
  add_slurm_options(*sweep, o, "a Slurm job array of N tasks (task i runs slice i/N) and a merge job");
  sweep->footer(kExitCodes);

  auto* plan = app.add_subcommand("plan", "find the cheapest configuration of the plan block's knobs that meets the "
                                          "objectives, without running the whole grid");
  add_scenario_options(*plan, o);
  plan->add_option("--out", o.out_dir, "directory of the runs and the report (default plan-out)");
  plan->add_option("--jobs,-j", o.jobs, "simulations at once (default: the number of cores)")->check(whole_at_least(1));
  plan->add_option("--budget", o.budget, "most simulation runs to spend (default: no cap)")->check(whole_at_least(1));
  add_slurm_options(*plan, o, "a Slurm job of N tasks that runs the search and N simulations at once as job steps");
  plan->add_flag("--srun", o.srun,
                 "inside a Slurm job: start each simulation as a job step (srun --exclusive, one task), so --jobs of them "
                 "spread over the job's nodes; what the --slurm script runs");
  plan->footer(kExitCodes);

  auto* compare = app.add_subcommand("compare", "run the variants block: the same workload and seed processed each way, "
                                                "and one table that sets them side by side");
  add_scenario_options(*compare, o);
  compare->add_option("--out", o.out_dir, "directory of the runs, the table and the chart (default compare-out)");
  compare->add_option("--jobs,-j", o.jobs, "simulations at once (default: the number of cores)")->check(whole_at_least(1));
  add_slurm_options(*compare, o, "a Slurm job of N tasks that runs the variants' simulations as job steps");
  compare->add_flag("--no-expect", o.no_expect, "report the variants' expectations but do not exit 4 when one fails");
  compare->add_option("--baseline", o.baseline,
                      "the variant the others are set against, replication by replication (default: the first)");
  compare->add_flag("--srun", o.srun, "inside a Slurm job: start each simulation as a job step (what the --slurm script runs)");
  compare->footer(kExitCodes);

  auto* calibrate = app.add_subcommand(
      "calibrate", "write a scenario from a real pipeline's CloudWatch metrics and configuration, run it, and print "
                   "observed beside simulated");
  calibrate->add_option("export", o.calibrate_export, "the output of aws cloudwatch get-metric-data (JSON)")->required();
  calibrate->add_option("--queries", o.calibrate_queries, "the --metric-data-queries file it was given")->required();
  calibrate->add_option("--stream-summary", o.stream_summary, "the output of aws kinesis describe-stream-summary");
  calibrate->add_option("--mapping", o.mapping_config, "the output of aws lambda get-event-source-mapping");
  calibrate->add_option("--function", o.function_config,
                        "the output of aws lambda get-function (or get-function-configuration, which leaves out the reserved concurrency)");
  calibrate->add_option("--arrivals", o.calibrate_arrivals, "records within a period: poisson (default) or constant")
      ->check(CLI::IsMember({"poisson", "constant"}));
  calibrate->add_option("--out", o.calibrate_out, "the calibrated scenario's file")->required();
  calibrate->add_flag("--no-run", o.no_run, "write the scenario without running it");
  calibrate->add_option("--comparison", o.comparison_path, "also write observed beside simulated as JSON to FILE")
      ->excludes("--no-run");
  calibrate->add_option("--plots", o.calibrate_plots, "draw observed beside simulated with gnuplot into DIR/plots (calibration.svg, .png)")
      ->excludes("--no-run");

  auto* merge = app.add_subcommand("merge", "combine the --out directories of a sliced sweep into one result set");
  merge->add_option("dirs", o.merge_dirs, "the slices' directories")->required();
  merge->add_option("--out", o.out_dir, "directory of the combined results")->required();

  auto* validate_model = app.add_subcommand(
      "validate-model", "run the validation cases (queueing theory, published results) and print expected vs simulated");
  validate_model->add_option("--jobs,-j", o.jobs, "cases at once (default: the number of cores)")->check(whole_at_least(1));
  validate_model->add_option("--source-dir", o.source_dir, "the source tree holding scenarios/validation (default .)")
      ->check(CLI::ExistingDirectory);

  auto* questions = app.add_subcommand("questions", "list the question catalog (scenarios/questions/): each file and "
                                                    "the question it answers; --run checks every answer");
  questions->add_flag("--run", o.run_all, "run every question's scenario and print ✔ or ✘ for its expectations");
  questions->add_option("--jobs,-j", o.jobs, "runs at once (default: the number of cores)")->check(whole_at_least(1));
  questions->add_option("--source-dir", o.source_dir, "the source tree holding scenarios/questions (default .)")
      ->check(CLI::ExistingDirectory);

  auto* tour = app.add_subcommand("tour", "a guided walk through the question catalog for a class or a newcomer: each "
                                          "question, its scenario run (with its timeline when small), and the answer; --html for a web page");
  tour->add_option("step", o.tour_step, "only this stop of the tour (1, 2, …)")->check(whole_at_least(1));
  tour->add_option("--html", o.tour_html, "write the tour as one self-contained web page to FILE (timelines as SVG)");
  tour->add_option("--jobs,-j", o.jobs, "--html: runs at once (default: the number of cores)")->check(whole_at_least(1));
  tour->add_option("--source-dir", o.source_dir, "the source tree holding scenarios/questions (default .)")
      ->check(CLI::ExistingDirectory);

  auto* validate = app.add_subcommand("validate", "check a scenario without running it");
  add_scenario_options(*validate, o);
  validate->add_flag("--print", o.print, "print the resolved scenario, every default filled in");
  validate->footer(kExitCodes);

  auto* keys = app.add_subcommand("keys", "print each partition key's MD5 hash key, the shard it maps to and, with "
                                          "--pf, its lane under hash lane assignment; with --partitions, or --at on a "
                                          "Kafka topic, its partition");
  keys->add_option("--shards", o.shards, "number of shards, hash key space split evenly (as stream.shards)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{10000}));
  keys->add_option("--pf", o.pf, "ParallelizationFactor: also print the key's lane (lane_assignment hash)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{10}));
  auto* partitions = keys->add_option("--partitions", o.partitions,
                                       "a Kafka topic of this many partitions: print each key's murmur2 hash and its "
                                       "partition (the Java client's default partitioner)")
                         ->check(CLI::Range(std::int64_t{1}, std::int64_t{200'000}));
  keys->add_option("--at", o.at_s,
                   "the shards of a scenario at this time, s: the first argument is then the scenario file "
                   "(its reshard operations; an on-demand stream is simulated, and its shards are those of that run)")
      ->check(number_at_least_zero());
  keys->add_option("key", o.keys, "partition keys (with --at: the scenario file, then the keys)")->required();
  partitions->excludes("--shards")->excludes("--pf")->excludes("--at");

  auto* fields = app.add_subcommand("fields", "print every scenario field with its unit, default and range");
  fields->add_flag("--markdown", o.markdown, "as Markdown tables (the reference in scenarios/README.md)");

  // Sweeps and comparisons: each point's CloudWatch metrics beside its result.
  for (auto* command : {sweep, compare}) {
    auto* flag = command->add_flag("--cloudwatch", o.cloudwatch_points,
                                   "also write each run's CloudWatch metrics (run --cloudwatch) beside its result in DIR/points");
    add_cloudwatch_period(*command, o)->needs(flag);
  }

  // A file or folder option given an empty value is a mistake, not "no output".
  for (auto* command : app.get_subcommands({}))
    for (const char* name : {"--json", "--trace", "--gantt-svg", "--html", "--out", "--cloudwatch", "--comparison", "--plots"})
      if (auto* option = command->get_option_no_throw(name))
        option->check(CLI::Validator([](std::string& v) { return v.empty() ? std::string("expected a file or folder name, got \"\"") : ""; },
                                     "FILE"));

  // A first word that is no command is named, not reported as a missing command.
  if (!args.empty() && !args.back().empty() && args.back()[0] != '-') {
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), args.back()) == names.end()) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      std::cerr << "shardsim: unknown command \"" << args.back() << "\"; the commands are " << list << "\n";
      return {std::nullopt, kExitInvalidInput};
    }
  }
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    app.exit(e);
    return {std::nullopt, kExitOk};
  } catch (const CLI::CallForAllHelp& e) {
    app.exit(e);
    return {std::nullopt, kExitOk};
  } catch (const CLI::CallForVersion& e) {
    app.exit(e);
    return {std::nullopt, kExitOk};
  } catch (const CLI::ParseError& e) {
    std::cerr << "shardsim: " << e.what() << "\n";
    std::cerr << "Run 'shardsim --help' or 'shardsim " << (app.get_subcommands().empty() ? "" : app.get_subcommands().front()->get_name() + " ") << "--help' for usage.\n";
    return {std::nullopt, kExitInvalidInput};
  }
  if (run->parsed()) o.command = CliOptions::Command::run;
  else if (validate->parsed()) o.command = CliOptions::Command::validate;
  else if (keys->parsed()) o.command = CliOptions::Command::keys;
  else if (sweep->parsed()) o.command = CliOptions::Command::sweep;
  else if (plan->parsed()) o.command = CliOptions::Command::plan;
  else if (compare->parsed()) o.command = CliOptions::Command::compare;
  else if (merge->parsed()) o.command = CliOptions::Command::merge;
  else if (calibrate->parsed()) o.command = CliOptions::Command::calibrate;
  else if (validate_model->parsed()) o.command = CliOptions::Command::validate_model;
  else if (questions->parsed()) o.command = CliOptions::Command::questions;
  else if (tour->parsed()) o.command = CliOptions::Command::tour;
  else o.command = CliOptions::Command::fields;
  return {o, kExitOk};
}

}  // namespace shardsim
