#include "sim/overrides.hpp"

#include <nlohmann/json.hpp>

namespace shardsim {
namespace {

using nlohmann::json;

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    parts.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

bool is_index(const std::string& token) {
  return !token.empty() && token.size() < 10 && token.find_first_not_of("0123456789") == std::string::npos;
}

const char* kind_of(const json& j) {
  if (j.is_object()) return "an object";
  if (j.is_array()) return "a list";
  if (j.is_string()) return "a string";
  if (j.is_boolean()) return "a boolean";
  if (j.is_null()) return "null";
  return "a number";
}

}  // namespace

void apply_overrides(JsonSource& source, const std::vector<std::string>& overrides, Diagnostics& diagnostics) {
  for (const auto& text : overrides) {
    const SourceLocation origin{"--set " + text, 0, 0};
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0) {
      diagnostics.error(origin, "", "expected PATH=VALUE, e.g. stream.shards=8 or consumers.0.batch_size=500");
      continue;
    }
    const std::string path = text.substr(0, equals);
    const std::string raw = text.substr(equals + 1);
    const auto tokens = split(path);
    json* node = &source.document();
    std::string pointer, walked;
    bool ok = true;
    for (std::size_t i = 0; i < tokens.size() && ok; ++i) {
      const std::string& token = tokens[i];
      const bool last = i + 1 == tokens.size();
      if (token.empty()) {
        diagnostics.error(origin, path, "empty path segment (two dots, or a dot at either end)");
        ok = false;
        break;
      }
      if (node->is_array()) {
        if (!is_index(token) || std::stoul(token) >= node->size()) {
          diagnostics.error(origin, path,
                            (walked.empty() ? "the scenario" : walked) + " is a list of " +
                                std::to_string(node->size()) + " element(s); \"" + token +
                                "\" must be an index from 0 to " + std::to_string(node->size() - 1));
          ok = false;
          break;
        }
        node = &(*node)[std::stoul(token)];
      } else if (node->is_object() || node->is_null()) {
        if (!last && !node->contains(token)) (*node)[token] = json::object();
        node = &(*node)[token];
      } else {
        diagnostics.error(origin, path, walked + " is " + kind_of(*node) + ", it has no field \"" + token + "\"");
        ok = false;
        break;
      }
      pointer += "/" + token;
      walked += (walked.empty() ? "" : ".") + token;
    }
    if (!ok) continue;
    json value = json::parse(raw, nullptr, false);
    if (value.is_discarded()) value = raw;
    *node = std::move(value);
    source.mark_overridden(pointer, origin.file);
  }
}

}  // namespace shardsim
