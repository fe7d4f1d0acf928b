#include <catch2/catch.hpp>

#include "models/base/block_queue.hpp"

using shardsim::BlockQueue;

TEST_CASE("BlockQueue keeps FIFO order as its front and back cross blocks", "[block_queue]") {
  BlockQueue<int> q;
  int next_in = 0, next_out = 0;
  // Push 3, pop 2, repeatedly: the back takes new blocks and the front gives blocks back while
  // the queue grows to 1,000 elements (eight blocks).
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
