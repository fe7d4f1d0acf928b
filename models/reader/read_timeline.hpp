#pragma once
// Why a shard's records waited before a reader's call returned them. The reader's state over
// time (waiting for its next call, its call held by a read limit, not fetching because every lane
// is busy, or not reading at all) is kept as cumulative clocks, and each call's time by log
// position. A record's wait in the shard, from its arrival to the call that read it, splits by
// how long the reader spent in each state meanwhile, exactly. Kept back to the oldest record the
// reader still holds: memory grows with state changes and calls since then, not with records.
#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "models/core/record.hpp"

namespace shardsim {

enum class ReaderState { polling, read_limited, lanes_full, not_reading };

class ReadTimeline {
public:
  // The reader is in `state` from `now` on (it starts not reading, at time 0).
  void enter(ReaderState state, double now);
  // A call at `now` returned the records from log position `first` on.
  void called(std::uint64_t first, double now);
  // Positions from `position` on will be read again (a lease's new holder resumes there).
  void rewind(std::uint64_t position);
  // Records before `position` are done with; the record at `position` arrived at `arrival` (+inf:
  // none yet).
  void release_before(std::uint64_t position, double arrival);

  // A record's wait in the shard: when the call that read it came, and how much of the wait since
  // its arrival the reader spent held by a read limit, with every lane busy, and not reading
  // (the rest it spent waiting for its next call).
  struct InShard {
    double read_s = 0;
    double read_limited = 0, lanes_full = 0, not_reading = 0;
    // Whether the record before it (in the last lookup) was read by the same call and arrived in
    // the same state: then only the part of that state (waiting for a call, when it is polling)
    // can differ between them.
    bool same_run = false;
    ReaderState state = ReaderState::polling;
  };
  // The next lookup is not compared with the last one (its same_run is false).
  void forget_last_lookup() const { run_.valid = false; }
  InShard in_shard(const Record& record) const {
    const std::uint64_t position = record.sequence - 1;
    const double arrival = record.arrival_s;
    const bool same_run = run_.valid && position >= run_.first && position < run_.end && arrival >= run_.start &&
                          arrival < run_.stop;
    if (!same_run && !look_up(position, arrival)) return {arrival, 0, 0, 0};  // not read by a call it knows
    // Its own segment's state counts from its arrival (selected, not written through a reference:
    // the caller reads the result whole).
    const int clock = run_.clock;
    const double since = clock >= 0 ? std::max(0.0, arrival - run_.segment_start) : 0.0;
    return {run_.read_s, run_.base[0] - (clock == 0 ? since : 0.0), run_.base[1] - (clock == 1 ? since : 0.0),
            run_.base[2] - (clock == 2 ? since : 0.0), same_run, static_cast<ReaderState>(clock + 1)};
  }

private:
  // Cumulative seconds held by a read limit, with every lane busy, and not reading (the time
  // polling is what is left).
  using Clocks = std::array<double, 3>;
  static int clock_of(ReaderState s) { return static_cast<int>(s) - 1; }  // -1: polling
  struct Segment {
    double start = 0;
    ReaderState state = ReaderState::not_reading;
    Clocks clocks{};  // at `start`
  };
  struct Call {
    std::uint64_t first = 0;
    double at = 0;
    Clocks clocks{};
  };
  Clocks clocks_at(double t) const;
  // Finds the call that read `position` and the state segment at `arrival` into run_; false
  // when no call it knows read it.
  bool look_up(std::uint64_t position, double arrival) const;
  // Oldest first, from their heads (what is before a head is released; the vectors are compacted
  // when that is most of them).
  std::vector<Segment> segments_{Segment{}};
  std::vector<Call> calls_;
  std::size_t segment_head_ = 0, call_head_ = 0;
  // Where the last lookups ended: a batch's records come in order, so the next is usually there.
  mutable std::size_t segment_hint_ = 0, call_hint_ = 0;
  // The last record's call and the reader's state segment at its arrival, while nothing changed:
  // the next record of the batch usually shares both.
  struct Run {
    bool valid = false;
    std::uint64_t first = 0, end = 0;  // the call's positions
    double start = 0, stop = 0;        // arrivals in the segment (from -inf for the oldest kept)
    double segment_start = 0;
    int clock = -1;                    // the segment's state's clock (-1: polling)
    double read_s = 0;
    Clocks base{};                     // the call's clocks less the segment's at its start
  };
  mutable Run run_;
};

}  // namespace shardsim
