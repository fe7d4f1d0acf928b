#pragma once
// Command-line overrides of scenario fields: --set stream.shards=8,
// --set consumers.0.parallelization_factor=10. The value is parsed as JSON and taken as a
// string when it is not JSON (--set producers.0.keys.prefix=user-).
// PATH=VALUE sets what the scenario has or what its defaults give (a field of an object absent
// from the file); it never creates a list element or a map entry. PATH+=VALUE adds one
// explicitly: --set consumers+={"function":"f"} appends to a list, --set functions.g+={}
// adds a map entry (an error if it exists).
#include <string>
#include <vector>

#include "sim/scenario/diagnostics.hpp"
#include "sim/scenario/json_source.hpp"

namespace shardsim {

// Applies each override in order to source.document(); problems go to `diagnostics`.
void apply_overrides(JsonSource& source, const std::vector<std::string>& overrides, Diagnostics& diagnostics);

}  // namespace shardsim
