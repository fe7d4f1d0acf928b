#pragma once
// Reads one JSON object into a typed struct through its describe(), checking each field's type
// and range, collecting every problem (with file, line:column and path) instead of stopping at
// the first, and reporting unknown keys with a "did you mean" hint.
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/scenario/diagnostics.hpp"
#include "sim/scenario/field_range.hpp"
#include "sim/scenario/json_source.hpp"
#include "sim/scenario/scenario_schema.hpp"

namespace shardsim {

struct ReadContext {
  const JsonSource& source;
  Diagnostics& diagnostics;
  bool what_if = false;
};

class ScenarioReader {
public:
  // `object` may be null (the field was absent: defaults stay).
  ScenarioReader(const nlohmann::json* object, ReadContext& context, std::string pointer, std::string display);

  void number(const char* name, double& x, const FieldRange& range, const char* doc);
  void integer(const char* name, std::int64_t& x, const FieldRange& range, const char* doc);
  void boolean(const char* name, bool& x, const char* doc);
  void text(const char* name, std::string& x, const char* doc);
  void text_list(const char* name, std::vector<std::string>& x, const char* doc);
  void any_object(const char* name, nlohmann::json& x, const char* doc);
  void number_list(const char* name, std::vector<double>& x, const FieldRange& range, const char* doc);
  template <class E> void choice(const char* name, E& x, const std::vector<std::string>& names, const char* doc);
  template <class T> void object(const char* name, T& x, const char* doc);
  template <class T>
  void optional_object(const char* name, std::optional<T>& x, const T& initial, const char* doc);
  template <class T> void list(const char* name, std::vector<T>& x, std::size_t min_items, const char* doc);
  template <class T> void map(const char* name, std::map<std::string, T>& x, const char* doc);
  bool when(bool condition) const { return condition; }

  // Reports the keys no field claimed. Call after describe().
  void finish();

private:
  const nlohmann::json* member(const char* name);
  std::string child_pointer(const std::string& name) const;
  std::string child_display(const std::string& name) const;
  void error(const std::string& name, const std::string& message);
  void check_range(const std::string& name, double x, const FieldRange& range);
  std::optional<std::int64_t> as_integer(const std::string& name, const nlohmann::json& value);
  std::size_t choice_index(const char* name, const std::vector<std::string>& names, std::size_t current);

  const nlohmann::json* object_;
  ReadContext& context_;
  std::string pointer_;
  std::string display_;
  std::vector<std::string> claimed_;
};

template <class E>
void ScenarioReader::choice(const char* name, E& x, const std::vector<std::string>& names, const char*) {
  x = static_cast<E>(choice_index(name, names, static_cast<std::size_t>(x)));
}

template <class T> void ScenarioReader::object(const char* name, T& x, const char*) {
  const nlohmann::json* value = member(name);
  if (value && !value->is_object()) {
    error(name, "expected an object {…}, got " + value->dump());
    return;
  }
  ScenarioReader child(value, context_, child_pointer(name), child_display(name));
  describe(child, x);
  child.finish();
}

template <class T>
void ScenarioReader::optional_object(const char* name, std::optional<T>& x, const T& initial, const char* doc) {
  const nlohmann::json* value = member(name);
  if (!value || value->is_null()) return;
  claimed_.pop_back();  // object() claims the name again
  x = initial;
  object(name, *x, doc);
}

template <class T>
void ScenarioReader::list(const char* name, std::vector<T>& x, std::size_t min_items, const char*) {
  const nlohmann::json* value = member(name);
  if (!value) {
    if (x.size() < min_items)
      error(name, "is required: a list of at least " + std::to_string(min_items) + " object(s)");
    return;
  }
  if (!value->is_array()) {
    error(name, "expected a list […], got " + value->dump());
    return;
  }
  if (value->size() < min_items)
    error(name, "needs at least " + std::to_string(min_items) + " element(s), got " + std::to_string(value->size()));
  x.assign(value->size(), T{});
  for (std::size_t i = 0; i < value->size(); ++i) {
    const std::string pointer = child_pointer(name) + "/" + std::to_string(i);
    const std::string display = child_display(name) + "[" + std::to_string(i) + "]";
    const nlohmann::json& element = (*value)[i];
    if (!element.is_object()) {
      context_.diagnostics.error(context_.source.locate(pointer), display,
                                 "expected an object {…}, got " + element.dump());
      continue;
    }
    ScenarioReader child(&element, context_, pointer, display);
    describe(child, x[i]);
    child.finish();
  }
}

template <class T> void ScenarioReader::map(const char* name, std::map<std::string, T>& x, const char*) {
  const nlohmann::json* value = member(name);
  if (!value) return;
  if (!value->is_object()) {
    error(name, "expected an object {\"name\": {…}, …}, got " + value->dump());
    return;
  }
  x.clear();
  for (const auto& [key, element] : value->items()) {
    const std::string pointer = child_pointer(name) + "/" + key;
    const std::string display = child_display(name) + "." + key;
    if (key.empty()) {
      context_.diagnostics.error(context_.source.locate(pointer), child_display(name), "names must not be empty");
      continue;
    }
    if (!element.is_object()) {
      context_.diagnostics.error(context_.source.locate(pointer), display,
                                 "expected an object {…}, got " + element.dump());
      continue;
    }
    ScenarioReader child(&element, context_, pointer, display);
    describe(child, x[key]);
    child.finish();
  }
}

}  // namespace shardsim
