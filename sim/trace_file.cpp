#include "sim/trace_file.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace shardsim {
namespace {

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  std::string cell;
  while (std::getline(in, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

// A number with nothing after it.
bool parse_number(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size();
}

// A finite number (nan and inf parse, but are no time or size).
bool parse_double(const std::string& text, double& out) { return parse_number(text, out) && std::isfinite(out); }

}  // namespace

std::vector<TraceRow> read_trace(const std::string& path, const std::string& field, Diagnostics& d) {
  std::vector<TraceRow> rows;
  if (std::filesystem::is_directory(path)) {
    d.error({path, 0, 0}, field, path + " is a directory, not a trace file");
    return rows;
  }
  std::ifstream in(path);
  if (!in) {
    d.error({path, 0, 0}, field, "cannot open the trace file " + path);
    return rows;
  }
  std::string line;
  int number = 0, errors = 0;
  while (std::getline(in, line) && errors < 10) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto cells = split_csv(line);
    double time = 0, bytes = 0;
    if (number == 1 && !parse_number(cells[0], time)) continue;  // a header
    auto bad = [&](const std::string& message) {
      d.error({path, number, 1}, field, message + "; rows are time_s,partition_key,bytes[,entity]");
      ++errors;
    };
    if (cells.size() < 3 || cells.size() > 4) {
      bad("expected 3 or 4 columns, got " + std::to_string(cells.size()));
      continue;
    }
    if (!parse_double(cells[0], time) || time < 0) {
      bad("time_s \"" + cells[0] + "\" is not a finite number ≥ 0");
      continue;
    }
    if (!rows.empty() && time < rows.back().time_s) {
      bad("time_s " + cells[0] + " is earlier than the row before: times must not decrease");
      continue;
    }
    if (cells[1].empty() || cells[1].size() > 256) {
      bad("the partition key must have 1 … 256 characters");
      continue;
    }
    if (!parse_double(cells[2], bytes) || bytes < 1 || bytes > 1048576 || bytes != static_cast<double>(static_cast<std::uint32_t>(bytes))) {
      bad("bytes \"" + cells[2] + "\" is not a whole number of 1 … 1,048,576");
      continue;
    }
    rows.push_back({time, cells[1], static_cast<std::uint32_t>(bytes), cells.size() == 4 ? cells[3] : ""});
  }
  if (errors == 0 && rows.empty()) d.error({path, 0, 0}, field, "the trace has no rows");
  return rows;
}

}  // namespace shardsim
