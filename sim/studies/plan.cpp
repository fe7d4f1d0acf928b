#include "sim/studies/plan.hpp"

#include <algorithm>
#include <map>

#include "analysis/result.hpp"
#include "analysis/sweep_table.hpp"
#include "models/base/run_control.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/studies/sweep.hpp"
#include "sim/studies/sweep_runner.hpp"

namespace shardsim {

using nlohmann::json;

namespace {

// One combination of the knobs other than the shard count, with its grid points by shard count
// and the bisection's state: the lowest passing shard index is in [lo, hi] if anywhere. A
// combination whose shortfall more shards do not cure is scanned instead: every point run.
struct Combination {
  std::vector<std::size_t> points;  // grid indices, by ascending shard count
  std::ptrdiff_t lo = 0, hi = -1;
  std::optional<std::ptrdiff_t> found;
  bool scan = false;                // run every point of the axis (once), then take the lowest meeting
  bool active() const { return lo <= hi; }
};

enum class Verdict { meets, needs_more, needs_fewer, scan };

// How far a measurement is on the wrong side of the objective's bound (≤ 0: met), at the far
// end of its 95 % interval (`near`: at the near end, the least it may fall short by).
double shortfall(const Objective& o, const MetricStat& stat, bool near = false) {
  const double ci = stat.ci95.value_or(0) * (near ? -1 : 1);
  double s = 0;
  if (o.max) s = std::max(s, stat.mean + ci - *o.max);
  if (o.min) s = std::max(s, *o.min - (stat.mean - ci));
  return s;
}

// What the point at `row` of `combo` (shard index `at`) says about the shard counts to try. The
// bisection moves up only on a shortfall that more shards can cure: one that is no worse than
// at fewer shards of the same combination. Ordering is not cured by shards (an entity over more
// shards is ordered worse) unless throttled puts were retried out of order, nor is what got
// worse as shards were added (a batching window fills more slowly on more shards): those send
// the combination to a scan.
Verdict verdict_of(const SweepTable& table, const std::map<std::size_t, std::size_t>& row_of, const Combination& combo,
                   std::ptrdiff_t at, const std::vector<Objective>& objectives) {
  const std::size_t row = row_of.at(combo.points[static_cast<std::size_t>(at)]);
  const auto meets = table.meets(row);
  if (meets && *meets) return Verdict::meets;
  bool more = !meets.has_value(), fewer = false;  // no result at all: a failed run, taken as too small
  for (const auto& o : objectives) {
    const auto stat = table.stat(row, o.metric);
    if (!stat) continue;
    const double here = shortfall(o, *stat);
    if (here <= 0) continue;
    if (o.metric.rfind("ordering.", 0) == 0) {
      // Out of order because throttled puts were retried: more shards cure that. Otherwise not.
      const auto throttled = table.stat(row, "throttles.write");
      if (!throttled || throttled->mean <= 0) return Verdict::scan;
      more = true;
      continue;
    }
    if (grows_with_shards(o.metric) && o.max && stat->mean + stat->ci95.value_or(0) > *o.max) {
      fewer = true;
      continue;
    }
    for (std::ptrdiff_t below = 0; below < at; ++below) {
      const auto r = row_of.find(combo.points[static_cast<std::size_t>(below)]);
      if (r == row_of.end()) continue;
      const auto then = table.stat(r->second, o.metric);
      // Worse with more shards beyond the noise: even its least shortfall exceeds the most there.
      if (then && shortfall(o, *stat, true) > shortfall(o, *then)) return Verdict::scan;
    }
    more = true;
  }
  if (!more && !fewer) more = true;  // records lost or left unfinished
  return more && fewer ? Verdict::scan : more ? Verdict::needs_more : Verdict::needs_fewer;
}

}  // namespace

bool grows_with_shards(const std::string& metric) {
  for (const char* prefix : {"concurrency.", "cost_usd.", "billing.", "functions."})
    if (metric.rfind(prefix, 0) == 0) return true;
  return metric.find("concurrency_limit") != std::string::npos;
}

SweepGrid grid_of_points(const SweepGrid& grid, const std::vector<std::size_t>& points) {
  SweepGrid subset;
  subset.parameters = grid.parameters;
  subset.objectives = grid.objectives;
  subset.replications = grid.replications;
  for (std::size_t i : points) subset.points.push_back(grid.points[i]);
  return subset;
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
    } else if (key == "headroom") {
      if (!value.is_number() || value.get<double>() <= 0 || value.get<double>() > 1)
        d.error({file, 0, 0}, "plan.headroom", "expected a share of capacity in (0, 1], got " + quote(value));
      else spec.headroom = value.get<double>();
    } else if (key != "search") {
      d.error({file, 0, 0}, "plan." + key, "unknown field; a plan takes search, minimize and headroom");
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
  spec.grid = sweep_grid(json{{"parameters", block["search"]}}, s.objectives, s.replications, file, grid_problems, order);
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
  } else if (!grows_with_shards(spec.minimize)) {
    // The search finds each combination's fewest shards that meet the objectives: the least of
    // what grows with the shard count, not of anything else.
    d.error({file, 0, 0}, "plan.minimize",
            "\"" + spec.minimize + "\" does not grow with the shard count; a plan minimizes cost_usd.*, billing.* or "
            "concurrency.* (run a sweep to compare every point on " + spec.minimize + ")");
  }
  for (std::size_t k = 0; k < spec.grid.parameters.size(); ++k) {
    SweepParameter& p = spec.grid.parameters[k];
    if (p.path != "stream.shards") continue;
    spec.shards = k;
    if (!std::all_of(p.values.begin(), p.values.end(), [](const json& v) { return v.is_number(); })) {
      d.error({file, 0, 0}, "plan.search.stream.shards", "expected shard counts (whole numbers), got " + quote(json(p.values)));
      continue;
    }
    if (!std::is_sorted(p.values.begin(), p.values.end(), [](const json& a, const json& b) { return a.get<double>() < b.get<double>(); }))
      d.error({file, 0, 0}, "plan.search.stream.shards", "list the shard counts in increasing order");
  }
  if (d.has_errors()) return std::nullopt;
  return spec;
}

PlanSearch search_plan(const PlanSpec& spec, const PlanOptions& o) {
  const SweepGrid& grid = spec.grid;
  // Group the grid by the settings other than the shard count.
  std::map<std::string, Combination> by_key;
  std::vector<std::string> order;
  for (const SweepPoint& point : grid.points) {
    std::string key;
    for (std::size_t k = 0; k < point.settings.size(); ++k)
      if (!spec.shards || k != *spec.shards) key += point.settings[k].first + "=" + point.settings[k].second.dump() + " ";
    auto [it, added] = by_key.try_emplace(key);
    if (added) order.push_back(key);
    it->second.points.push_back(point.index);
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
    // This round's probes: the middle of the range of every combination still bisecting, and
    // every point of a combination to scan.
    std::vector<std::pair<std::size_t, std::ptrdiff_t>> probes;  // (combination, shard index)
    std::vector<std::size_t> to_run;
    const auto probe = [&](std::size_t c, std::ptrdiff_t at) {
      const std::size_t point = combos[c].points[static_cast<std::size_t>(at)];
      if (!row_of.count(point) && std::find(to_run.begin(), to_run.end(), point) == to_run.end()) {
        if (o.budget && search.runs + (to_run.size() + 1) * replications > o.budget) {
          search.budget_exhausted = true;
          return;
        }
        to_run.push_back(point);
      }
      probes.push_back({c, at});
    };
    for (std::size_t c = 0; c < combos.size(); ++c) {
      if (!combos[c].active()) continue;
      if (combos[c].scan) {
        for (std::ptrdiff_t at = 0; at < static_cast<std::ptrdiff_t>(combos[c].points.size()); ++at) probe(c, at);
      } else {
        probe(c, (combos[c].lo + combos[c].hi) / 2);
      }
    }
    if (probes.empty() || interrupt_requested()) break;
    if (!to_run.empty()) {
      search.failed_runs += run_sweep(grid_of_points(grid, to_run), sweep);
      search.runs += to_run.size() * replications;
      for (std::size_t point : to_run) {
        row_of[point] = search.evaluated.size();
        search.evaluated.push_back(point);
      }
    }
    const SweepGrid evaluated = grid_of_points(grid, search.evaluated);
    const SweepTable table(evaluated, collect_results(evaluated, o.out_dir));
    for (std::size_t c = 0; c < combos.size(); ++c) {
      Combination& combo = combos[c];
      if (!combo.active()) continue;
      if (combo.scan) {  // every point ran (or the budget stopped it): the lowest meeting is the answer
        combo.found.reset();
        for (std::ptrdiff_t at = 0; at < static_cast<std::ptrdiff_t>(combo.points.size()) && !combo.found; ++at)
          if (row_of.count(combo.points[static_cast<std::size_t>(at)]) &&
              verdict_of(table, row_of, combo, at, grid.objectives) == Verdict::meets)
            combo.found = at;
        combo.lo = combo.hi + 1;
        continue;
      }
      const auto probed = std::find_if(probes.begin(), probes.end(), [c](const auto& p) { return p.first == c; });
      if (probed == probes.end()) continue;
      const std::ptrdiff_t mid = probed->second;
      if (!row_of.count(combo.points[static_cast<std::size_t>(mid)])) continue;
      switch (verdict_of(table, row_of, combo, mid, grid.objectives)) {
        case Verdict::meets:
          combo.found = mid;
          combo.hi = mid - 1;
          break;
        case Verdict::needs_more: combo.lo = mid + 1; break;
        case Verdict::needs_fewer: combo.hi = mid - 1; break;
        case Verdict::scan:
          combo.scan = true;
          combo.lo = 0;
          combo.hi = static_cast<std::ptrdiff_t>(combo.points.size()) - 1;
          break;
      }
    }
    if (search.budget_exhausted && to_run.empty()) break;
  }
  return search;
}

}  // namespace shardsim
