#include <catch2/catch.hpp>

#include "sim/ring_queue.hpp"

using shardsim::RingQueue;

TEST_CASE("RingQueue keeps FIFO order across wrap-around and growth", "[ring_queue]") {
  RingQueue<int> q;
  int next_in = 0, next_out = 0;
  // Push 3, pop 2, repeatedly: the head walks around the ring while the queue grows past
  // several capacities (16, 32, 64 …), so every growth copies a wrapped range.
  for (int round = 0; round < 200; ++round) {
    for (int i = 0; i < 3; ++i) q.push_back(next_in++);
    for (int i = 0; i < 2; ++i) {
      REQUIRE(q.front() == next_out);
      q.pop_front();
      ++next_out;
    }
    REQUIRE(q.size() == static_cast<std::size_t>(next_in - next_out));
    for (std::size_t i = 0; i < q.size(); ++i) REQUIRE(q[i] == next_out + static_cast<int>(i));
  }
  q.pop_front(150);
  REQUIRE(q.size() == 50);
  REQUIRE(q.front() == next_out + 150);
  q.clear();
  REQUIRE(q.empty());
  q.push_back(7);
  REQUIRE(q.front() == 7);
}
