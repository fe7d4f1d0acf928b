#pragma once
// A streaming histogram of non-negative values with bounded relative error: log-linear buckets
// (as HdrHistogram's), each binary order of magnitude [2^e, 2^(e+1)) split into 2^k equal
// buckets, so a value's bucket is read off its bits (exponent and top k mantissa bits) without
// a logarithm. A bucket [lo, hi) reports 2 lo hi / (lo + hi), within (hi - lo) / (hi + lo) ≤
// 1 / (2^(k+1) + 1) of every value in it: with k = 7, 0.39 %. Memory grows with log(max / min),
// never with the number of values; mean, min and max are exact.
#include <cstdint>
#include <vector>

namespace shardsim {

class Histogram {
public:
  static constexpr int kMantissaBits = 7;
  static constexpr double kRelativeAccuracy = 1.0 / ((2 << kMantissaBits) + 1);

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
  static int index_of(double value);
  static double value_of(int index);

  std::vector<std::uint64_t> buckets_;  // buckets_[i] counts values in bucket i + offset_
  int offset_ = 0;
  std::uint64_t zeros_ = 0;  // values below kMinPositive
  std::uint64_t count_ = 0;
  double sum_ = 0, min_ = 0, max_ = 0;
};

}  // namespace shardsim
