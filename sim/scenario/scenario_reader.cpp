#include "sim/scenario/scenario_reader.hpp"

#include <cmath>

namespace shardsim {

using nlohmann::json;

ScenarioReader::ScenarioReader(const json* object, ReadContext& context, std::string pointer, std::string display)
    : object_(object), context_(context), pointer_(std::move(pointer)), display_(std::move(display)) {}

std::string ScenarioReader::child_pointer(const std::string& name) const { return pointer_ + "/" + name; }

std::string ScenarioReader::child_display(const std::string& name) const {
  return display_.empty() ? name : display_ + "." + name;
}

const json* ScenarioReader::member(const char* name) {
  claimed_.emplace_back(name);
  if (!object_) return nullptr;
  auto it = object_->find(name);
  return it == object_->end() ? nullptr : &*it;
}

void ScenarioReader::error(const std::string& name, const std::string& message) {
  context_.diagnostics.error(context_.source.locate(child_pointer(name)), child_display(name), message);
}

void ScenarioReader::check_range(const std::string& name, double x, const FieldRange& range) {
  if (!range.within_hard(x)) {
    error(name, format_number(x) + " is not allowed; allowed: " + range.describe_hard());
    return;
  }
  if (range.has_aws() && !range.within_aws(x) && !(range.minus_one_allowed && x == -1)) {
    const std::string beyond = format_number(x) + " is beyond AWS's limit (" + range.describe_aws() + ")";
    if (context_.what_if)
      context_.diagnostics.warning(context_.source.locate(child_pointer(name)), child_display(name),
                                   beyond + "; allowed because what_if is true");
    else
      error(name, beyond + "; set \"what_if\": true to explore beyond AWS's limits");
  }
}

void ScenarioReader::number(const char* name, double& x, const FieldRange& range, const char*) {
  const json* value = member(name);
  if (!value) return;
  if (!value->is_number()) {
    error(name, "expected a number, got " + quote(*value));
    return;
  }
  x = value->get<double>();
  check_range(name, x, range);
}

std::optional<std::int64_t> ScenarioReader::as_integer(const std::string& name, const json& value) {
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    error(name, "expected an integer up to 9,223,372,036,854,775,807, got " + quote(value));
    return std::nullopt;
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (d == std::floor(d) && std::fabs(d) < 9e15) return static_cast<std::int64_t>(d);
  }
  error(name, "expected an integer, got " + quote(value));
  return std::nullopt;
}

void ScenarioReader::integer(const char* name, std::int64_t& x, const FieldRange& range, const char*) {
  const json* value = member(name);
  if (!value) return;
  if (auto v = as_integer(name, *value)) {
    x = *v;
    check_range(name, static_cast<double>(x), range);
  }
}

void ScenarioReader::boolean(const char* name, bool& x, const char*) {
  const json* value = member(name);
  if (!value) return;
  if (!value->is_boolean()) {
    error(name, "expected true or false, got " + quote(*value));
    return;
  }
  x = value->get<bool>();
}

void ScenarioReader::text(const char* name, std::string& x, const char*) {
  const json* value = member(name);
  if (!value) return;
  if (!value->is_string()) {
    error(name, "expected a string, got " + quote(*value));
    return;
  }
  x = value->get<std::string>();
}

void ScenarioReader::any_object(const char* name, nlohmann::json& x, const char*) {
  const json* value = member(name);
  if (!value || value->is_null()) return;
  if (!value->is_object()) {
    error(name, "expected an object {…}, got " + quote(*value));
    return;
  }
  x = *value;
}

void ScenarioReader::text_list(const char* name, std::vector<std::string>& x, const char*) {
  const json* value = member(name);
  if (!value) return;
  if (!value->is_array()) {
    error(name, "expected a list of strings, got " + quote(*value));
    return;
  }
  x.clear();
  for (const auto& element : *value) {
    if (element.is_string()) x.push_back(element.get<std::string>());
    else if (element.is_number_integer()) x.push_back(element.dump());  // ["1","2"] may be written [1,2]
    else {
      error(name, "expected a list of strings, got element " + quote(element));
      return;
    }
  }
}

void ScenarioReader::number_list(const char* name, std::vector<double>& x, const FieldRange& range, const char*) {
  const json* value = member(name);
  if (!value) return;
  if (!value->is_array()) {
    error(name, "expected a list of numbers, got " + quote(*value));
    return;
  }
  x.clear();
  for (const auto& element : *value) {
    if (!element.is_number()) {
      error(name, "expected a list of numbers, got element " + quote(element));
      return;
    }
    x.push_back(element.get<double>());
    check_range(name, x.back(), range);
  }
}

std::size_t ScenarioReader::choice_index(const char* name, const std::vector<std::string>& names,
                                         std::size_t current) {
  const json* value = member(name);
  if (!value) return current;
  std::string allowed;
  for (const auto& n : names) allowed += (allowed.empty() ? "" : ", ") + n;
  if (!value->is_string()) {
    error(name, "expected one of " + allowed + "; got " + quote(*value));
    return current;
  }
  const auto text = value->get<std::string>();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == text) return i;
  const std::string hint = did_you_mean(text, names);
  error(name, "\"" + text + "\" is not one of " + allowed + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
  return current;
}

void ScenarioReader::finish() {
  if (!object_) return;
  for (const auto& [key, value] : object_->items()) {
    if (std::find(claimed_.begin(), claimed_.end(), key) != claimed_.end()) continue;
    const std::string hint = did_you_mean(key, claimed_);
    std::string known;
    for (const auto& c : claimed_) known += (known.empty() ? "" : ", ") + c;
    context_.diagnostics.error(
        context_.source.locate(child_pointer(key)), child_display(key),
        "unknown field" + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") + "; fields here: " + known);
  }
}

}  // namespace shardsim
