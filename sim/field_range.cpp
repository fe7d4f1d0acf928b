#include "sim/field_range.hpp"

#include <cmath>
#include <cstdio>

namespace shardsim {

std::string format_number(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buffer[64];
  if (x == std::floor(x) && std::fabs(x) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", x);
    // Thousands separators make AWS's big limits (10,000; 604,800) readable.
    std::string digits = buffer, out;
    const bool negative = digits[0] == '-';
    if (negative) digits.erase(0, 1);
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
      out += digits[i];
    }
    return (negative ? "-" : "") + out;
  }
  std::snprintf(buffer, sizeof buffer, "%.10g", x);
  return buffer;
}

bool FieldRange::within_hard(double x) const {
  if (minus_one_allowed && x == -1) return true;
  if (min_exclusive ? !(x > min) : !(x >= min)) return false;
  return x <= max;
}

namespace {
std::string interval(double lo, bool lo_open, double hi) {
  if (lo == -FieldRange::inf && hi == FieldRange::inf) return "any number";
  if (hi == FieldRange::inf) return std::string(lo_open ? "> " : "≥ ") + format_number(lo);
  if (lo == -FieldRange::inf) return "≤ " + format_number(hi);
  return format_number(lo) + " … " + format_number(hi);
}
}  // namespace

std::string FieldRange::describe_hard() const {
  return interval(min, min_exclusive, max) + (minus_one_allowed ? ", or -1" : "");
}

std::string FieldRange::describe_aws() const {
  return interval(aws_min, false, aws_max) + (minus_one_allowed ? ", or -1" : "");
}

std::string FieldRange::describe() const {
  if (!has_aws()) return describe_hard();
  return describe_aws() + " (what_if: " + describe_hard() + ")";
}

}  // namespace shardsim
