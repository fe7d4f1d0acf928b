#include <catch2/catch.hpp>

#include "models/base/look_ahead.hpp"

using shardsim::LookAhead;

TEST_CASE("LookAhead keeps FIFO order while its front and back wrap around", "[look_ahead]") {
  LookAhead<int, 8> q;
  REQUIRE(q.empty());
  int next_in = 0, next_out = 0;
  // Fill to 8, then take 3 and add 3 a hundred times: the head passes slot 7 many times.
  while (!q.full()) q.push_back(next_in++);
  REQUIRE(q.size() == 8);
  for (int round = 0; round < 100; ++round) {
    for (int i = 0; i < 3; ++i) {
      REQUIRE(q.front() == next_out++);
      q.pop_front();
    }
    for (int i = 0; i < 3; ++i) q.push_back(next_in++);
    REQUIRE(q.full());
    for (std::size_t i = 0; i < q.size(); ++i) REQUIRE(q[i] == next_out + static_cast<int>(i));
  }
  while (!q.empty()) {
    REQUIRE(q.front() == next_out++);
    q.pop_front();
  }
  REQUIRE(next_out == next_in);
}
