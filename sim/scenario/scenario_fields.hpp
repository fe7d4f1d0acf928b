#pragma once
// The field reference: every scenario field with its unit, default, allowed range and meaning,
// as `shardsim fields` prints it and scenarios/README.md embeds it.
#include <string>
#include <vector>

namespace shardsim {

struct FieldInfo {
  std::string path;     // producers[].keys.count, functions.<name>.duration
  std::string kind;     // number, integer, boolean, string, list of strings, one of …, object, list, map
  std::string unit;     // from the name's suffix: s, bytes, records/s, hours, MB
  std::string default_value;
  std::string allowed;
  std::string meaning;
};

std::vector<FieldInfo> scenario_fields();
// The fields of a distribution object ({"type":"exponential","mean":0.2}), shared by every
// field whose type is "distribution".
std::vector<FieldInfo> distribution_fields();
// Markdown tables of the above.
std::string scenario_fields_markdown();
std::string distribution_fields_markdown();

}  // namespace shardsim
