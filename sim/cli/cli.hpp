#pragma once
// The command line, parsed with CLI11 into one plain struct. SimGrid's own --cfg=/--log=
// options are taken out first and passed through to the engine (SimGrid would otherwise also
// claim --help).
#include <optional>
#include <string>
#include <vector>

namespace shardsim {

// Exit codes, documented in --help and README.
constexpr int kExitOk = 0;
constexpr int kExitInternalError = 1;
constexpr int kExitInvalidInput = 2;
constexpr int kExitSimulationFailed = 3;
constexpr int kExitExpectationFailed = 4;

struct CliOptions {
  enum class Command { run, validate, keys, fields, sweep, merge, validate_model, plan, compare, questions, tour, calibrate };
  Command command = Command::run;
  std::string scenario;
  std::vector<std::string> overrides;  // --set PATH=VALUE, in order
  std::optional<std::int64_t> seed;
  std::string json_path;               // --json FILE, "-" for stdout
  std::string out_dir;
  bool quiet = false;
  bool print = false;                  // validate --print
  bool timing = false;                 // run --timing: wall-clock time in the result
  std::string baseline;                // compare --baseline: the variant the others are set against
  bool no_expect = false;              // run --no-expect: skip the scenario's expectations
  bool markdown = false;               // fields --markdown
  std::string trace_path;              // run --trace FILE
  std::string cloudwatch_path;         // run --cloudwatch FILE (and its queries beside it)
  // calibrate: the get-metric-data output, its queries, the describe calls' outputs, arrivals,
  // whether to run the calibrated scenario.
  std::string calibrate_export, calibrate_queries, stream_summary, mapping_config, function_config;
  std::string calibrate_arrivals = "poisson";
  bool no_run = false;
  std::string comparison_path;  // calibrate --comparison FILE
  std::string calibrate_out, calibrate_plots;  // calibrate --out FILE, --plots DIR
  double cloudwatch_period_s = 60;     // its period
  bool cloudwatch_points = false;      // sweep, compare --cloudwatch: each point's metrics
  std::string cloudwatch_start = "2026-01-01T00:00:00Z";  // the UTC time of simulated time 0
  std::size_t trace_limit = 10000;     // invocations in the trace
  bool gantt = false;
  std::size_t gantt_limit = 2000;      // records drawn
  std::size_t gantt_width = 100;       // columns
  std::string gantt_svg;               // run --gantt-svg FILE: the timeline as SVG
  std::int64_t shards = 1;             // keys --shards
  std::int64_t pf = 0;                 // keys --pf (0: no lane column)
  std::int64_t partitions = 0;         // keys --partitions: a Kafka topic's (0: shards)
  std::vector<std::string> keys;       // keys [SCENARIO] KEY...
  std::optional<double> at_s;          // keys --at: the first of `keys` is a scenario file
  std::vector<std::string> simgrid_args;
  std::int64_t replication = 0;        // run --replication (sweeps use it)
  std::size_t jobs = 0;                // --jobs of sweep, plan, compare, questions, validate-model (0: cores)
  std::size_t budget = 0;              // plan --budget (0: no cap)
  bool resume = false;                 // sweep --resume
  std::string slice = "0/1";           // sweep --slice I/N
  std::size_t slurm_tasks = 0;         // sweep, plan, compare --slurm N (0: run here)
  std::vector<std::string> slurm_options;  // --slurm-option KEY=VALUE
  bool srun = false;                   // plan, compare --srun: each run a job step of the current allocation
  bool run_all = false;                // questions --run
  std::size_t tour_step = 0;           // tour N (0: the whole tour)
  std::string tour_html;               // tour --html FILE: the tour as one web page
  bool submit = false;                 // --submit (with --slurm)
  std::vector<std::string> merge_dirs; // merge DIR...
  std::string source_dir = ".";        // validate-model, questions --source-dir
};

struct CliParse {
  std::optional<CliOptions> options;  // empty: nothing to run, exit with exit_code
  int exit_code = kExitOk;
};

CliParse parse_cli(int argc, const char* const* argv);

}  // namespace shardsim
