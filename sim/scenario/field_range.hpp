#pragma once
// The allowed values of a numeric scenario field: a hard range (what makes sense at all) and
// AWS's documented range inside it (going beyond needs "what_if": true).
#include <limits>
#include <string>

#include "models/base/number_format.hpp"

namespace shardsim {

struct FieldRange {
  static constexpr double inf = std::numeric_limits<double>::infinity();
  double min = -inf;
  double max = inf;
  bool min_exclusive = false;
  double aws_min = -inf;
  double aws_max = inf;
  bool minus_one_allowed = false;  // -1 is a sentinel ("none", "infinite") outside the range

  FieldRange aws(double lo, double hi) const {
    FieldRange r = *this;
    r.aws_min = lo;
    r.aws_max = hi;
    return r;
  }
  FieldRange or_minus_one() const {
    FieldRange r = *this;
    r.minus_one_allowed = true;
    return r;
  }
  bool within_hard(double x) const;
  bool within_aws(double x) const { return x >= aws_min && x <= aws_max; }
  bool has_aws() const { return aws_min > -inf || aws_max < inf; }
  // "≥ 1", "> 0", "1 … 10", with AWS's range when it is narrower: "≥ 1 (AWS: 1 … 10)".
  std::string describe() const;
  std::string describe_hard() const;
  std::string describe_aws() const;
};

inline FieldRange any_number() { return {}; }
inline FieldRange at_least(double lo) { FieldRange r; r.min = lo; return r; }
inline FieldRange positive() { FieldRange r; r.min = 0; r.min_exclusive = true; return r; }
inline FieldRange between(double lo, double hi) { FieldRange r; r.min = lo; r.max = hi; return r; }

}  // namespace shardsim
