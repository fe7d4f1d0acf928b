#include "sim/scenario/scenario_fields.hpp"

#include <nlohmann/json.hpp>

#include "sim/scenario/scenario_schema.hpp"
#include "sim/scenario/scenario_writer.hpp"

namespace shardsim {
namespace {

std::string unit_of(const std::string& name) {
  auto ends = [&](const std::string& suffix) {
    return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends("_per_s")) return "1/s";
  if (ends("_s")) return "s";
  if (ends("_bytes")) return "bytes";
  if (ends("_hours")) return "hours";
  if (ends("_mb")) return "MB";
  return "";
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Visits a default-constructed instance of each struct and every branch of each variant.
class FieldLister {
public:
  FieldLister(std::vector<FieldInfo>& out, std::string prefix) : out_(out), prefix_(std::move(prefix)) {}

  void number(const char* name, double& x, const FieldRange& r, const char* doc) {
    add(name, "number", format_number(x), r.describe(), doc);
  }
  void integer(const char* name, std::int64_t& x, const FieldRange& r, const char* doc) {
    add(name, "integer", format_number(static_cast<double>(x)), r.describe(), doc);
  }
  void boolean(const char* name, bool& x, const char* doc) { add(name, "boolean", x ? "true" : "false", "true, false", doc); }
  void text(const char* name, std::string& x, const char* doc) { add(name, "string", x.empty() ? "" : "\"" + x + "\"", "", doc); }
  void text_list(const char* name, std::vector<std::string>&, const char* doc) { add(name, "list of strings", "", "", doc); }
  void any_object(const char* name, nlohmann::json&, const char* doc) { add(name, "object or null", "null", "", doc); }
  void number_list(const char* name, std::vector<double>&, const FieldRange& r, const char* doc) {
    add(name, "list of numbers", "", "each " + r.describe(), doc);
  }
  template <class E> void choice(const char* name, E& x, const std::vector<std::string>& names, const char* doc) {
    add(name, "string", names.at(static_cast<std::size_t>(x)), join(names), doc);
  }
  template <class T> void object(const char* name, T& x, const char* doc) {
    if constexpr (std::is_same_v<T, Distribution>) {
      // Distributions share one table (distribution_fields_markdown); here only the default.
      add(name, "distribution", ScenarioWriter::write(x).dump(), "see Distributions", doc);
    } else {
      add(name, "object", "", "", doc);
      nested(x, prefix_ + name + ".");
    }
  }
  template <class T> void optional_object(const char* name, std::optional<T>&, const T& initial, const char* doc) {
    add(name, "object or null", "null", "", doc);
    T element = initial;
    nested(element, prefix_ + name + ".");
  }
  template <class T> void list(const char* name, std::vector<T>&, std::size_t min_items, const char* doc) {
    add(name, "list of objects", "", min_items ? "≥ " + std::to_string(min_items) + " element(s)" : "", doc);
    T element{};
    nested(element, prefix_ + name + "[].");
  }
  template <class T> void map(const char* name, std::map<std::string, T>&, const char* doc) {
    add(name, "map of objects", "", "", doc);
    T element{};
    nested(element, prefix_ + name + ".<name>.");
  }
  bool when(bool) const { return true; }

private:
  template <class T> void nested(T& x, std::string prefix) {
    FieldLister child(out_, std::move(prefix));
    describe(child, x);
  }
  void add(const char* name, std::string kind, std::string def, std::string allowed, const char* doc) {
    const std::string path = prefix_ + name;
    for (const auto& f : out_)
      if (f.path == path) return;  // a field shared by several variants is listed once
    out_.push_back({path, std::move(kind), unit_of(name), std::move(def), std::move(allowed), doc});
  }

  std::vector<FieldInfo>& out_;
  std::string prefix_;
};

template <class T> std::vector<FieldInfo> fields_of() {
  std::vector<FieldInfo> fields;
  T defaults{};
  FieldLister lister(fields, "");
  describe(lister, defaults);
  return fields;
}

std::string markdown_table(const std::vector<FieldInfo>& fields) {
  std::string out = "| field | type | unit | default | allowed | meaning |\n|---|---|---|---|---|---|\n";
  for (const auto& f : fields) {
    out += "| `" + f.path + "` | " + f.kind + " | " + f.unit + " | " + (f.default_value.empty() ? "" : "`" + f.default_value + "`") +
           " | " + f.allowed + " | " + f.meaning + " |\n";
  }
  return out;
}

}  // namespace

std::vector<FieldInfo> scenario_fields() { return fields_of<Scenario>(); }
std::vector<FieldInfo> distribution_fields() { return fields_of<Distribution>(); }
std::string scenario_fields_markdown() { return markdown_table(scenario_fields()); }
std::string distribution_fields_markdown() { return markdown_table(distribution_fields()); }

}  // namespace shardsim
