#pragma once
// A streaming histogram of non-negative values with bounded relative error: logarithmic buckets
// with ratio gamma = (1 + a) / (1 - a) (the DDSketch construction, Masson et al., VLDB 2019), so
// every reported quantile is within a = 0.5 % of a value of the right rank. Memory grows with
// log(max / min), never with the number of values; mean, min and max are exact.
#include <cstdint>
#include <vector>

namespace shardsim {

class Histogram {
public:
  static constexpr double kRelativeAccuracy = 0.005;

  void add(double value);
  void merge(const Histogram& other);
  std::uint64_t count() const { return count_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  double min() const { return count_ ? min_ : 0.0; }
  double max() const { return count_ ? max_ : 0.0; }
  // The q-quantile (0 ≤ q ≤ 1) by the nearest-rank rule: the value of rank ceil(q·n) (at least 1),
  // within kRelativeAccuracy. 0 when empty.
  double quantile(double q) const;

private:
  int index_of(double value) const;
  double value_of(int index) const;

  std::vector<std::uint64_t> buckets_;  // buckets_[i] counts values in (g^(i+offset-1), g^(i+offset)]
  int offset_ = 0;
  std::uint64_t zeros_ = 0;  // values below kMinPositive
  std::uint64_t count_ = 0;
  double sum_ = 0, min_ = 0, max_ = 0;
};

}  // namespace shardsim
