#include "sim/scenario/field_range.hpp"

#include <cmath>
#include <cstdio>

namespace shardsim {

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
