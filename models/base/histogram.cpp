#include "models/base/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace shardsim {
// The point of bucket i's range [lo, hi) whose relative distance to both ends is the same.
double Histogram::value_of(int index) {
  double lo, hi;
  const std::uint64_t lo_bits = static_cast<std::uint64_t>(index) << kDropBits;
  const std::uint64_t hi_bits = static_cast<std::uint64_t>(index + 1) << kDropBits;
  std::memcpy(&lo, &lo_bits, sizeof lo);
  std::memcpy(&hi, &hi_bits, sizeof hi);
  return 2 * lo * hi / (lo + hi);
}

void Histogram::grow_to(int i) {
  if (buckets_.empty()) {
    offset_ = i;
    buckets_.push_back(0);
  } else if (i < offset_) {
    buckets_.insert(buckets_.begin(), static_cast<std::size_t>(offset_ - i), 0);
    offset_ = i;
  } else if (i >= offset_ + static_cast<int>(buckets_.size())) {
    buckets_.resize(static_cast<std::size_t>(i - offset_ + 1), 0);
  }
}

void Histogram::merge(const Histogram& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
  count_ += other.count_;
  zeros_ += other.zeros_;
  if (other.buckets_.empty()) return;
  if (buckets_.empty()) {
    buckets_ = other.buckets_;
    offset_ = other.offset_;
    return;
  }
  const int lo = std::min(offset_, other.offset_);
  const int hi = std::max(offset_ + static_cast<int>(buckets_.size()), other.offset_ + static_cast<int>(other.buckets_.size()));
  std::vector<std::uint64_t> merged(static_cast<std::size_t>(hi - lo), 0);
  for (std::size_t i = 0; i < buckets_.size(); ++i) merged[i + static_cast<std::size_t>(offset_ - lo)] += buckets_[i];
  for (std::size_t i = 0; i < other.buckets_.size(); ++i)
    merged[i + static_cast<std::size_t>(other.offset_ - lo)] += other.buckets_[i];
  buckets_ = std::move(merged);
  offset_ = lo;
}

double Histogram::quantile(double q) const {
  if (count_ == 0) return 0.0;
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_))));
  if (rank >= count_) return max_;
  if (rank <= 1) return min_;
  std::uint64_t seen = zeros_;
  if (seen >= rank) return min_;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::clamp(value_of(static_cast<int>(i) + offset_), min_, max_);
  }
  return max_;
}

}  // namespace shardsim
