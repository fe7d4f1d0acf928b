#pragma once
// Text from scenarios (names, parameter paths and values) written into gnuplot scripts and data
// files. gnuplot evaluates what it reads as commands (system() among them), so user text goes in
// only as string literals that cannot end early: single-quoted, a quote doubled (gnuplot's own
// escape), and line breaks and other control characters (which would end the command) turned
// into spaces.
#include <string>

namespace shardsim {

// Text as a gnuplot single-quoted string literal, quotes included.
inline std::string gnuplot_string(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "''";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) out += ' ';
    else out += c;
  }
  return out + "'";
}

// Text as a double-quoted label in a data file: no double quotes or line breaks inside.
inline std::string gnuplot_data_label(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += c == '"' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c;
  return out + "\"";
}

}  // namespace shardsim
