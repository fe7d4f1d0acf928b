#pragma once
// A FIFO queue stored in fixed-size blocks taken from, and returned to, a pool shared by every
// queue of the same element type. The record path pushes and pops hundreds of millions of
// records through thousands of queues (shard logs, lane buffers): std::deque allocates and
// frees a 512-byte node every dozen 40-byte records, and the allocator showed in profiles; a
// queue that doubled a single buffer would keep every queue at its own peak. Here a block
// emptied by one queue is reused by whichever queue grows next, so memory follows the peak of
// the total, and blocks are allocated only when the total reaches a new peak, a huge page of
// them at a time (models/base/huge_pages.hpp).
#include <algorithm>
#include <cstddef>
#include <deque>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "models/base/huge_pages.hpp"

namespace shardsim {

// PerBlock, a power of two: a non-empty queue holds one or two blocks it has not filled, so
// many small queues (a lane's buffer) want small blocks.
template <class T, std::size_t PerBlock = 128>
class BlockQueue {
public:
  static constexpr std::size_t kPerBlock = PerBlock;
  static_assert((PerBlock & (PerBlock - 1)) == 0, "a power of two");
  static_assert(std::is_trivially_destructible_v<T>, "blocks are reused and never destroyed");

  BlockQueue() = default;
  BlockQueue(BlockQueue&& other) noexcept { *this = std::move(other); }
  BlockQueue& operator=(BlockQueue&& other) noexcept {
    clear();
    blocks_.swap(other.blocks_);
    std::swap(head_, other.head_);
    std::swap(size_, other.size_);
    std::swap(back_, other.back_);
    std::swap(back_end_, other.back_end_);
    return *this;
  }
  BlockQueue(const BlockQueue&) = delete;
  BlockQueue& operator=(const BlockQueue&) = delete;
  ~BlockQueue() { clear(); }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  // i-th element from the front.
  T& operator[](std::size_t i) { return at(head_ + i); }
  const T& operator[](std::size_t i) const { return at(head_ + i); }
  T& front() { return at(head_); }
  const T& front() const { return at(head_); }

  // Returns the stored element.
  T& push_back(const T& value) {
    if (back_ == back_end_) {
      blocks_.push_back(take_block());
      back_ = blocks_.back();
      back_end_ = back_ + kPerBlock;
    }
    ++size_;
    return *back_++ = value;
  }
  void pop_front() { pop_front(1); }
  // Drops the first n elements (n ≤ size()).
  void pop_front(std::size_t n) {
    head_ += n;
    size_ -= n;
    while (!blocks_.empty() && (head_ >= kPerBlock || size_ == 0)) {
      pool().push_back(blocks_.front());
      blocks_.pop_front();
      head_ = head_ >= kPerBlock ? head_ - kPerBlock : 0;
    }
    if (blocks_.empty()) back_ = back_end_ = nullptr;
  }
  void clear() { pop_front(size_); }

private:
  using Block = T*;
  T& at(std::size_t slot) { return blocks_[slot / kPerBlock][slot % kPerBlock]; }
  const T& at(std::size_t slot) const { return blocks_[slot / kPerBlock][slot % kPerBlock]; }
  // The free blocks. Never destroyed, nor is their memory freed: queues in objects with static
  // storage may outlive any other static.
  static std::vector<Block>& pool() {
    static auto* blocks = new std::vector<Block>;
    return *blocks;
  }
  static Block take_block() {
    auto& p = pool();
    if (p.empty()) {
      constexpr std::size_t kBlocks = std::max<std::size_t>(1, kHugePageBytes / (kPerBlock * sizeof(T)));
      T* slab = static_cast<T*>(allocate_huge(kBlocks * kPerBlock * sizeof(T)));
      for (std::size_t i = 0; i < kBlocks * kPerBlock; ++i) new (slab + i) T();
      for (std::size_t b = kBlocks; b-- > 0;) p.push_back(slab + b * kPerBlock);
    }
    Block b = p.back();
    p.pop_back();
    return b;
  }

  // push_back's state first, then the blocks.
  T* back_ = nullptr;      // where push_back writes, in blocks_.back()
  T* back_end_ = nullptr;  // the end of blocks_.back()
  std::size_t size_ = 0;
  std::size_t head_ = 0;  // slot of the front element in blocks_.front()
  std::deque<Block> blocks_;
};

}  // namespace shardsim
