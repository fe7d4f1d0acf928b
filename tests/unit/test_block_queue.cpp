#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "models/base/block_queue.hpp"

using shardsim::BlockQueue;

TEST_CASE("BlockQueue keeps FIFO order as its front and back cross blocks", "[block_queue]") {
  BlockQueue<int> q;
  int next_in = 0, next_out = 0;
  // Push 3, pop 2, repeatedly: the back takes new blocks and the front gives blocks back while
  // the queue grows to 1,000 elements (two blocks of 512).
  for (int round = 0; round < 1000; ++round) {
    for (int i = 0; i < 3; ++i) q.push_back(next_in++);
    for (int i = 0; i < 2; ++i) {
      REQUIRE(q.front() == next_out);
      q.pop_front();
      ++next_out;
    }
    REQUIRE(q.size() == static_cast<std::size_t>(next_in - next_out));
    for (std::size_t i = 0; i < q.size(); ++i) REQUIRE(q[i] == next_out + static_cast<int>(i));
  }
  std::vector<int> copied{-1};
  q.copy_front(q.size(), copied);  // appended, across every block boundary
  REQUIRE(copied.size() == q.size() + 1);
  for (std::size_t i = 0; i < q.size(); ++i) REQUIRE(copied[i + 1] == q[i]);
  q.pop_front(150);  // across a block boundary
  REQUIRE(q.size() == 850);
  REQUIRE(q.front() == next_out + 150);
  q.clear();
  REQUIRE(q.empty());
  q.push_back(7);
  REQUIRE(q.front() == 7);
}

TEST_CASE("BlockQueue blocks emptied by one queue are reused by another", "[block_queue]") {
  BlockQueue<int> a, b;
  const std::size_t n = 10 * BlockQueue<int>::kPerBlock + 3;
  for (std::size_t i = 0; i < n; ++i) a.push_back(static_cast<int>(i));
  const int* first_block = &a[0];
  a.pop_front(n);
  REQUIRE(a.empty());
  // b now grows into the blocks a gave back (the pool hands out the most recently returned
  // first, so it is one of a's eleven blocks), and keeps its order.
  for (std::size_t i = 0; i < n; ++i) b.push_back(static_cast<int>(i));
  bool reused = false;
  for (std::size_t i = 0; i < n; i += BlockQueue<int>::kPerBlock) reused = reused || &b[i] == first_block;
  CHECK(reused);
  for (std::size_t i = 0; i < n; ++i) REQUIRE(b[i] == static_cast<int>(i));
  BlockQueue<int> c = std::move(b);
  CHECK(b.empty());
  REQUIRE(c.size() == n);
  CHECK(c.front() == 0);
}

TEST_CASE("BlockQueue blocks are shared by queues of different element types", "[block_queue]") {
  // A backlog leaving the shard logs (32-byte entries) for the lane buffers (40-byte records)
  // takes the blocks the logs gave back.
  struct Wide {
    double a, b;
    std::uint64_t c;
    std::uint32_t d, e;
    std::uint32_t f, g;
  };
  static_assert(sizeof(Wide) == 40);
  BlockQueue<std::uint64_t> narrow;
  for (std::uint64_t i = 0; i < BlockQueue<std::uint64_t>::kPerBlock; ++i) narrow.push_back(i);
  const void* block = &narrow[0];
  narrow.clear();
  BlockQueue<Wide> wide;
  wide.push_back(Wide{1, 2, 3, 4, 5, 6, 7});
  CHECK(static_cast<const void*>(&wide[0]) == block);  // the block just returned
  CHECK(BlockQueue<Wide>::kPerBlock == shardsim::kQueueBlockBytes / 40);
  CHECK(wide[0].c == 3);
  CHECK(wide[0].g == 7);
}
