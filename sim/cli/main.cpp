// shardsim: parses the command line and runs the command (sim/cli/commands.hpp).
#include <malloc.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "sim/cli/cli.hpp"
#include "sim/cli/commands.hpp"
#include "sim/run/engine.hpp"
#include "sim/scenario/diagnostics.hpp"
#include "sim/studies/children.hpp"
#include "sim/studies/validation.hpp"

using namespace shardsim;

namespace {

// Where results are to be written must be writable, checked before any work: a file's directory
// must exist, and an output directory must not be a plain file.
bool outputs_writable(const CliOptions& o) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const auto& [option, file] : {std::pair<const char*, std::string>{"--json", o.json_path},
                                     {"--trace", o.trace_path},
                                     {"--cloudwatch", o.cloudwatch_path},
                                     {"--out", o.calibrate_out},
                                     {"--comparison", o.comparison_path},
                                     {"--gantt-svg", o.gantt_svg},
                                     {"--html", o.tour_html}}) {
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

// The first argument with which this program only tries SimGrid options (the rest) on an engine:
// SimGrid aborts or exits the process on a bad one, so the check runs in a child.
constexpr const char* kTrySimGridArgs = "--try-simgrid-options";

std::string simgrid_args_problem(const std::vector<std::string>& simgrid_args) {
  if (simgrid_args.empty()) return "";
  std::vector<std::string> command{std::filesystem::read_symlink("/proc/self/exe").string(), kTrySimGridArgs};
  command.insert(command.end(), simgrid_args.begin(), simgrid_args.end());
  const CapturedRun run = run_captured(command);
  return run.code == 0 ? "" : simgrid_complaint(run.output);
}
// The command line's work: main's, and a forked child's for this program's own commands.
int run_command_line(int argc, char** argv) {
  try {
    if (argc > 1 && std::string(argv[1]) == kTrySimGridArgs) return try_simgrid_args({argv + 2, argv + argc});
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
      case CliOptions::Command::compare: return compare_command(o);
      case CliOptions::Command::questions: return questions_command(o);
      case CliOptions::Command::tour: return tour_command(o);
      case CliOptions::Command::merge: return merge_command(o);
      case CliOptions::Command::calibrate: return calibrate_command(o);
      case CliOptions::Command::validate_model: {
        const auto rows = run_validation(std::filesystem::read_symlink("/proc/self/exe").string(), o.source_dir, o.jobs);
        std::cout << validation_table(rows);
        return std::all_of(rows.begin(), rows.end(), [](const ValidationRow& r) { return r.pass; }) ? kExitOk
                                                                                                      : kExitInternalError;
      }
    }
  } catch (const OutputError& e) {
    std::cerr << "shardsim: " << e.what() << " (is the disk full, or the folder not writable?)\n";
    return kExitInvalidInput;
  } catch (const std::filesystem::filesystem_error& e) {  // a folder that cannot be made where --out points
    std::cerr << "shardsim: " << e.what() << "\n";
    return kExitInvalidInput;
  } catch (const std::exception& e) {
    std::cerr << "shardsim: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "shardsim: internal error\n";
  }
  return kExitInternalError;
}
}  // namespace

int main(int argc, char** argv) {
  // A run frees and takes back memory all the time (a lane's per-invocation state): glibc would
  // otherwise return the heap's top to the kernel at each large free and fault it in again.
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  start_own_commands_in_forks(run_command_line);
  return run_command_line(argc, argv);
}
