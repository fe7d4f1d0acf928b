#include "sim/cli/commands.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <sys/prctl.h>
#include <unistd.h>

#include "analysis/expectations.hpp"
#include "analysis/time_series.hpp"
#include "models/core/hash_key.hpp"
#include "models/core/lanes.hpp"
#include "models/kafka/murmur2.hpp"
#include "sim/run/simulate.hpp"
#include "sim/run/stream_kind.hpp"
#include "sim/scenario/diagnostics.hpp"
#include "sim/scenario/kinds/kafka.hpp"
#include "sim/scenario/reshard.hpp"
#include "sim/scenario/scenario_fields.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_writer.hpp"
#include "sim/studies/compare.hpp"
#include "sim/studies/plan.hpp"
#include "sim/studies/questions.hpp"
#include "sim/studies/sweep.hpp"
#include "sim/studies/tour_html.hpp"

namespace shardsim {

std::optional<Scenario> load_command_scenario(const CliOptions& o) {
  std::vector<std::string> overrides = o.overrides;
  if (o.seed) overrides.push_back("seed=" + std::to_string(*o.seed));
  LoadedScenario loaded = load_scenario(o.scenario, overrides);
  // A sweep or plan block is checked as `sweep` and `plan` would check it, whatever the command.
  if (loaded.scenario &&
      (!loaded.scenario->sweep.is_null() || !loaded.scenario->plan.is_null() || !loaded.scenario->variants.is_null())) {
    Diagnostics blocks;
    if (!loaded.scenario->sweep.is_null()) load_sweep_grid(o.scenario, overrides, blocks);
    if (!loaded.scenario->plan.is_null()) load_plan(o.scenario, overrides, blocks);
    // A variant's own run carries its overrides, which other variants may not take: the block
    // is checked by `validate` and `compare`, not by each run.
    if (!loaded.scenario->variants.is_null() && o.command == CliOptions::Command::validate)
      load_compare(o.scenario, overrides, blocks);
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

namespace {

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
  const auto scenario = load_command_scenario(o);
  if (!scenario) return std::nullopt;
  const std::string follows_traffic = make_stream_kind(scenario->stream)->follows_traffic(scenario->stream);
  if (follows_traffic.empty()) {
    open = shards_open_at(scenario->stream, scenario->what_if, *o.at_s);
    std::cout << "# " << o.scenario << " at " << format_number(*o.at_s) << " s: " << open.size() << " open shards\n";
    return open;
  }
  // An on-demand stream's or a table's shards follow its traffic: run the scenario and take its shards.
  const RunResult r = simulate(*scenario, o.simgrid_args).result;
  for (std::size_t i = 0; i < r.stream.shards.size(); ++i) {
    const ShardResult& s = r.stream.shards[i];
    if (s.opened_s <= *o.at_s && (!s.closed_s || *s.closed_s > *o.at_s))
      open.push_back({i, {*parse_decimal_hash_key(s.starting_hash_key), *parse_decimal_hash_key(s.ending_hash_key)}});
  }
  std::cout << "# " << o.scenario << " at " << format_number(*o.at_s) << " s: " << open.size()
            << " open shards (as this run, seed " << scenario->seed << ", " << follows_traffic << " shards)\n";
  return open;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw OutputError("cannot write " + path.string());
}

}  // namespace

int questions_command(const CliOptions& o) {
  const auto catalog = read_catalog(o.source_dir);
  if (catalog.empty()) {
    std::cerr << "shardsim: no questions under " << o.source_dir << "/scenarios/questions (give the source tree with --source-dir)\n";
    return kExitInvalidInput;
  }
  if (!o.run_all) {
    for (const auto& q : catalog)
      std::cout << q.file << "\t" << (q.problem.empty() ? q.question : "(" + q.problem + ")") << "\n";
    return kExitOk;
  }
  bool all_met = false;
  std::cout << run_catalog(catalog, std::filesystem::read_symlink("/proc/self/exe").string(), o.jobs, all_met);
  const auto met = std::count_if(catalog.begin(), catalog.end(), [](const auto& q) { return q.problem.empty(); });
  std::cout << (all_met ? "every answer holds" : "some answers do not hold") << " (" << catalog.size() << " questions, "
            << met << " well-formed)\n";
  return all_met ? kExitOk : kExitExpectationFailed;
}

int tour_command(const CliOptions& o) {
  const auto catalog = read_catalog(o.source_dir);
  if (catalog.empty()) {
    std::cerr << "shardsim: no questions under " << o.source_dir << "/scenarios/questions (give the source tree with --source-dir)\n";
    return kExitInvalidInput;
  }
  std::string problem;
  const auto tour = tour_order(catalog, o.source_dir, problem);
  if (!problem.empty()) std::cerr << "shardsim: warning: " << problem << "\n";
  if (o.tour_step > tour.size()) {
    std::cerr << "shardsim: tour " << o.tour_step << ": the tour has " << tour.size() << " stops (1 … " << tour.size() << ")\n";
    return kExitInvalidInput;
  }
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  if (!o.tour_html.empty()) {
    std::vector<CatalogQuestion> stops;
    std::vector<std::size_t> steps;
    for (std::size_t i = 0; i < tour.size(); ++i)
      if (o.tour_step == 0 || o.tour_step == i + 1) {
        stops.push_back(tour[i]);
        steps.push_back(i + 1);
      }
    std::ofstream out(o.tour_html, std::ios::binary);
    out << tour_html(stops, steps, tour.size(), self, o.jobs);
    if (!out) {
      std::cerr << "shardsim: cannot write " << o.tour_html << "\n";
      return kExitInvalidInput;
    }
    std::cout << "tour: " << stops.size() << " stop(s) written to " << o.tour_html << "\n";
    return kExitOk;
  }
  for (std::size_t i = 0; i < tour.size(); ++i)
    if (o.tour_step == 0 || o.tour_step == i + 1) std::cout << tour_stop(tour[i], i + 1, tour.size(), self) << std::flush;
  return kExitOk;
}

namespace {
// A Kafka topic's keys: the partition of each among `partitions`.
int print_partitions(const std::vector<std::string>& keys, std::int64_t partitions) {
  for (const auto& key : keys)
    std::cout << key << "\tmurmur2 " << kafka::murmur2(key) << "\tpartition "
              << kafka::partition_for_key(key, static_cast<std::size_t>(partitions)) << "\n";
  return kExitOk;
}

}  // namespace

int keys_command(CliOptions o) {
  if (o.partitions > 0) return print_partitions(o.keys, o.partitions);
  if (o.at_s && o.keys.size() > 1) {
    CliOptions probe = o;
    probe.scenario = o.keys.front();
    const auto scenario = load_command_scenario(probe);
    if (!scenario) return kExitInvalidInput;
    if (scenario->stream.type == StreamConfig::Type::kafka) {
      const std::int64_t partitions = partitions_at(scenario->stream.topic, *o.at_s);
      std::cout << "# " << probe.scenario << " at " << format_number(*o.at_s) << " s: " << partitions << " partitions\n";
      return print_partitions({o.keys.begin() + 1, o.keys.end()}, partitions);
    }
  }
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

int run_command(const CliOptions& o) {
  const auto scenario = load_command_scenario(o);
  if (!scenario) return kExitInvalidInput;
  prctl(PR_SET_PDEATHSIG, SIGTERM);  // started by a sweep: end with it, never write after it
  const auto wall_start = std::chrono::steady_clock::now();
  RunOptions options;
  options.replication = static_cast<std::uint64_t>(o.replication);
  options.progress = isatty(2) != 0;
  if (!scenario->sweep.is_null())
    std::cerr << o.scenario << ": warning: the sweep block is not used by 'run', which runs the base scenario; "
              << "use 'shardsim sweep'\n";
  if (!scenario->variants.is_null() && !o.quiet)
    std::cerr << o.scenario << ": note: 'run' runs the base scenario; 'shardsim compare' runs the variants\n";
  if (!o.trace_path.empty()) options.trace_invocations = o.trace_limit;
  if (o.gantt || !o.gantt_svg.empty()) options.gantt_records = o.gantt_limit;
  if (!o.cloudwatch_path.empty()) options.cloudwatch_period_s = o.cloudwatch_period_s;
  SimulationOutcome outcome = simulate(*scenario, o.simgrid_args, options, o.gantt_width, o.cloudwatch_start);
  if (options.progress) std::fputs("\r\033[K", stderr);  // the progress line is done
  RunResult& result = outcome.result;
  if (o.timing)
    result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  if (!o.quiet) std::cout << summary_text(result);
  if (o.gantt) std::cout << outcome.gantt;
  if (!o.trace_path.empty()) write_file(o.trace_path, outcome.trace_json);
  if (!o.gantt_svg.empty()) write_file(o.gantt_svg, outcome.gantt_svg);
  if (!o.cloudwatch_path.empty()) {
    write_file(o.cloudwatch_path, outcome.cloudwatch_results);
    write_file(CloudWatchRecorder::queries_path(o.cloudwatch_path), outcome.cloudwatch_queries);
  }
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
  // Following the answer's own "Try --set …" tip changes what the scenario shows: the
  // expectations it states for itself no longer apply, and this run is not a failure.
  const auto in_answer = [&](const std::string& s) {
    const std::string& a = scenario->answer;
    for (auto at = a.find("--set " + s); at != std::string::npos; at = a.find("--set " + s, at + 1)) {
      const std::size_t end = at + 6 + s.size();
      if (end == a.size() || std::string(" .,:;)").find(a[end]) != std::string::npos) return true;  // the whole value
    }
    return false;
  };
  const bool tip = !o.overrides.empty() && std::all_of(o.overrides.begin(), o.overrides.end(), in_answer);
  out << "expectations (" << checks.size() - static_cast<std::size_t>(failed) << " of " << checks.size() << " met)\n";
  for (const auto& c : checks) out << "  " << c.describe() << "\n";
  if (tip && failed)
    out << "with the answer's tip (--set " << o.overrides.front() << (o.overrides.size() > 1 ? " …" : "")
        << ") the scenario shows something else: the " << failed
        << " expectation(s) not met above are the scenario's own and no longer apply\n";
  if (!scenario->question.empty() && !o.quiet)
    out << "question: " << scenario->question << "\nanswer" << (failed && !tip ? " (not shown by this run)" : "") << ": "
        << scenario->answer << "\n";
  return failed && !tip ? kExitExpectationFailed : kExitOk;
}

int validate_command(const CliOptions& o) {
  const auto scenario = load_command_scenario(o);
  if (!scenario) return kExitInvalidInput;
  if (o.print) std::cout << ScenarioWriter::write(*scenario).dump(2) << "\n";
  else std::cout << o.scenario << ": valid\n";
  return kExitOk;
}

}  // namespace shardsim
