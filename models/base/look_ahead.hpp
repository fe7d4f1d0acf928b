#pragma once
// A FIFO of at most N elements (N a power of two) in place: the producers' look-ahead queues,
// which hold a dozen records and pass every record of a run once. A push or pop is an index
// and a mask; a BlockQueue took a block check and a division per access.
#include <array>
#include <cstddef>

namespace shardsim {

template <class T, std::size_t N>
class LookAhead {
  static_assert(N > 0 && (N & (N - 1)) == 0, "the capacity is a power of two");

public:
  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == N; }
  std::size_t size() const { return size_; }
  // i-th element from the front (i < size()).
  T& operator[](std::size_t i) { return slots_[(head_ + i) & (N - 1)]; }
  const T& operator[](std::size_t i) const { return slots_[(head_ + i) & (N - 1)]; }
  T& front() { return slots_[head_]; }
  const T& front() const { return slots_[head_]; }
  // Requires !full(). Returns the stored element.
  T& push_back(const T& value) { return slots_[(head_ + size_++) & (N - 1)] = value; }
  // Requires !empty().
  void pop_front() {
    head_ = (head_ + 1) & (N - 1);
    --size_;
  }

private:
  std::array<T, N> slots_{};
  std::size_t head_ = 0, size_ = 0;
};

}  // namespace shardsim
