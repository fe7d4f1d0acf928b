#pragma once
// Reading a sweep: a scenario's `sweep` block expanded into points and its objectives read
// (analysis/sweep_plan has the types); sim/sweep_runner runs the points.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/sweep_grid.hpp"
#include "sim/scenario/diagnostics.hpp"
#include "sim/scenario/json_source.hpp"

namespace shardsim {

// Expands the scenario's `sweep` block (product or zip; lists or ranges) and reads its
// objectives. Problems go to `diagnostics` with the file and the field's path.
// `order`: parameter paths in the order the file lists them (a JSON object does not keep it);
// parameters not listed follow in alphabetical order.
SweepGrid sweep_grid(const nlohmann::json& sweep, const nlohmann::json& objectives, std::int64_t replications,
                     const std::string& file, Diagnostics& diagnostics, const std::vector<std::string>& order = {});

// The keys of `object`, found at JSON pointer `pointer` of `file`, in the order the file lists
// them (a JSON object does not keep it); keys an override added come last.
std::vector<std::string> keys_in_file_order(const std::string& file, const std::string& pointer,
                                            const nlohmann::json& object);

// Where in the file a sweep, grid or objectives problem lies (problems found on the parsed
// blocks carry only the display path).
SourceLocation locate_block_field(const JsonSource& source, const Diagnostic& problem);

// The sweep of a scenario file with --set overrides: its grid, with every point checked as a
// full scenario before anything runs. Empty (and the problems in `diagnostics`) when invalid.
std::optional<SweepGrid> load_sweep_grid(const std::string& file, const std::vector<std::string>& overrides,
                                         Diagnostics& diagnostics);

}  // namespace shardsim
