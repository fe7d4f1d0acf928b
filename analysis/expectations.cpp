#include "analysis/expectations.hpp"

#include <algorithm>
#include <cstdio>

#include "analysis/ordering.hpp"
#include "analysis/sweep_grid.hpp"

namespace shardsim {

namespace {
std::string number(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", x);
  return b;
}
}  // namespace

bool is_text_path(const std::string& path) { return path == "diagnosis.bound" || path == "diagnosis.cause"; }

std::string ExpectationCheck::describe() const {
  const Expectation& e = expectation;
  if (e.equals_text)
    return e.path + " = " + *e.equals_text + ": " + (actual_text ? *actual_text : "not in the result") + (met ? "  ✔" : "  ✘");
  std::string bound;
  if (e.equals) bound += " = " + number(*e.equals);
  if (e.min) bound += " ≥ " + number(*e.min);
  if (e.max) bound += (e.min ? " and ≤ " : " ≤ ") + number(*e.max);
  return e.path + bound + ": " + (actual ? number(*actual) : "not in the result") + (met ? "  ✔" : "  ✘");
}

std::vector<Expectation> read_expectations(const nlohmann::json& expect,
                                           std::vector<std::pair<std::string, std::string>>& problems) {
  std::vector<Expectation> out;
  if (expect.is_null()) return out;
  if (!expect.is_object()) {
    problems.push_back({"expect", "expected {\"result.path\": {\"min\": x, \"max\": y, \"equals\": v}, …}"});
    return out;
  }
  for (const auto& [path, bound] : expect.items()) {
    Expectation e{path, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
    if (!bound.is_object() || bound.empty()) {
      problems.push_back({"expect." + path, "expected {\"min\": x, \"max\": y, \"equals\": v} (at least one)"});
      continue;
    }
    if (is_text_path(path)) {
      if (bound.size() == 1 && bound.contains("equals") && bound["equals"].is_string()) e.equals_text = bound["equals"].get<std::string>();
      else problems.push_back({"expect." + path, "expected {\"equals\": \"word\"}: the result gives a word here"});
      out.push_back(e);
      continue;
    }
    for (const auto& [key, value] : bound.items()) {
      if (key == "equals" && value.is_boolean()) e.equals = value.get<bool>() ? 1.0 : 0.0;
      else if ((key == "min" || key == "max" || key == "equals") && value.is_number())
        (key == "min" ? e.min : key == "max" ? e.max : e.equals) = value.get<double>();
      else problems.push_back({"expect." + path + "." + key, "expected \"min\", \"max\" or \"equals\" with a number (equals: or true/false)"});
    }
    out.push_back(e);
  }
  return out;
}

bool is_ordering_cause_path(const std::string& path) {
  const std::string marker = "ordering.causes.";
  const auto at = path.find(marker);
  if (at == std::string::npos || (at != 0 && path.compare(0, 10, "consumers.") != 0)) return false;
  const std::string cause = path.substr(at + marker.size());
  const auto& names = ordering_cause_names();
  return std::find(names.begin(), names.end(), cause) != names.end();
}

std::vector<ExpectationCheck> check_expectations(const std::vector<Expectation>& expectations, const nlohmann::json& result) {
  std::vector<ExpectationCheck> checks;
  for (const auto& e : expectations) {
    if (e.equals_text) {
      ExpectationCheck c{e, std::nullopt, std::nullopt, false};
      const auto d = result.find("diagnosis");
      const std::string key = e.path.substr(e.path.find('.') + 1);
      if (d != result.end() && d->is_object() && d->contains(key) && (*d)[key].is_string()) c.actual_text = (*d)[key].get<std::string>();
      c.met = c.actual_text == e.equals_text;
      checks.push_back(c);
      continue;
    }
    ExpectationCheck c{e, result_value(result, e.path), std::nullopt, false};
    if (!c.actual && is_ordering_cause_path(e.path)) c.actual = 0.0;  // the cause did not occur
    c.met = c.actual && (!e.min || *c.actual >= *e.min) && (!e.max || *c.actual <= *e.max) &&
            (!e.equals || *c.actual == *e.equals);
    checks.push_back(c);
  }
  return checks;
}

bool PointExpectations::met() const {
  return std::all_of(checks.begin(), checks.end(), [](const ExpectationCheck& c) { return c.met; });
}

nlohmann::ordered_json PointExpectations::json() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < checks.size(); ++i)
    out.push_back({{"expectation", checks[i].describe().substr(0, checks[i].describe().find(':'))},
                   {"actual", checks[i].actual        ? nlohmann::ordered_json(*checks[i].actual)
                              : checks[i].actual_text ? nlohmann::ordered_json(*checks[i].actual_text)
                                                      : nlohmann::ordered_json(nullptr)},
                   {"met", checks[i].met},
                   {"replication", replication[i]}});
  return out;
}

PointExpectations judge_point(const std::string& label, const std::vector<nlohmann::json>& replications) {
  PointExpectations p{label, {}, {}};
  for (const auto& result : replications) {
    const auto configuration = result.find("configuration");
    const nlohmann::json expect = configuration != result.end() && configuration->is_object()
                                      ? configuration->value("expect", nlohmann::json())
                                      : nlohmann::json();
    std::vector<std::pair<std::string, std::string>> problems;  // the block was checked when the scenario was loaded
    const auto checks = check_expectations(read_expectations(expect, problems), result);
    const std::int64_t r = result.contains("scenario") ? result["scenario"].value("replication", std::int64_t{0}) : 0;
    if (p.checks.empty()) {
      p.checks = checks;
      p.replication.assign(checks.size(), r);
      continue;
    }
    for (std::size_t i = 0; i < checks.size() && i < p.checks.size(); ++i)
      if (p.checks[i].met) {
        p.checks[i] = checks[i];
        p.replication[i] = r;
      }
  }
  return p;
}

std::string expectations_text(const std::vector<PointExpectations>& points) {
  std::size_t with = 0, met = 0;
  std::string lines;
  for (const auto& p : points) {
    if (p.checks.empty()) continue;
    ++with;
    met += p.met();
    lines += std::string("  ") + (p.met() ? "✔ " : "✘ ") + p.label + "\n";
    for (std::size_t i = 0; i < p.checks.size(); ++i)
      if (!p.checks[i].met)
        lines += "      " + p.checks[i].describe() + " (replication " + std::to_string(p.replication[i]) + ")\n";
  }
  if (with == 0) return "";
  return "expectations (" + std::to_string(met) + " of " + std::to_string(with) + " meet theirs in every replication)\n" + lines;
}

}  // namespace shardsim
