#include "sim/scenario/trace_file.hpp"

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

// A decimal number with nothing after it (strtod alone would also take hexadecimal, "inf", "nan").
bool parse_number(const std::string& text, double& out) {
  if (text.empty() || text.find_first_not_of("0123456789.eE+-") != std::string::npos) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

// A finite number (nan and inf parse, but are no time or size).
bool parse_double(const std::string& text, double& out) { return parse_number(text, out) && std::isfinite(out); }

}  // namespace

std::vector<TraceRow> read_trace(const std::string& path, const std::string& field, Diagnostics& d) {
  std::vector<TraceRow> rows;
  if (std::filesystem::exists(path) && !std::filesystem::is_regular_file(path)) {
    d.error({path, 0, 0}, field,
            path + (std::filesystem::is_directory(path) ? " is a directory" : " is not a regular file") +
                ", not a trace file (a CSV file of time_s,partition_key,bytes[,entity] rows)");
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
    if (number == 1 && cells[0] == "time_s") continue;  // the header
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
    if (!valid_utf8(cells[1]) || (cells.size() == 4 && !valid_utf8(cells[3]))) {
      bad("the partition key and the entity must be UTF-8 text");
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
