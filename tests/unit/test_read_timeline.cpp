// A record's wait in the shard, split by what its reader was doing meanwhile.
#include <catch2/catch.hpp>

#include "models/reader/read_timeline.hpp"

using namespace shardsim;

namespace {
Record at(std::uint64_t position, double arrival) {
  Record r;
  r.sequence = position + 1;
  r.produced_s = r.arrival_s = arrival;
  return r;
}
constexpr double kEps = 1e-12;
}  // namespace

TEST_CASE("read timeline: a wait in the shard splits by the reader's states") {
  ReadTimeline t;
  t.enter(ReaderState::polling, 0);          // replaces "not reading" at the same instant
  t.enter(ReaderState::read_limited, 1.0);   // the call wanted at 1 is held ...
  t.called(0, 1.8);                          // ... until 1.8, where it reads positions 0 and 1
  t.enter(ReaderState::polling, 1.8);
  t.enter(ReaderState::lanes_full, 2.0);
  t.enter(ReaderState::polling, 4.0);
  t.enter(ReaderState::not_reading, 5.0);    // a lease moving
  t.enter(ReaderState::polling, 7.0);
  t.called(2, 7.5);

  // Arrived 0.5, read 1.8: held 1.0 → 1.8, the rest (0.5 → 1.0) waiting for the call.
  auto a = t.in_shard(at(0, 0.5));
  CHECK(a.read_s == 1.8);
  CHECK(a.read_limited == Approx(0.8).margin(kEps));
  CHECK(a.lanes_full == 0);
  CHECK(a.not_reading == 0);
  // Arrived 1.5, during the hold: 0.3 of it.
  CHECK(t.in_shard(at(1, 1.5)).read_limited == Approx(0.3).margin(kEps));
  // Arrived 2.5, read 7.5: lanes full 2.5 → 4, not reading 5 → 7, polling 4 → 5 and 7 → 7.5.
  auto c = t.in_shard(at(2, 2.5));
  CHECK(c.read_s == 7.5);
  CHECK(c.read_limited == 0);
  CHECK(c.lanes_full == Approx(1.5).margin(kEps));
  CHECK(c.not_reading == Approx(2).margin(kEps));

  // Done with positions 0 and 1: what position 2 needs stays.
  t.release_before(2, 2.5);
  c = t.in_shard(at(2, 2.5));
  CHECK(c.read_s == 7.5);
  CHECK(c.lanes_full == Approx(1.5).margin(kEps));

  // Read again from position 2 at 9 (a new lease holder): its wait runs to the new call.
  t.rewind(2);
  t.called(2, 9.0);
  c = t.in_shard(at(2, 2.5));
  CHECK(c.read_s == 9.0);
  CHECK(c.not_reading == Approx(2).margin(kEps));
  CHECK(c.lanes_full == Approx(1.5).margin(kEps));
}

TEST_CASE("read timeline: a record no call returned counts as read at its arrival") {
  ReadTimeline t;
  const auto in = t.in_shard(at(0, 3.0));
  CHECK(in.read_s == 3.0);
  CHECK(in.read_limited + in.lanes_full + in.not_reading == 0);
}
