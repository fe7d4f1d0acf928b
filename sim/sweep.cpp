#include "sim/sweep.hpp"

#include <cctype>
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/field_range.hpp"

namespace shardsim {

using nlohmann::json;

std::vector<std::string> SweepPoint::overrides() const {
  std::vector<std::string> out;
  for (const auto& [path, value] : settings) out.push_back(path + "=" + value.dump());
  return out;
}

std::string SweepPoint::label() const {
  std::string out;
  for (const auto& [path, value] : settings) out += (out.empty() ? "" : " ") + path + "=" + value.dump();
  return out;
}

std::string SweepPoint::file_stem() const {
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "p%04zu", index);
  std::string out = prefix;
  for (const auto& [path, value] : settings) {
    const std::string last = path.substr(path.find_last_of('.') == std::string::npos ? 0 : path.find_last_of('.') + 1);
    std::string v = value.is_string() ? value.get<std::string>() : value.dump();
    out += "_" + last + "-" + v;
  }
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') c = '_';
  return out.substr(0, 120);
}

std::string Objective::describe() const {
  std::string out = metric;
  if (min) out += " ≥ " + format_number(*min);
  if (max) out += (min ? " and" : "") + std::string(" ≤ ") + format_number(*max);
  return out;
}

namespace {

std::vector<json> expand_range(const json& range, const std::string& where, const std::string& file, Diagnostics& d) {
  std::vector<json> values;
  auto number = [&](const char* key) -> std::optional<double> {
    if (!range.contains(key)) return std::nullopt;
    if (!range[key].is_number()) {
      d.error({file, 0, 0}, where + "." + key, "expected a number, got " + range[key].dump());
      return std::nullopt;
    }
    return range[key].get<double>();
  };
  for (const auto& [key, v] : range.items())
    if (key != "from" && key != "to" && key != "step" && key != "factor")
      d.error({file, 0, 0}, where + "." + key, "unknown field; a range takes from, to and step or factor");
  const auto from = number("from"), to = number("to"), step = number("step"), factor = number("factor");
  if (!from || !to) {
    d.error({file, 0, 0}, where, "a range needs \"from\" and \"to\"");
    return values;
  }
  if (step.has_value() == factor.has_value()) {
    d.error({file, 0, 0}, where, "a range needs exactly one of \"step\" (> 0) or \"factor\" (> 1)");
    return values;
  }
  if ((step && *step <= 0) || (factor && *factor <= 1) || *to < *from || (factor && *from <= 0)) {
    d.error({file, 0, 0}, where, "a range goes up from \"from\" to \"to\" with step > 0 or factor > 1 (from > 0)");
    return values;
  }
  const bool integers = range["from"].is_number_integer() && range["to"].is_number_integer() &&
                        (!step || range["step"].is_number_integer()) && (!factor || range["factor"].is_number_integer());
  for (double x = *from; x <= *to * (1 + 1e-12) && values.size() <= 10000; x = step ? x + *step : x * *factor)
    values.push_back(integers ? json(static_cast<std::int64_t>(std::llround(x))) : json(x));
  if (values.size() > 10000) d.error({file, 0, 0}, where, "a range of more than 10,000 values");
  return values;
}

}  // namespace

SweepPlan plan_sweep(const json& sweep, const json& objectives, std::int64_t replications, const std::string& file,
                     Diagnostics& d, const std::vector<std::string>& order) {
  SweepPlan plan;
  plan.replications = replications;
  if (!sweep.is_object()) {
    d.error({file, 0, 0}, "sweep", "a sweep file needs a \"sweep\" block: {\"parameters\": {\"stream.shards\": [1, 2, 4]}}");
    return plan;
  }
  std::string mode = "product";
  for (const auto& [key, value] : sweep.items()) {
    if (key == "mode") {
      if (!value.is_string() || (value != "product" && value != "zip"))
        d.error({file, 0, 0}, "sweep.mode", "expected \"product\" or \"zip\", got " + value.dump());
      else
        mode = value.get<std::string>();
    } else if (key != "parameters") {
      d.error({file, 0, 0}, "sweep." + key, "unknown field; a sweep takes mode and parameters");
    }
  }
  const json parameters = sweep.value("parameters", json());
  if (!parameters.is_object() || parameters.empty()) {
    d.error({file, 0, 0}, "sweep.parameters", "expected {\"dotted.path\": [values] or {range}, …} with at least one entry");
    return plan;
  }
  for (const auto& [path, spec] : parameters.items()) {
    const std::string where = "sweep.parameters." + path;
    SweepParameter p{path, {}};
    if (spec.is_array()) p.values.assign(spec.begin(), spec.end());
    else if (spec.is_object()) p.values = expand_range(spec, where, file, d);
    else d.error({file, 0, 0}, where, "expected a list of values or a range {\"from\", \"to\", \"step\"|\"factor\"}");
    if (p.values.empty() && (spec.is_array() || spec.is_object()))
      d.error({file, 0, 0}, where, "no values");
    plan.parameters.push_back(std::move(p));
  }
  auto rank = [&](const SweepParameter& p) {
    return static_cast<std::size_t>(std::find(order.begin(), order.end(), p.path) - order.begin());
  };
  std::stable_sort(plan.parameters.begin(), plan.parameters.end(),
                   [&](const SweepParameter& a, const SweepParameter& b) { return rank(a) < rank(b); });
  if (d.has_errors()) return plan;
  if (mode == "zip") {
    const std::size_t n = plan.parameters.front().values.size();
    for (const auto& p : plan.parameters)
      if (p.values.size() != n)
        d.error({file, 0, 0}, "sweep.parameters." + p.path,
                "zip needs lists of one length: " + std::to_string(p.values.size()) + " values here, " +
                    std::to_string(n) + " in the first");
    if (d.has_errors()) return plan;
    for (std::size_t i = 0; i < n; ++i) {
      SweepPoint point{i, {}};
      for (const auto& p : plan.parameters) point.settings.emplace_back(p.path, p.values[i]);
      plan.points.push_back(point);
    }
  } else {
    // Full product; the first parameter varies slowest.
    std::size_t total = 1;
    for (const auto& p : plan.parameters) total *= p.values.size();
    if (total > 100000) {
      d.error({file, 0, 0}, "sweep.parameters", std::to_string(total) + " points; at most 100,000");
      return plan;
    }
    for (std::size_t i = 0; i < total; ++i) {
      SweepPoint point{i, {}};
      std::size_t rest = i;
      std::vector<std::pair<std::string, json>> settings(plan.parameters.size());
      for (std::size_t k = plan.parameters.size(); k-- > 0;) {
        const auto& p = plan.parameters[k];
        settings[k] = {p.path, p.values[rest % p.values.size()]};
        rest /= p.values.size();
      }
      point.settings = std::move(settings);
      plan.points.push_back(point);
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
      plan.objectives.push_back(o);
    }
  }
  return plan;
}

std::optional<double> result_value(const json& result, const std::string& dotted_path) {
  const json* node = &result;
  std::size_t start = 0;
  while (true) {
    const auto dot = dotted_path.find('.', start);
    const std::string key = dotted_path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object() || !node->contains(key)) return std::nullopt;
    node = &(*node)[key];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (node->is_boolean()) return node->get<bool>() ? 1.0 : 0.0;
  if (!node->is_number()) return std::nullopt;
  return node->get<double>();
}

double student_t_975(std::size_t df) {
  // Quantiles t(0.975, df) of Student's t distribution (standard tables).
  static const double table[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                 2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                 2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (df == 0) return 0;
  if (df <= 30) return table[df - 1];
  if (df <= 40) return 2.042 + (2.021 - 2.042) * static_cast<double>(df - 30) / 10;
  if (df <= 60) return 2.021 + (2.000 - 2.021) * static_cast<double>(df - 40) / 20;
  if (df <= 120) return 2.000 + (1.980 - 2.000) * static_cast<double>(df - 60) / 60;
  return 1.960;
}

}  // namespace shardsim
