#pragma once
// A FIFO queue stored in fixed-size blocks taken from, and returned to, one pool shared by every
// queue, whatever it holds. The record path pushes and pops hundreds of millions of records
// through thousands of queues (shard logs, lane buffers): std::deque allocates and frees a
// 512-byte node every dozen 40-byte records, and the allocator showed in profiles; a queue that
// doubled a single buffer would keep every queue at its own peak. Here a block emptied by one
// queue is reused by whichever queue grows next, so memory follows the peak of the total (a
// backlog leaving the shard logs for the lane buffers takes no new memory), and blocks are
// allocated only when the total reaches a new peak, a huge page of them at a time
// (models/base/huge_pages.hpp).
#include <algorithm>
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "models/base/huge_pages.hpp"

namespace shardsim {

// 2 KiB: 64 log entries, 51 buffered records. Many small queues (ten thousand lanes' buffers)
// each hold one or two partly filled blocks, so blocks stay small.
inline constexpr std::size_t kQueueBlockBytes = 2048;

// The free blocks. Never destroyed, nor is their memory freed: queues in objects with static
// storage may outlive any other static.
inline std::vector<void*>& queue_block_pool() {
  static auto* blocks = new std::vector<void*>;
  return *blocks;
}

inline void* take_queue_block() {
  auto& p = queue_block_pool();
  if (p.empty()) {
    constexpr std::size_t kBlocks = kHugePageBytes / kQueueBlockBytes;
    auto* slab = static_cast<unsigned char*>(allocate_huge(kBlocks * kQueueBlockBytes));
    for (std::size_t b = kBlocks; b-- > 0;) p.push_back(slab + b * kQueueBlockBytes);
  }
  void* b = p.back();
  p.pop_back();
  return b;
}

template <class T>
class BlockQueue {
public:
  static constexpr std::size_t kPerBlock = kQueueBlockBytes / sizeof(T);
  static_assert(kPerBlock > 0 && alignof(T) <= kQueueBlockBytes, "an element fits a block");
  static_assert(std::is_trivially_copy_constructible_v<T> && std::is_trivially_destructible_v<T>,
                "elements are copied into reused blocks and never destroyed");

  BlockQueue() = default;
  BlockQueue(BlockQueue&& other) noexcept { *this = std::move(other); }
  BlockQueue& operator=(BlockQueue&& other) noexcept {
    clear();
    ring_.swap(other.ring_);
    std::swap(first_, other.first_);
    std::swap(blocks_, other.blocks_);
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
    if (back_ == back_end_) add_block();
    ++size_;
    return *new (back_++) T(value);
  }
  // The elements from the i-th (i < size()) to the end of its block: sets `first` to the i-th
  // and returns how many there are (at least one).
  std::size_t contiguous(std::size_t i, const T*& first) const {
    const std::size_t slot = head_ + i;
    first = address(slot);
    return std::min(size_ - i, kPerBlock - slot % kPerBlock);
  }
  // Appends the first n elements (n ≤ size()) to `out`, a block's run at a time.
  void copy_front(std::size_t n, std::vector<T>& out) const {
    for (std::size_t slot = head_, end = head_ + n; slot < end;) {
      const std::size_t run = std::min(end, (slot / kPerBlock + 1) * kPerBlock) - slot;
      const T* first = &at(slot);
      out.insert(out.end(), first, first + run);
      slot += run;
    }
  }
  void pop_front() { pop_front(1); }
  // Drops the first n elements (n ≤ size()).
  void pop_front(std::size_t n) {
    head_ += n;
    size_ -= n;
    while (blocks_ > 0 && (head_ >= kPerBlock || size_ == 0)) {
      queue_block_pool().push_back(ring_[first_]);
      first_ = (first_ + 1) & (ring_.size() - 1);
      --blocks_;
      head_ = head_ >= kPerBlock ? head_ - kPerBlock : 0;
    }
    if (blocks_ == 0) back_ = back_end_ = nullptr;
  }
  void clear() { pop_front(size_); }

private:
  // The blocks in order, in a ring of block pointers (a power of two of them) from first_ on:
  // indexing is a mask and two loads, where a std::deque of blocks took a dozen instructions.
  T* address(std::size_t slot) const { return ring_[(first_ + slot / kPerBlock) & (ring_.size() - 1)] + slot % kPerBlock; }
  T& at(std::size_t slot) { return *address(slot); }
  const T& at(std::size_t slot) const { return *address(slot); }
  void add_block() {
    if (blocks_ == ring_.size()) {  // full: twice the room, the blocks in order from 0
      std::vector<T*> wider(std::max<std::size_t>(4, 2 * ring_.size()));
      for (std::size_t b = 0; b < blocks_; ++b) wider[b] = ring_[(first_ + b) & (ring_.size() - 1)];
      ring_.swap(wider);
      first_ = 0;
    }
    back_ = static_cast<T*>(take_queue_block());
    back_end_ = back_ + kPerBlock;
    ring_[(first_ + blocks_++) & (ring_.size() - 1)] = back_;
  }

  // push_back's state first, then the blocks.
  T* back_ = nullptr;      // where push_back writes, in the last block
  T* back_end_ = nullptr;  // the end of the last block
  std::size_t size_ = 0;
  std::size_t head_ = 0;  // slot of the front element in the first block
  std::vector<T*> ring_;
  std::size_t first_ = 0, blocks_ = 0;
};

}  // namespace shardsim
