#pragma once
// Writes a typed scenario back to JSON, every field present (defaults filled in), in the order
// the schema declares them: what `shardsim validate --print` shows and results embed.
#include <nlohmann/json.hpp>

#include "sim/scenario/scenario_schema.hpp"

namespace shardsim {

class ScenarioWriter {
public:
  explicit ScenarioWriter(nlohmann::ordered_json& out) : out_(out) {}

  void number(const char* name, double& x, const FieldRange&, const char*) { out_[name] = x; }
  void integer(const char* name, std::int64_t& x, const FieldRange&, const char*) { out_[name] = x; }
  void boolean(const char* name, bool& x, const char*) { out_[name] = x; }
  void text(const char* name, std::string& x, const char*) { out_[name] = x; }
  void text_list(const char* name, std::vector<std::string>& x, const char*) { out_[name] = x; }
  void any_object(const char* name, nlohmann::json& x, const char*) { out_[name] = nlohmann::ordered_json::parse(x.dump()); }
  void number_list(const char* name, std::vector<double>& x, const FieldRange&, const char*) { out_[name] = x; }
  template <class E> void choice(const char* name, E& x, const std::vector<std::string>& names, const char*) {
    out_[name] = names.at(static_cast<std::size_t>(x));
  }
  template <class T> void object(const char* name, T& x, const char*) { out_[name] = write(x); }
  template <class T> void optional_object(const char* name, std::optional<T>& x, const T&, const char*) {
    out_[name] = x ? write(*x) : nlohmann::ordered_json(nullptr);
  }
  template <class T> void list(const char* name, std::vector<T>& x, std::size_t, const char*) {
    auto& array = out_[name] = nlohmann::ordered_json::array();
    for (auto& element : x) array.push_back(write(element));
  }
  template <class T> void map(const char* name, std::map<std::string, T>& x, const char*) {
    auto& object = out_[name] = nlohmann::ordered_json::object();
    for (auto& [key, element] : x) object[key] = write(element);
  }
  bool when(bool condition) const { return condition; }

  template <class T> static nlohmann::ordered_json write(const T& value) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    ScenarioWriter writer(out);
    T copy = value;  // describe() takes a mutable reference; the writer only reads
    describe(writer, copy);
    return out;
  }

private:
  nlohmann::ordered_json& out_;
};

}  // namespace shardsim
