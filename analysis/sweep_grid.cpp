#include "analysis/sweep_grid.hpp"

#include <cctype>
#include <cstdio>

#include "models/base/number_format.hpp"

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

std::optional<double> result_value(const json& result, const std::string& dotted_path) {
  const json* node = &result;
  std::size_t start = 0;
  while (true) {
    const auto dot = dotted_path.find('.', start);
    const std::string key = dotted_path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (node->is_array()) {  // a list element by its index: consumers.0.latency_s.p99
      if (key.empty() || key.find_first_not_of("0123456789") != std::string::npos || std::stoul(key) >= node->size())
        return std::nullopt;
      node = &(*node)[std::stoul(key)];
    } else {
      if (!node->is_object() || !node->contains(key)) return std::nullopt;
      node = &(*node)[key];
    }
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
