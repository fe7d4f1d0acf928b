#include "sim/studies/sweep.hpp"

#include <cctype>
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/scenario/field_range.hpp"
#include "sim/scenario/json_source.hpp"
#include "sim/scenario/scenario_load.hpp"

namespace shardsim {

using nlohmann::json;

namespace {

std::vector<json> expand_range(const json& range, const std::string& where, const std::string& file, Diagnostics& d) {
  std::vector<json> values;
  auto number = [&](const char* key) -> std::optional<double> {
    if (!range.contains(key)) return std::nullopt;
    if (!range[key].is_number()) {
      d.error({file, 0, 0}, where + "." + key, "expected a number, got " + quote(range[key]));
      return std::nullopt;
    }
    return range[key].get<double>();
  };
  for (const auto& [key, v] : range.items())
    if (key != "from" && key != "to" && key != "step" && key != "factor")
      d.error({file, 0, 0}, where + "." + key, "unknown field; a range takes from, to and step or factor");
  const auto from = number("from"), to = number("to"), factor = number("factor");
  auto step = number("step");
  if (!from || !to) {
    d.error({file, 0, 0}, where, "a range needs \"from\" and \"to\"");
    return values;
  }
  if (step && factor) {
    d.error({file, 0, 0}, where, "a range takes \"step\" (> 0) or \"factor\" (> 1), not both");
    return values;
  }
  const bool whole_ends = range["from"].is_number_integer() && range["to"].is_number_integer();
  if (!step && !factor) {  // whole numbers one apart: {"from": 1, "to": 64}
    if (!whole_ends) {
      d.error({file, 0, 0}, where,
              "a range of fractional values needs \"step\" (> 0) or \"factor\" (> 1); without either, from and to "
              "must be whole numbers, and the range holds every whole number between them");
      return values;
    }
    step = 1;
  }
  if ((step && *step <= 0) || (factor && *factor <= 1) || *to < *from || (factor && *from <= 0)) {
    d.error({file, 0, 0}, where, "a range goes up from \"from\" to \"to\" with step > 0 or factor > 1 (from > 0)");
    return values;
  }
  const bool integers = whole_ends && (!range.contains("step") || range["step"].is_number_integer()) &&
                        (!factor || range["factor"].is_number_integer());
  for (double x = *from; x <= *to * (1 + 1e-12) && values.size() <= 10000; x = step ? x + *step : x * *factor)
    values.push_back(integers ? json(static_cast<std::int64_t>(std::llround(x))) : json(x));
  if (values.size() > 10000) d.error({file, 0, 0}, where, "a range of more than 10,000 values");
  return values;
}

}  // namespace

SweepGrid sweep_grid(const json& sweep, const json& objectives, std::int64_t replications, const std::string& file,
                     Diagnostics& d, const std::vector<std::string>& order) {
  SweepGrid grid;
  grid.replications = replications;
  if (!sweep.is_object()) {
    d.error({file, 0, 0}, "sweep", "a sweep file needs a \"sweep\" block: {\"parameters\": {\"stream.shards\": [1, 2, 4]}}");
    return grid;
  }
  std::string mode = "product";
  for (const auto& [key, value] : sweep.items()) {
    if (key == "mode") {
      if (!value.is_string() || (value != "product" && value != "zip"))
        d.error({file, 0, 0}, "sweep.mode", "expected \"product\" or \"zip\", got " + quote(value));
      else
        mode = value.get<std::string>();
    } else if (key != "parameters") {
      d.error({file, 0, 0}, "sweep." + key, "unknown field; a sweep takes mode and parameters");
    }
  }
  const json parameters = sweep.value("parameters", json());
  if (!parameters.is_object() || parameters.empty()) {
    d.error({file, 0, 0}, "sweep.parameters", "expected {\"dotted.path\": [values] or {range}, …} with at least one entry");
    return grid;
  }
  for (const auto& [path, spec] : parameters.items()) {
    const std::string where = "sweep.parameters." + path;
    SweepParameter p{path, {}};
    if (spec.is_array()) p.values.assign(spec.begin(), spec.end());
    else if (spec.is_object()) p.values = expand_range(spec, where, file, d);
    else d.error({file, 0, 0}, where, "expected a list of values or a range {\"from\", \"to\", \"step\"|\"factor\"}");
    if (p.values.empty() && (spec.is_array() || spec.is_object()))
      d.error({file, 0, 0}, where, "no values");
    grid.parameters.push_back(std::move(p));
  }
  auto rank = [&](const SweepParameter& p) {
    return static_cast<std::size_t>(std::find(order.begin(), order.end(), p.path) - order.begin());
  };
  std::stable_sort(grid.parameters.begin(), grid.parameters.end(),
                   [&](const SweepParameter& a, const SweepParameter& b) { return rank(a) < rank(b); });
  if (d.has_errors()) return grid;
  if (mode == "zip") {
    const std::size_t n = grid.parameters.front().values.size();
    for (const auto& p : grid.parameters)
      if (p.values.size() != n)
        d.error({file, 0, 0}, "sweep.parameters." + p.path,
                "zip needs lists of one length: " + std::to_string(p.values.size()) + " values here, " +
                    std::to_string(n) + " in the first");
    if (d.has_errors()) return grid;
    for (std::size_t i = 0; i < n; ++i) {
      SweepPoint point{i, {}};
      for (const auto& p : grid.parameters) point.settings.emplace_back(p.path, p.values[i]);
      grid.points.push_back(point);
    }
  } else {
    // Full product; the first parameter varies slowest.
    std::size_t total = 1;
    for (const auto& p : grid.parameters) total *= p.values.size();
    if (total > 100000) {
      d.error({file, 0, 0}, "sweep.parameters", std::to_string(total) + " points; at most 100,000");
      return grid;
    }
    for (std::size_t i = 0; i < total; ++i) {
      SweepPoint point{i, {}};
      std::size_t rest = i;
      std::vector<std::pair<std::string, json>> settings(grid.parameters.size());
      for (std::size_t k = grid.parameters.size(); k-- > 0;) {
        const auto& p = grid.parameters[k];
        settings[k] = {p.path, p.values[rest % p.values.size()]};
        rest /= p.values.size();
      }
      point.settings = std::move(settings);
      grid.points.push_back(point);
    }
  }
  if (objectives.is_object()) {
    for (const auto& [metric, bound] : objectives.items()) {
      Objective o{metric, std::nullopt, std::nullopt};
      const std::string where = "objectives." + metric;
      if (!bound.is_object()) {
        d.error({file, 0, 0}, where, "expected {\"max\": x} and/or {\"min\": y}");
        continue;
      }
      for (const auto& [key, value] : bound.items()) {
        if ((key != "min" && key != "max") || !value.is_number()) {
          d.error({file, 0, 0}, where + "." + key, "expected \"min\" or \"max\" with a number");
          continue;
        }
        (key == "min" ? o.min : o.max) = value.get<double>();
      }
      grid.objectives.push_back(o);
    }
  }
  return grid;
}

SourceLocation locate_block_field(const JsonSource& source, const Diagnostic& problem) {
  if (problem.where.line != 0) return problem.where;
  // "sweep.parameters.stream.shards.step": a parameter's path has dots of its own, so try each
  // split of the display path into the parameter and what follows, longest parameter first.
  const std::string& path = problem.path;
  for (const std::string block : {"sweep.parameters.", "plan.search.", "objectives.", "sweep.", "plan."}) {
    if (path.rfind(block, 0) != 0) continue;
    std::string pointer = "/" + block.substr(0, block.size() - 1);
    std::replace(pointer.begin(), pointer.end(), '.', '/');
    const std::string rest = path.substr(block.size());
    std::vector<std::size_t> cuts{rest.size()};  // where the parameter ends
    for (auto dot = rest.rfind('.'); dot != std::string::npos && dot > 0; dot = rest.rfind('.', dot - 1)) cuts.push_back(dot);
    for (const std::size_t cut : cuts) {
      std::string tail = cut < rest.size() ? rest.substr(cut + 1) : "";
      std::replace(tail.begin(), tail.end(), '.', '/');
      const SourceLocation at = source.locate(pointer + "/" + rest.substr(0, cut) + (tail.empty() ? "" : "/" + tail));
      if (at.line != 0) return at;
    }
    const SourceLocation at = source.locate(pointer);
    if (at.line != 0) return at;
  }
  return problem.where;
}

std::vector<std::string> keys_in_file_order(const std::string& file, const std::string& pointer, const json& object) {
  if (!object.is_object()) return {};
  Diagnostics ignored;
  const JsonSource source = JsonSource::from_file(file, ignored);
  std::vector<std::pair<std::pair<int, int>, std::string>> located;
  for (const auto& [key, v] : object.items()) {
    const SourceLocation at = source.locate(pointer + "/" + key);
    located.push_back({{at.line, at.column}, key});
  }
  std::sort(located.begin(), located.end());
  std::vector<std::string> keys;
  for (const auto& [at, key] : located) keys.push_back(key);
  return keys;
}

std::optional<SweepGrid> load_sweep_grid(const std::string& file, const std::vector<std::string>& overrides,
                                         Diagnostics& d) {
  LoadedScenario loaded = load_scenario(file, overrides);
  d.append(loaded.diagnostics);
  if (!loaded.scenario) return std::nullopt;
  const json& parameters = loaded.scenario->sweep.is_object() ? loaded.scenario->sweep.value("parameters", json()) : json();
  const auto order = keys_in_file_order(file, "/sweep/parameters", parameters);
  Diagnostics found;
  SweepGrid grid = sweep_grid(loaded.scenario->sweep, loaded.scenario->objectives, loaded.scenario->replications, file,
                              found, order);
  const JsonSource source = JsonSource::from_file(file, found);
  for (const auto& problem : found.all()) d.error(locate_block_field(source, problem), problem.path, problem.message);
  // Every point is a full scenario, checked before anything runs.
  if (!d.has_errors()) {
    for (const auto& point : grid.points) {
      std::vector<std::string> all = overrides;
      for (const auto& s : point.overrides()) all.push_back(s);
      LoadedScenario p = load_scenario(file, all);
      for (const auto& diag : p.diagnostics.all())
        if (diag.severity == Diagnostic::Severity::error)
          d.error(diag.where, diag.path, diag.message + " (point " + std::to_string(point.index) + ": " + point.label() + ")");
    }
  }
  if (d.has_errors()) return std::nullopt;
  return grid;
}

}  // namespace shardsim
