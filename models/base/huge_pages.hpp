#pragma once
// Memory for the model's large tables in transparent huge pages (2 MiB). Per-key tables (key
// hashes, shards, ordering state) and the record blocks of shard logs are read at random, a
// few megabytes to gigabytes of them; with 4 KiB pages nearly every such read also misses the
// TLB, which under virtualisation costs a two-level page walk. Linux backs a region with huge
// pages when asked (madvise MADV_HUGEPAGE, honoured in the kernel's default `madvise` mode);
// where it is not, the request is a no-op and the memory is ordinary.
#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

namespace shardsim {

constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

// At least `bytes` (rounded up to whole huge pages), aligned to a huge page and advised to use
// them; released with std::free.
inline void* allocate_huge(std::size_t bytes) {
  bytes = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
  void* p = std::aligned_alloc(kHugePageBytes, bytes);
  if (!p) throw std::bad_alloc();
  madvise(p, bytes, MADV_HUGEPAGE);
  return p;
}

// An allocator that puts allocations of a huge page or more in huge pages.
template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}

  T* allocate(std::size_t n) {
    if (!huge(n)) return std::allocator<T>().allocate(n);
    return static_cast<T*>(allocate_huge(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) {
    if (!huge(n)) return std::allocator<T>().deallocate(p, n);
    std::free(p);
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const { return true; }
  template <class U>
  bool operator!=(const HugePageAllocator<U>&) const { return false; }

private:
  static bool huge(std::size_t n) { return n * sizeof(T) >= kHugePageBytes; }
};

// A vector for a table that may grow large (per key, per record block).
template <class T>
using LargeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace shardsim
