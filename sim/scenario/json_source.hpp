#pragma once
// A JSON document read from a file, remembering where each value stood (line:column), so errors
// found later, while checking fields, can point into the file. Duplicate keys are reported
// (plain nlohmann::json would keep the last one silently).
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/scenario/diagnostics.hpp"

namespace shardsim {

// "/consumers/0/batch_size" → "consumers[0].batch_size", as errors show paths.
std::string display_path(const std::string& pointer);

class JsonSource {
public:
  // Parses `text`; syntax errors and duplicate keys go to `diagnostics`.
  JsonSource(std::string file, const std::string& text, Diagnostics& diagnostics);
  static JsonSource from_file(const std::string& file, Diagnostics& diagnostics);

  const std::string& file() const { return file_; }
  nlohmann::json& document() { return document_; }
  const nlohmann::json& document() const { return document_; }
  bool parsed() const { return parsed_; }
  // Where the value at a JSON pointer ("/consumers/0/batch_size") was written; for a member
  // of an object, the position of its key. Line 0 when the value did not come from the file.
  SourceLocation locate(const std::string& pointer) const;
  // The value at `pointer` (and below) now comes from the command line: errors about it name
  // `origin` (e.g. "--set stream.shards=0") instead of a place in the file.
  void mark_overridden(const std::string& pointer, const std::string& origin);

private:
  JsonSource() = default;
  std::string file_;
  nlohmann::json document_;
  bool parsed_ = false;
  std::map<std::string, SourceLocation> positions_;
};

}  // namespace shardsim
