#pragma once
// A streaming histogram of non-negative values with bounded relative error: log-linear buckets
// (as HdrHistogram's), each binary order of magnitude [2^e, 2^(e+1)) split into 2^k equal
// buckets, so a value's bucket is read off its bits (exponent and top k mantissa bits) without
// a logarithm. A bucket [lo, hi) reports 2 lo hi / (lo + hi), within (hi - lo) / (hi + lo) ≤
// 1 / (2^(k+1) + 1) of every value in it: with k = 7, 0.39 %. Memory grows with log(max / min),
// never with the number of values; mean, min and max are exact.
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace shardsim {

class Histogram {
public:
  static constexpr int kMantissaBits = 7;
  static constexpr double kRelativeAccuracy = 1.0 / ((2 << kMantissaBits) + 1);

  void add(double value) { add(value, 1); }
  // `times` values equal to `value` (inline: it is on every record's path).
  [[gnu::always_inline]] void add(double value, std::uint64_t times) {
    if (times == 0) return;
    min_ = value < min_ ? value : min_;  // from +inf and -inf: the first value sets both
    max_ = value > max_ ? value : max_;
    sum_ += value * static_cast<double>(times);
    count_ += times;
    if (value < kMinPositive) {
      zeros_ += times;
      return;
    }
    const int index = index_of(value);
    const auto i = static_cast<std::size_t>(index - offset_);  // below offset_: wraps past size()
    if (i >= buckets_.size()) {
      grow_to(index);
      buckets_[static_cast<std::size_t>(index - offset_)] += times;
      return;
    }
    buckets_[i] += times;
  }
  void merge(const Histogram& other);
  std::uint64_t count() const { return count_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  double min() const { return count_ ? min_ : 0.0; }
  double max() const { return count_ ? max_ : 0.0; }
  // The q-quantile (0 ≤ q ≤ 1) by the nearest-rank rule: the value of rank ceil(q·n) (at least 1),
  // within kRelativeAccuracy. 0 when empty.
  double quantile(double q) const;

private:
  static constexpr double kMinPositive = 1e-9;  // 1 ns: smaller durations count as 0
  static constexpr int kDropBits = 52 - kMantissaBits;
  // A positive, finite double's bits are its biased exponent then its 52 mantissa bits, so the
  // top bits order buckets as the values, and bucket i + 1 starts where bucket i ends (across a
  // power of two too).
  static int index_of(double value) {
    std::uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return static_cast<int>(bits >> kDropBits);
  }
  static double value_of(int index);
  // Makes bucket `index` exist.
  void grow_to(int index);

  std::vector<std::uint64_t> buckets_;  // buckets_[i] counts values in bucket i + offset_
  int offset_ = 0;
  std::uint64_t zeros_ = 0;  // values below kMinPositive
  std::uint64_t count_ = 0;
  double sum_ = 0;
  double min_ = std::numeric_limits<double>::infinity(), max_ = -std::numeric_limits<double>::infinity();
};

}  // namespace shardsim
