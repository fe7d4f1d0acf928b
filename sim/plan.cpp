#include "sim/plan.hpp"

#include <algorithm>
#include <map>

#include "analysis/result.hpp"
#include "analysis/sweep_table.hpp"
#include "models/base/run_control.hpp"
#include "sim/scenario_load.hpp"
#include "sim/sweep.hpp"
#include "sim/sweep_runner.hpp"

namespace shardsim {

using nlohmann::json;

namespace {

bool is_parallelization_factor(const std::string& path) {
  return path.size() > 23 && path.compare(path.size() - 23, 23, ".parallelization_factor") == 0;
}

// One combination of the knobs other than the shard count, with its grid points by shard count
// and the bisection's state: the lowest passing shard index is in [lo, hi] if anywhere.
struct Combination {
  std::vector<std::size_t> points;  // grid indices, by ascending shard count
  std::ptrdiff_t lo = 0, hi = -1;
  std::optional<std::ptrdiff_t> found;
  std::string siblings;             // the settings other than shards and PF: PF siblings share it
  double pf = 0;
  bool active() const { return lo <= hi; }
};

enum class Verdict { meets, needs_more, needs_fewer, fails_both };

Verdict verdict_of(const SweepTable& table, std::size_t row, const std::vector<Objective>& objectives) {
  const auto meets = table.meets(row);
  if (meets && *meets) return Verdict::meets;
  bool more = !meets.has_value(), fewer = false;  // no result at all: a failed run, taken as too small
  for (const auto& o : objectives) {
    const auto stat = table.stat(row, o.metric);
    if (!stat) continue;
    if (o.met_by_interval(stat->mean, stat->ci95.value_or(0))) continue;
    (grows_with_shards(o.metric) && o.max && stat->mean + stat->ci95.value_or(0) > *o.max ? fewer : more) = true;
  }
  if (!more && !fewer) more = true;  // records lost or left unfinished
  return more && fewer ? Verdict::fails_both : more ? Verdict::needs_more : Verdict::needs_fewer;
}

}  // namespace

bool grows_with_shards(const std::string& metric) {
  for (const char* prefix : {"concurrency.", "cost_usd.", "billing.", "functions."})
    if (metric.rfind(prefix, 0) == 0) return true;
  return metric.find("concurrency_limit") != std::string::npos;
}

SweepPlan plan_of_points(const SweepPlan& grid, const std::vector<std::size_t>& points) {
  SweepPlan plan;
  plan.parameters = grid.parameters;
  plan.objectives = grid.objectives;
  plan.replications = grid.replications;
  for (std::size_t i : points) plan.points.push_back(grid.points[i]);
  return plan;
}

std::optional<PlanSpec> load_plan(const std::string& file, const std::vector<std::string>& overrides, Diagnostics& d) {
  LoadedScenario loaded = load_scenario(file, overrides);
  d.append(loaded.diagnostics);
  if (!loaded.scenario) return std::nullopt;
  const Scenario& s = *loaded.scenario;
  PlanSpec spec;
  const json& block = s.plan;
  if (!block.is_object()) {
    d.error({file, 0, 0}, "plan", "a plan file needs a \"plan\" block: {\"search\": {\"stream.shards\": {\"from\": 1, "
                                  "\"to\": 64, \"factor\": 2}}, \"minimize\": \"cost_usd.per_hour\"}");
    return std::nullopt;
  }
  for (const auto& [key, value] : block.items()) {
    if (key == "minimize") {
      if (!value.is_string()) d.error({file, 0, 0}, "plan.minimize", "expected a result path, got " + quote(value));
      else spec.minimize = value.get<std::string>();
    } else if (key != "search") {
      d.error({file, 0, 0}, "plan." + key, "unknown field; a plan takes search and minimize");
    }
  }
  if (!s.objectives.is_object() || s.objectives.empty())
    d.error({file, 0, 0}, "objectives", "a plan needs objectives to meet, e.g. {\"latency_s.p99\": {\"max\": 2}}");
  if (!block.contains("search") || !block["search"].is_object() || block["search"].empty()) {
    d.error({file, 0, 0}, "plan.search", "expected {\"dotted.path\": [values] or {range}, …} with at least one knob");
    return std::nullopt;
  }
  // The grid is the sweep of the search's knobs (same lists and ranges), in the file's order.
  const auto order = keys_in_file_order(file, "/plan/search", block["search"]);
  Diagnostics grid_problems;
  spec.grid = plan_sweep(json{{"parameters", block["search"]}}, s.objectives, s.replications, file, grid_problems, order);
  const JsonSource source = JsonSource::from_file(file, grid_problems);
  for (auto problem : grid_problems.all()) {
    if (problem.path.rfind("sweep.parameters", 0) == 0) problem.path = "plan.search" + problem.path.substr(16);
    if (problem.severity == Diagnostic::Severity::error) d.error(locate_block_field(source, problem), problem.path, problem.message);
  }
  if (d.has_errors()) return std::nullopt;
  // Each knob's values must make a valid scenario (checked one knob at a time, not the product).
  for (const auto& p : spec.grid.parameters)
    for (const auto& v : p.values) {
      std::vector<std::string> all = overrides;
      all.push_back(p.path + "=" + v.dump());
      const LoadedScenario with_value = load_scenario(file, all);
      for (const auto& problem : with_value.diagnostics.all())
        if (problem.severity == Diagnostic::Severity::error)
          d.error(problem.where, "plan.search." + p.path, problem.message + " (value " + quote(v) + ")");
    }
  std::vector<std::string> consumers, functions;
  for (const auto& c : s.consumers) consumers.push_back(c.name);
  for (const auto& [name, f] : s.functions) functions.push_back(name);
  const auto paths = result_paths(consumers, functions);
  if (std::find(paths.begin(), paths.end(), spec.minimize) == paths.end()) {
    const std::string hint = did_you_mean(spec.minimize, paths);
    d.error({file, 0, 0}, "plan.minimize",
            "\"" + spec.minimize + "\" is not a number in the result" + (hint.empty() ? "" : "; did you mean \"" + hint + "\"?"));
  }
  for (std::size_t k = 0; k < spec.grid.parameters.size(); ++k) {
    SweepParameter& p = spec.grid.parameters[k];
    if (p.path != "stream.shards") continue;
    spec.shards = k;
    if (!std::is_sorted(p.values.begin(), p.values.end(), [](const json& a, const json& b) { return a.get<double>() < b.get<double>(); }))
      d.error({file, 0, 0}, "plan.search.stream.shards", "list the shard counts in increasing order");
  }
  if (d.has_errors()) return std::nullopt;
  return spec;
}

PlanSearch search_plan(const PlanSpec& spec, const PlanOptions& o) {
  const SweepPlan& grid = spec.grid;
  // Group the grid by the settings other than the shard count.
  std::map<std::string, Combination> by_key;
  std::vector<std::string> order;
  for (const SweepPoint& point : grid.points) {
    std::string key, siblings;
    double pf = 0;
    for (std::size_t k = 0; k < point.settings.size(); ++k) {
      if (spec.shards && k == *spec.shards) continue;
      key += point.settings[k].first + "=" + point.settings[k].second.dump() + " ";
      if (is_parallelization_factor(point.settings[k].first)) pf = point.settings[k].second.get<double>();
      else siblings += point.settings[k].first + "=" + point.settings[k].second.dump() + " ";
    }
    auto [it, added] = by_key.try_emplace(key);
    if (added) order.push_back(key);
    it->second.points.push_back(point.index);
    it->second.siblings = siblings;
    it->second.pf = pf;
  }
  std::vector<Combination> combos;
  for (const auto& key : order) {
    Combination c = by_key[key];
    c.hi = static_cast<std::ptrdiff_t>(c.points.size()) - 1;
    combos.push_back(std::move(c));
  }
  PlanSearch search;
  std::map<std::size_t, std::size_t> row_of;  // grid index → position in search.evaluated
  SweepOptions sweep;
  sweep.scenario_file = o.scenario_file;
  sweep.overrides = o.overrides;
  sweep.out_dir = o.out_dir;
  sweep.jobs = o.jobs;
  sweep.resume = true;  // a point already run for the same scenario is not run again
  sweep.progress = o.progress;
  sweep.executable = o.executable;
  sweep.launcher = o.launcher;
  const auto replications = static_cast<std::size_t>(grid.replications);
  for (;;) {
    // This round's probe of every combination still searching (the middle of its range).
    std::vector<std::pair<std::size_t, std::ptrdiff_t>> probes;  // (combination, shard index)
    std::vector<std::size_t> to_run;
    for (std::size_t c = 0; c < combos.size(); ++c) {
      if (!combos[c].active()) continue;
      const std::ptrdiff_t mid = (combos[c].lo + combos[c].hi) / 2;
      const std::size_t point = combos[c].points[static_cast<std::size_t>(mid)];
      if (!row_of.count(point) && std::find(to_run.begin(), to_run.end(), point) == to_run.end()) {
        if (o.budget && search.runs + (to_run.size() + 1) * replications > o.budget) {
          search.budget_exhausted = true;
          continue;
        }
        to_run.push_back(point);
      }
      probes.push_back({c, mid});
    }
    if (probes.empty() || interrupt_requested()) break;
    if (!to_run.empty()) {
      search.failed_runs += run_sweep(plan_of_points(grid, to_run), sweep);
      search.runs += to_run.size() * replications;
      for (std::size_t point : to_run) {
        row_of[point] = search.evaluated.size();
        search.evaluated.push_back(point);
      }
    }
    const SweepPlan evaluated = plan_of_points(grid, search.evaluated);
    const SweepTable table(evaluated, collect_results(evaluated, o.out_dir));
    for (const auto& [c, mid] : probes) {
      Combination& combo = combos[c];
      const std::size_t point = combo.points[static_cast<std::size_t>(mid)];
      if (!row_of.count(point)) continue;
      const Verdict v = verdict_of(table, row_of[point], grid.objectives);
      switch (v) {
        case Verdict::meets:
          combo.found = mid;
          combo.hi = mid - 1;
          break;
        case Verdict::needs_more: combo.lo = mid + 1; break;
        case Verdict::needs_fewer: combo.hi = mid - 1; break;
        case Verdict::fails_both: combo.lo = combo.hi + 1; break;
      }
      // PF siblings: a pass at PF p passes at PF > p with as many shards; too little capacity at
      // PF q is too little at PF < q.
      for (Combination& other : combos) {
        if (&other == &combo || other.siblings != combo.siblings || other.points.size() != combo.points.size()) continue;
        if (v == Verdict::meets && other.pf > combo.pf) other.hi = std::min(other.hi, mid);
        if (v == Verdict::needs_more && other.pf < combo.pf) other.lo = std::max(other.lo, mid + 1);
      }
    }
    if (search.budget_exhausted && to_run.empty()) break;
  }
  return search;
}

}  // namespace shardsim
