#include "sim/studies/compare.hpp"

#include "sim/scenario/scenario_load.hpp"
#include "sim/studies/sweep.hpp"

namespace shardsim {

using nlohmann::json;

std::optional<CompareSpec> load_compare(const std::string& file, const std::vector<std::string>& overrides, Diagnostics& d) {
  LoadedScenario loaded = load_scenario(file, overrides);
  d.append(loaded.diagnostics);
  if (!loaded.scenario) return std::nullopt;
  const json& variants = loaded.scenario->variants;
  const JsonSource source = JsonSource::from_file(file, d);
  if (!variants.is_object() || variants.empty()) {
    d.error(source.locate("/variants"), "variants",
            "a compare file needs \"variants\": {\"name\": {\"dotted.path\": value, …}, …} with at least one variant, e.g. "
            "{\"pf-1\": {}, \"pf-10\": {\"consumers.0.parallelization_factor\": 10}}");
    return std::nullopt;
  }
  CompareSpec spec;
  spec.runs.replications = loaded.scenario->replications;
  for (const std::string& name : keys_in_file_order(file, "/variants", variants)) {
    const json& settings = variants[name];
    const std::string pointer = "/variants/" + name;
    if (!settings.is_object()) {
      d.error(source.locate(pointer), "variants." + name, "expected {\"dotted.path\": value, …}, got " + quote(settings));
      continue;
    }
    // A variant's name heads a column and a chart's row: it must show.
    if (name.find_first_not_of(' ') == std::string::npos || has_control_character(name)) {
      d.error(source.locate(pointer), "variants", "variant names must be visible text without line breaks or control characters, got " + quote(json(name)));
      continue;
    }
    SweepPoint point;
    point.index = spec.names.size();
    for (const auto& [path, value] : settings.items()) point.settings.emplace_back(path, value);
    // Each variant is a full scenario, checked before anything runs.
    std::vector<std::string> all = overrides;
    for (const auto& s : point.overrides()) all.push_back(s);
    const LoadedScenario variant = load_scenario(file, all);
    for (const auto& problem : variant.diagnostics.all())
      if (problem.severity == Diagnostic::Severity::error)
        d.error(problem.where, "variants." + name + (problem.path.empty() ? "" : ": " + problem.path), problem.message);
    spec.names.push_back(name);
    spec.runs.points.push_back(std::move(point));
  }
  if (d.has_errors()) return std::nullopt;
  return spec;
}

}  // namespace shardsim
