#pragma once
// Reads a producer's trace: a CSV file of rows time_s,partition_key,bytes[,entity], times
// non-decreasing. A first line that does not start with a number is taken as a header.
// Problems are reported with the file and line.
#include <string>
#include <vector>

#include "sim/scenario/diagnostics.hpp"
#include "sim/scenario/scenario.hpp"

namespace shardsim {

std::vector<TraceRow> read_trace(const std::string& path, const std::string& field, Diagnostics& diagnostics);

}  // namespace shardsim
