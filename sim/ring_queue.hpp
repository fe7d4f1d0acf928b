#pragma once
// A FIFO queue in one ring buffer that doubles when full and never shrinks. The record path
// pushes and pops hundreds of millions of records: std::deque allocates and frees a 512-byte
// node every dozen 40-byte records, and the allocator and page faults showed in profiles; a
// ring reaches its peak size once and then reuses it.
#include <cstddef>
#include <utility>
#include <vector>

namespace shardsim {

template <class T>
class RingQueue {
public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  // i-th element from the front.
  T& operator[](std::size_t i) { return slots_[(head_ + i) & mask_]; }
  const T& operator[](std::size_t i) const { return slots_[(head_ + i) & mask_]; }
  T& front() { return slots_[head_]; }
  const T& front() const { return slots_[head_]; }

  void push_back(const T& value) {
    if (size_ == slots_.size()) grow();
    slots_[(head_ + size_) & mask_] = value;
    ++size_;
  }
  void pop_front() { pop_front(1); }
  // Drops the first n elements (n ≤ size()).
  void pop_front(std::size_t n) {
    head_ = (head_ + n) & mask_;
    size_ -= n;
  }
  void clear() { head_ = size_ = 0; }

private:
  void grow() {
    std::vector<T> bigger(slots_.empty() ? 16 : 2 * slots_.size());
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = std::move((*this)[i]);
    slots_ = std::move(bigger);
    head_ = 0;
    mask_ = slots_.size() - 1;
  }
  std::vector<T> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
  std::size_t mask_ = 0;
};

}  // namespace shardsim
