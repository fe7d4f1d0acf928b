#pragma once
// Problems found in a scenario or on the command line, collected rather than thrown one at a
// time, so a user sees every problem of a file in one run. Each names the file, the line and
// column where known, the field's path (consumers[0].batch_size) and what is allowed.
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shardsim {

// A result, report or script could not be written where the user asked (a full disk, no
// permission, a file where a folder goes): a problem with the input, exit code 2.
class OutputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
};

struct Diagnostic {
  enum class Severity { error, warning };
  Severity severity = Severity::error;
  SourceLocation where;
  std::string path;     // display path of the field, empty for whole-file problems
  std::string message;  // what is wrong and what is allowed
  std::string format() const;
};

class Diagnostics {
public:
  void error(SourceLocation where, std::string path, std::string message);
  void warning(SourceLocation where, std::string path, std::string message);
  void append(const Diagnostics& other) { items_.insert(items_.end(), other.items_.begin(), other.items_.end()); }
  bool has_errors() const;
  const std::vector<Diagnostic>& all() const { return items_; }
  std::vector<Diagnostic> warnings() const;
  // Every diagnostic on its own line, errors and warnings in the order found.
  std::string format() const;

private:
  std::vector<Diagnostic> items_;
};

// A value as a message quotes it: JSON text, bytes that are not UTF-8 replaced, cut to 80
// characters (a 5 MB value is no message).
std::string quote(const nlohmann::json& value);

// The closest of `candidates` to `word` (one it begins, else by edit distance), or "" when none is close.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// Checks of text from the input: well-formed UTF-8 (as the JSON results need it); a line
// break, escape or other control character (which names, paths and script lines must not
// hold); the text with each such character shown as '?'; 1 to 9 decimal digits.
bool valid_utf8(const std::string& text);
bool has_control_character(const std::string& text);
std::string printable(const std::string& text);
bool is_digits(const std::string& text);

}  // namespace shardsim
