// The lock table's attempts, decided one at a time in time order (models/core/lock_table.hpp).
#include <catch2/catch.hpp>

#include "models/core/lock_table.hpp"

using namespace shardsim;

namespace {
// A 20 s lease, a retry 1 s after each attempt's 0.5 s round trip (attempts 1.5 s apart), and
// up to 10 s of waiting.
LockTable table() { return LockTable(LockParams{1, 20, 10}); }
}  // namespace

TEST_CASE("lock table: a free lock is taken, a refused acquirer is told its first attempt after the release") {
  LockTable locks = table();
  REQUIRE(locks.attempt(7, 0, 0, 0.5, 4, true).taken);  // held until 4
  // Asked at 1: attempts at 1, 2.5, 4 — the third finds it free.
  const LockTable::Attempt refused = locks.attempt(7, 1, 1, 0.5, 1, true);
  CHECK_FALSE(refused.taken);
  CHECK_FALSE(refused.gave_up);
  CHECK(refused.next_s == Approx(4));
  // Someone else asks at 4 and tries first: it takes the lock for 2 s; the waiter's attempt at 4
  // is refused and its next one after 6 is at 7.
  CHECK(locks.attempt(7, 4, 4, 0.5, 2, true).taken);
  const LockTable::Attempt again = locks.attempt(7, 1, 4, 0.5, 1, true);
  CHECK_FALSE(again.taken);
  CHECK(again.next_s == Approx(7));
  CHECK(locks.attempt(7, 1, 7, 0.5, 1, true).taken);
  CHECK(locks.counts().acquired == 3);
  CHECK(locks.counts().contended == 1);
  CHECK(locks.counts().wait_s_total == Approx(6));
  CHECK(locks.attempt(8, 1, 1, 0.5, 1, true).taken);  // another key's lock is its own
}

TEST_CASE("lock table: a holder that never releases keeps the lock for its lease, a longer hold expires under it") {
  LockTable locks = table();
  REQUIRE(locks.attempt(1, 0, 0, 0.5, 3, false).taken);  // stopped at 3 before its release
  // Free at 20 (its lease), not 3. Asked at 5, the first attempt after 20 would be 5 + 10 × 1.5,
  // 15 s of waiting: over 10, the acquirer gives up at 15. Asked at 15: 15 + 4 × 1.5 = 21.
  const LockTable::Attempt early = locks.attempt(1, 5, 5, 0.5, 1, true);
  CHECK(early.gave_up);
  CHECK(early.next_s == Approx(15));
  CHECK(locks.attempt(1, 15, 15, 0.5, 1, true).next_s == Approx(21));
  LockTable expiring = table();
  REQUIRE(expiring.attempt(2, 0, 0, 0.5, 30, true).taken);  // runs 30 s, its lease frees the lock at 20
  const LockTable::Attempt a = expiring.attempt(2, 20, 20, 0.5, 1, true);
  CHECK(a.taken);
  CHECK(a.took_expired);  // the first holder still runs until 30
  CHECK(expiring.counts().expired == 1);
}
