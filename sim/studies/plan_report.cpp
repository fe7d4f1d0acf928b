#include "sim/studies/plan_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/gnuplot_text.hpp"
#include "analysis/result.hpp"
#include "analysis/sweep_table.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_writer.hpp"
#include "sim/scenario/static_estimate.hpp"
#include "sim/studies/plots.hpp"
#include "sim/studies/sweep_runner.hpp"

namespace shardsim {
namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

// The figures a plan answers with, by result path.
const std::vector<std::pair<std::string, std::string>> kFigures = {
    {"latency_s.p99", "p99 latency, s"},
    {"iterator_age_s.p99", "p99 iterator age, s"},
    {"concurrency.peak", "peak concurrency"},
    {"concurrency.p99", "concurrency held 99 % of the time"},
    {"concurrency.mean", "mean concurrency"},
    {"throttles.write", "write throttles"},
    {"throttles.lambda", "Lambda throttles"},
    {"ordering.safe", "per-key order kept (1 = yes)"},
    {"cost_usd.per_hour", "cost per hour, USD"}};

std::string number(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4g", x);
  return b;
}

struct Row {
  std::size_t grid_index;
  std::optional<bool> meets;
  std::optional<double> cost;  // the minimized metric's mean
};

// The points a plan ran, with their results: what each part of the report reads.
struct Evaluated {
  const PlanSpec& spec;
  const PlanOptions& o;
  SweepGrid grid;  // the points evaluated, in the order the search ran them
  SweepTable table;
  std::vector<Row> rows;
  std::vector<std::size_t> meeting;  // rows that meet the objectives, cheapest first

  Evaluated(const PlanSpec& s, const PlanSearch& search, const PlanOptions& options)
      : spec(s), o(options), grid(grid_of_points(s.grid, search.evaluated)), table(grid, collect_results(grid, options.out_dir)) {
    for (std::size_t i = 0; i < grid.points.size(); ++i) {
      const auto stat = table.stat(i, spec.minimize);
      rows.push_back({grid.points[i].index, table.meets(i), stat ? std::optional<double>(stat->mean) : std::nullopt});
    }
    // Ties: the earlier grid point.
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (rows[i].meets && *rows[i].meets && rows[i].cost) meeting.push_back(i);
    std::stable_sort(meeting.begin(), meeting.end(), [&](std::size_t a, std::size_t b) {
      return *rows[a].cost < *rows[b].cost || (*rows[a].cost == *rows[b].cost && rows[a].grid_index < rows[b].grid_index);
    });
  }
  ordered_json figures_of(std::size_t row) const {
    ordered_json f;
    for (const auto& [path, label] : kFigures)
      if (const auto stat = table.stat(row, path)) f[path] = stat->mean;
    return f;
  }
  ordered_json configuration_of(std::size_t row) const {
    ordered_json c;
    for (const auto& [path, value] : grid.points[row].settings) c[path] = value;
    return c;
  }
};

// Nothing meets the objectives: which one fails everywhere, and the closest point.
void explain_no_answer(const Evaluated& e, std::ostringstream& out, ordered_json& j) {
  j["best"] = nullptr;
  out << "no configuration in the search meets the objectives\n";
  std::vector<std::string> everywhere;
  for (const auto& obj : e.spec.grid.objectives) {
    bool fails_all = !e.rows.empty();
    for (std::size_t i = 0; i < e.rows.size() && fails_all; ++i) {
      const auto stat = e.table.stat(i, obj.metric);
      fails_all = !stat || !obj.met_by_interval(stat->mean, stat->ci95.value_or(0));
    }
    if (fails_all) everywhere.push_back(obj.describe());
  }
  // Closest: the least total violation, each relative to its bound (or absolute for a bound
  // of 0): Σ max(0, far end of the interval − max) / max(|max|, 1), and likewise for a min.
  std::size_t closest = 0;
  double least = INFINITY;
  for (std::size_t i = 0; i < e.rows.size(); ++i) {
    double violation = e.rows[i].meets ? 0 : INFINITY;
    for (const auto& obj : e.spec.grid.objectives) {
      const auto stat = e.table.stat(i, obj.metric);
      if (!stat) continue;
      const double half = stat->ci95.value_or(0);
      if (obj.max) violation += std::max(0.0, stat->mean + half - *obj.max) / std::max(std::abs(*obj.max), 1.0);
      if (obj.min) violation += std::max(0.0, *obj.min - (stat->mean - half)) / std::max(std::abs(*obj.min), 1.0);
    }
    if (violation < least) least = violation, closest = i;
  }
  j["failing_everywhere"] = everywhere;
  for (const auto& text : everywhere) out << "  fails at every point tried: " << text << "\n";
  if (!e.rows.empty()) {
    out << "  closest: " << e.grid.points[closest].label() << "\n";
    for (const auto& s : e.table.shortfalls(closest)) out << "    " << s << "\n";
    j["closest"] = {{"configuration", e.configuration_of(closest)}, {"result", e.figures_of(closest)},
                    {"shortfalls", e.table.shortfalls(closest)}};
  }
}

// The calculator against the simulation for the chosen configuration, and the account: its peak
// beside what other functions hold back. Writes plan-best.json.
void compare_with_calculator(const Evaluated& e, std::size_t best, std::ostringstream& out, ordered_json& j) {
  std::vector<std::string> chosen = e.o.overrides;
  for (const auto& s : e.grid.points[best].overrides()) chosen.push_back(s);
  auto loaded = load_scenario(e.o.scenario_file, chosen);
  if (loaded.scenario) {
    const StaticEstimate calc = static_estimate(*loaded.scenario);
    const auto peak = e.table.stat(best, "concurrency.peak"), mean = e.table.stat(best, "concurrency.mean");
    out << "  the calculator for it: " << calc.shards_for_writes << " shards for the writes, concurrency bound "
        << calc.concurrency_bound << ", Little's law " << number(calc.littles_law_concurrency) << " on average"
        << (peak && mean ? " (simulated: peak " + number(peak->mean) + ", mean " + number(mean->mean) + ")" : "") << "\n";
    j["best"]["static_estimate"] = calc.json();
    // The account: this configuration's peak beside what other functions hold back.
    std::int64_t reserved_elsewhere = 0;
    for (const auto& entry : loaded.scenario->functions) {
      const bool invoked = std::any_of(loaded.scenario->consumers.begin(), loaded.scenario->consumers.end(),
                                       [&](const ConsumerConfig& c) { return c.function == entry.first; });
      if (!invoked && entry.second.reserved_concurrency > 0) reserved_elsewhere += entry.second.reserved_concurrency;
    }
    if (peak && peak->mean + static_cast<double>(reserved_elsewhere) >= static_cast<double>(loaded.scenario->lambda.account_concurrency)) {
      const std::string warning = "peak concurrency " + number(peak->mean) + (reserved_elsewhere ? " + " + std::to_string(reserved_elsewhere) + " reserved by other functions" : "") +
                                  " reaches the account limit of " + std::to_string(loaded.scenario->lambda.account_concurrency);
      out << "  warning: " << warning << "\n";
      j["warnings"].push_back(warning);
    }
    loaded.scenario->plan = nullptr;
    std::ofstream(fs::path(e.o.out_dir) / "plan-best.json") << ScenarioWriter::write(*loaded.scenario).dump(2) << "\n";
  }
}

// For each knob: of the values tried with every other knob as chosen that cost less and fail,
// the dearest (the edge next to the choice), and why it fails.
void explain_cheaper_failing(const Evaluated& e, std::size_t best, std::ostringstream& out, ordered_json& j) {
  const SweepPoint& point = e.grid.points[best];
  ordered_json knobs = ordered_json::object();
  for (std::size_t k = 0; k < point.settings.size(); ++k) {
    std::optional<std::size_t> edge;
    for (std::size_t i = 0; i < e.rows.size(); ++i) {
      const auto& s = e.grid.points[i].settings;
      bool others_same = true;
      for (std::size_t m = 0; m < s.size(); ++m) others_same = others_same && (m == k || s[m].second == point.settings[m].second);
      if (!others_same || i == best || (e.rows[i].meets && *e.rows[i].meets) || !e.rows[i].cost || *e.rows[i].cost > *e.rows[best].cost)
        continue;
      if (!edge || *e.rows[i].cost > *e.rows[*edge].cost) edge = i;
    }
    if (!edge) continue;
    const std::string& path = point.settings[k].first;
    const auto value = e.grid.points[*edge].settings[k].second;
    const auto why = e.table.shortfalls(*edge);
    knobs[path] = {{"value", value}, {"shortfalls", why}};
    const std::string reason = why.empty() ? "no result" : why.front();  // the likeliest cause first
    out << "  " << path << " = " << value.dump() << " costs less but fails: " << reason
        << (why.size() > 1 ? " (and " + std::to_string(why.size() - 1) + " more)" : "") << "\n";
  }
  j["cheaper_failing"] = knobs;
}

// Each limit's use in the chosen configuration's busiest second, with a warning for each above
// the plan's headroom.
void warn_headroom(const Evaluated& e, std::size_t best, std::ostringstream& out, ordered_json& j) {
  ordered_json peaks = ordered_json::object();
  std::string uses;
  for (const auto& [name, what] : limit_names()) {
    const auto peak = e.table.stat(best, "bounds." + name + ".peak_utilization");
    if (!peak) continue;
    peaks[name] = peak->mean;
    uses += (uses.empty() ? "" : ", ") + name + " " + number(std::round(peak->mean * 1000) / 10) + " %";
    if (peak->mean > e.spec.headroom)
      out << "  warning: " << name << " runs at " << number(std::round(peak->mean * 1000) / 10)
          << " % of its capacity in its busiest second, above the plan's headroom of " << number(e.spec.headroom * 100)
          << " % (" << what << ")\n";
  }
  if (!uses.empty()) out << "  busiest second: " << uses << "\n";
  j["best"]["peak_utilization"] = peaks;
  j["best"]["headroom"] = e.spec.headroom;
}

// The cheapest meeting point: how to run it, its figures, the calculator beside it, the
// runner-ups, and for each knob the cheaper value that fails and why.
void explain_best(const Evaluated& e, std::ostringstream& out, ordered_json& j) {
  const std::size_t best = e.meeting.front();
  const SweepPoint& point = e.grid.points[best];
  j["best"] = {{"configuration", e.configuration_of(best)}, {"result", e.figures_of(best)}};
  out << "best: " << point.label() << "\n  shardsim run " << e.o.scenario_file;
  for (const auto& s : point.overrides()) out << " --set " << s;
  out << "\n  (or: shardsim run " << (fs::path(e.o.out_dir) / "plan-best.json").string() << ")\n";
  for (const auto& [path, label] : kFigures)
    if (const auto stat = e.table.stat(best, path))
      out << "  " << label << std::string(label.size() < 36 ? 36 - label.size() : 1, ' ') << number(stat->mean)
          << (stat->ci95 ? " ± " + number(*stat->ci95) : "") << "\n";
  if (const auto per_hour = e.table.stat(best, "cost_usd.per_hour"))
    out << "  cost per month (730 h), USD" << std::string(9, ' ') << number(per_hour->mean * 730) << "\n";
  if (const auto d = e.table.diagnosis(best)) {
    out << "  " << d->sentence << "\n";
    j["best"]["diagnosis"] = {{"bound", d->bound}, {"cause", d->cause}, {"share", d->share}, {"sentence", d->sentence}};
  }
  warn_headroom(e, best, out, j);
  compare_with_calculator(e, best, out, j);
  ordered_json runner_ups = ordered_json::array();
  for (std::size_t k = 1; k < e.meeting.size() && k <= 3; ++k) {
    runner_ups.push_back({{"configuration", e.configuration_of(e.meeting[k])}, {"result", e.figures_of(e.meeting[k])}});
    out << "  runner-up: " << e.grid.points[e.meeting[k]].label() << " (" << e.spec.minimize << " "
        << number(*e.rows[e.meeting[k]].cost) << ")\n";
  }
  j["runner_ups"] = runner_ups;
  explain_cheaper_failing(e, best, out, j);
}

// Every point tried: in plan.json, as plan.md's table, and as the plot's data.
void write_points(const Evaluated& e, const Scenario& scenario, std::size_t runs, std::size_t grid_runs, ordered_json& j) {
  ordered_json points = ordered_json::array();
  std::ostringstream md;
  md << "# plan: " << scenario.name << "\n\nMinimizing `" << e.spec.minimize << "`; objectives:";
  for (const auto& obj : e.spec.grid.objectives) md << " `" << obj.describe() << "`";
  md << ".\n\n" << runs << " runs; the full grid would take " << grid_runs << ".\n\n| point | meets |";
  // What was not processed comes first: a point that lost records is explained by them.
  std::vector<std::string> columns{"records.lost", "records.in_flight_at_end"};
  for (const auto& [path, label] : kFigures) columns.push_back(path);
  for (const auto& path : columns) md << " " << path << " |";
  md << "\n|---|---|";
  for (std::size_t k = 0; k < columns.size(); ++k) md << "---|";
  md << "\n";
  fs::create_directories(fs::path(e.o.out_dir) / "plots");
  std::ostringstream data;
  data << "# p99_latency_s\t" << e.spec.minimize << "\tmeets\tlabel\n";
  for (std::size_t i = 0; i < e.rows.size(); ++i) {
    points.push_back({{"configuration", e.configuration_of(i)},
                      {"meets", e.rows[i].meets ? json(*e.rows[i].meets) : json(nullptr)},
                      {"result", e.figures_of(i)},
                      {"shortfalls", e.table.shortfalls(i)}});
    md << "| " << e.grid.points[i].label() << " | " << (e.rows[i].meets ? (*e.rows[i].meets ? "yes" : "no") : "–") << " |";
    for (const auto& path : columns) {
      const auto stat = e.table.stat(i, path);
      md << " " << (stat ? number(stat->mean) : "–") << " |";
    }
    md << "\n";
    const auto p99 = e.table.stat(i, "latency_s.p99");
    if (p99 && e.rows[i].cost)
      data << p99->mean << "\t" << *e.rows[i].cost << "\t" << (e.rows[i].meets && *e.rows[i].meets ? 1 : 0) << "\t"
           << gnuplot_data_label(e.grid.points[i].label()) << "\n";
  }
  j["points"] = points;
  std::ofstream(fs::path(e.o.out_dir) / "plan.json") << j.dump(2) << "\n";
  std::ofstream(fs::path(e.o.out_dir) / "plan.md") << md.str();
  std::ofstream(fs::path(e.o.out_dir) / "plots" / "plan.dat") << data.str();
}

// Cost against p99 latency: every point tried, those that meet the objectives filled, the
// Pareto front of the meeting ones (no other is both cheaper and faster) as a line.
std::string plot_points(const Evaluated& e, const Scenario& scenario) {
  std::vector<std::pair<double, double>> front;
  for (std::size_t i : e.meeting)
    if (const auto p99 = e.table.stat(i, "latency_s.p99")) front.push_back({p99->mean, *e.rows[i].cost});
  std::sort(front.begin(), front.end());
  std::vector<std::pair<double, double>> pareto;
  for (const auto& p : front)
    if (pareto.empty() || p.second < pareto.back().second) pareto.push_back(p);
  std::ostringstream pareto_data;
  for (const auto& [x, y] : pareto) pareto_data << x << "\t" << y << "\n";
  std::ofstream(fs::path(e.o.out_dir) / "plots" / "plan-pareto.dat") << pareto_data.str();
  std::ostringstream gp;
  gp << "# cost against p99 latency for every point the plan ran (data: plan.dat, plan-pareto.dat)\n"
     << "set title " << gnuplot_string(scenario.name + ": " + e.spec.minimize + " against p99 latency") << "\n"
     << "set xlabel 'p99 latency, s (log scale)'\nset logscale x\nset ylabel " << gnuplot_string(e.spec.minimize) << "\n"
     << "set key top right\nset grid\n";
  for (const auto& obj : e.spec.grid.objectives)
    if (obj.metric == "latency_s.p99" && obj.max)
      gp << "set arrow from " << *obj.max << ", graph 0 to " << *obj.max << ", graph 1 nohead dt 2 lc rgb 'red'\n"
         << "set label 'objective' at " << *obj.max << ", graph 0.95 offset 0.5,0 tc rgb 'red'\n";
  std::string plot = "plot 'plan.dat' using ($3 == 1 ? $1 : NaN):2 with points pt 7 title 'meets the objectives', "
                     "'plan.dat' using ($3 == 0 ? $1 : NaN):2 with points pt 6 title 'fails'";
  if (!pareto.empty()) plot += ", 'plan-pareto.dat' using 1:2 with linespoints lw 2 title 'Pareto front'";
  if (!e.meeting.empty())
    if (const auto p99 = e.table.stat(e.meeting.front(), "latency_s.p99")) {
      std::ofstream(fs::path(e.o.out_dir) / "plots" / "plan-best.dat") << p99->mean << "\t" << *e.rows[e.meeting.front()].cost << "\n";
      plot += ", 'plan-best.dat' using 1:2 with points pt 3 ps 3 lc rgb 'black' title 'chosen'";
    }
  for (const char* format : {"svg", "png"})
    gp << "set terminal " << (std::string(format) == "svg" ? "svg size 900,540" : "pngcairo size 900,540")
       << " noenhanced\nset output 'plan." << format << "'\n" << plot << "\n";
  std::ofstream(fs::path(e.o.out_dir) / "plots" / "plan.gp") << gp.str();
  return render_plots(e.o.out_dir, {"plan.gp"});
}
}  // namespace

std::string write_plan_report(const PlanSpec& spec, const PlanSearch& search, const PlanOptions& o,
                              const Scenario& scenario) {
  const Evaluated e(spec, search, o);
  const std::size_t grid_runs = spec.grid.points.size() * static_cast<std::size_t>(spec.grid.replications);
  const StaticEstimate estimate = static_estimate(scenario);

  std::ostringstream out;
  ordered_json j;
  j["scenario"] = scenario.name;
  j["minimize"] = spec.minimize;
  ordered_json objectives = ordered_json::array();
  for (const auto& obj : spec.grid.objectives) objectives.push_back(obj.describe());
  j["objectives"] = objectives;
  j["static_estimate"] = estimate.json();
  j["runs"] = search.runs;
  j["grid_size"] = grid_runs;
  j["budget_exhausted"] = search.budget_exhausted;
  out << "plan: " << scenario.name << ", minimizing " << spec.minimize << "\n";
  out << "spent " << search.runs << " simulation runs (" << e.grid.points.size() << " points × "
      << spec.grid.replications << "); the full grid would take " << grid_runs
      << (search.budget_exhausted ? "; stopped by --budget before the search ended" : "") << "\n";
  if (e.meeting.empty()) {
    explain_no_answer(e, out, j);
  } else {
    explain_best(e, out, j);
  }
  write_points(e, scenario, search.runs, grid_runs, j);
  out << plot_points(e, scenario);
  out << "plan: " << (fs::path(o.out_dir) / "plan.{json,md}").string() << "\n";
  return out.str();
}

}  // namespace shardsim
