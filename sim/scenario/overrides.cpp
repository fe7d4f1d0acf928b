#include "sim/scenario/overrides.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "sim/scenario/scenario_fields.hpp"

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

constexpr int kMaxOverrideDepth = 64;

const char* kind_of(const json& j) {
  if (j.is_object()) return "an object";
  if (j.is_array()) return "a list";
  if (j.is_string()) return "a string";
  if (j.is_boolean()) return "a boolean";
  if (j.is_null()) return "null";
  return "a number";
}

// The schema's paths of maps and lists ("functions", "producers", "producers[].arrival.points").
struct Containers {
  std::set<std::string> maps, lists;
  Containers() {
    for (const auto& f : scenario_fields()) {
      if (f.kind.rfind("map", 0) == 0) maps.insert(f.path);
      if (f.kind.rfind("list", 0) == 0) lists.insert(f.path);
    }
  }
};

const Containers& containers() {
  static const Containers c;
  return c;
}

std::string entries_of(const json& map) {
  std::string out;
  for (const auto& [key, value] : map.items()) out += (out.empty() ? "" : ", ") + key;
  return out.empty() ? "none" : out;
}

}  // namespace

void apply_overrides(JsonSource& source, const std::vector<std::string>& overrides, Diagnostics& diagnostics) {
  for (const auto& text : overrides) {
    if (!valid_utf8(text)) {
      // Quoting it would need the same bytes: name the option by its position instead.
      diagnostics.error({"--set #" + std::to_string(&text - overrides.data() + 1), 0, 0}, "",
                        "the override is not valid UTF-8 text");
      continue;
    }
    const SourceLocation origin{"--set " + text, 0, 0};
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0) {
      diagnostics.error(origin, "", "expected PATH=VALUE, e.g. stream.shards=8 or consumers.0.batch_size=500");
      continue;
    }
    const bool add = text[equals - 1] == '+';
    const std::string path = text.substr(0, add ? equals - 1 : equals);
    const std::string raw = text.substr(equals + 1);
    const auto tokens = split(path);
    json* node = &source.document();
    json* parent = nullptr;  // the object holding node, when it is a field
    bool absent = false;     // null for a field that is not there: nothing to do
    std::string pointer, walked, schema;  // schema: the field reference's path (producers[].keys)
    bool ok = true;
    for (std::size_t i = 0; i < tokens.size() && ok; ++i) {
      const std::string& token = tokens[i];
      const bool last = i + 1 == tokens.size();
      const std::string here = walked.empty() ? "the scenario" : walked;
      if (token.empty()) {
        diagnostics.error(origin, path, "empty path segment (two dots, or a dot at either end)");
        ok = false;
        break;
      }
      if (node->is_array()) {
        if (!is_digits(token) || std::stoul(token) >= node->size()) {
          const std::string allowed = node->empty() ? "it is empty"
                                                    : "\"" + token + "\" must be an index from 0 to " +
                                                          std::to_string(node->size() - 1);
          diagnostics.error(origin, path,
                            here + " is a list of " + std::to_string(node->size()) + " element(s); " + allowed +
                                " (to add an element: --set " + walked + "+=VALUE)");
          ok = false;
          break;
        }
        parent = nullptr;
        node = &(*node)[std::stoul(token)];
        schema += "[]";
      } else if (node->is_object() || node->is_null()) {
        const bool map = containers().maps.count(schema) > 0;
        const bool present = node->is_object() && node->contains(token);
        if (map && !present && !(add && last)) {
          diagnostics.error(origin, path,
                            here + " has no entry \"" + token + "\" (it has: " + entries_of(*node) +
                                "); to add one: --set " + walked + "." + token + "+=VALUE");
          ok = false;
          break;
        }
        if (map && present && add && last) {
          diagnostics.error(origin, path, here + " already has an entry \"" + token + "\"; set its fields with =");
          ok = false;
          break;
        }
        const std::string field = map ? schema + ".<name>" : (schema.empty() ? token : schema + "." + token);
        if (!present && !last) (*node)[token] = containers().lists.count(field) ? json::array() : json::object();
        if (last && !present && raw == "null") {  // removing a field that is not there
          absent = true;
          break;
        }
        parent = node;
        node = &(*node)[token];
        schema = field;
      } else {
        diagnostics.error(origin, path, walked + " is " + kind_of(*node) + ", it has no field \"" + token + "\"");
        ok = false;
        break;
      }
      pointer += "/" + token;
      walked += (walked.empty() ? "" : ".") + token;
    }
    if (ok && add && !containers().maps.count(schema.substr(0, schema.rfind('.'))) && !containers().lists.count(schema)) {
      diagnostics.error(origin, path, "+= adds a list element or a map entry; " + walked + " is neither (use =)");
      ok = false;
    }
    if (!ok || absent) continue;
    // A value nests as deeply as a scenario may (deeper is refused, not recursed into).
    bool too_deep = false;
    json value = json::parse(
        raw, [&](int depth, json::parse_event_t, json&) { return !(too_deep = too_deep || depth > kMaxOverrideDepth); }, false);
    if (too_deep) {
      diagnostics.error(origin, "", "the value nests deeper than " + std::to_string(kMaxOverrideDepth) + " levels");
      continue;
    }
    if (value.is_discarded()) value = raw;
    if (value.is_null() && !add && parent) {
      // null removes the field: its default applies (as a JSON merge patch does).
      parent->erase(tokens.back());
    } else if (add && containers().lists.count(schema)) {
      if (node->is_null()) *node = json::array();
      pointer += "/" + std::to_string(node->size());
      node->push_back(std::move(value));
    } else {
      *node = std::move(value);
    }
    source.mark_overridden(pointer, origin.file);
  }
}

}  // namespace shardsim
