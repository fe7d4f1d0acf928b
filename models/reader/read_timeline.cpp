#include "models/reader/read_timeline.hpp"

#include <algorithm>

namespace shardsim {
namespace {
// Drops the released elements before `head` once they are most of the vector.
template <class T> void compact(std::vector<T>& v, std::size_t& head, std::size_t& hint) {
  if (head < 64 || head * 2 < v.size()) return;
  v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(head));
  hint = hint >= head ? hint - head : 0;
  head = 0;
}

// The last index in [head, v.size()) whose element starts at or before `x` by `start_of` (head
// when none does); tried first at `hint` and just after it, as lookups mostly move forward.
template <class T, class X, class Start>
std::size_t last_at_or_before(const std::vector<T>& v, std::size_t head, std::size_t hint, X x, Start start_of) {
  const auto fits = [&](std::size_t i) { return i + 1 == v.size() || x < start_of(v[i + 1]); };
  if (hint >= head && hint < v.size() && !(x < start_of(v[hint]))) {
    if (fits(hint)) return hint;
    if (fits(hint + 1)) return hint + 1;
  }
  auto it = std::upper_bound(v.begin() + static_cast<std::ptrdiff_t>(head), v.end(), x,
                             [&](X value, const T& e) { return value < start_of(e); });
  const auto i = static_cast<std::size_t>(it - v.begin());
  return i > head ? i - 1 : head;
}
}  // namespace

void ReadTimeline::enter(ReaderState state, double now) {
  run_.valid = false;
  Segment& last = segments_.back();
  if (state == last.state) return;
  if (now <= last.start) {  // a change at the same instant replaces the last state
    last.state = state;
    return;
  }
  segments_.push_back({now, state, clocks_at(now)});
}

ReadTimeline::Clocks ReadTimeline::clocks_at(double t) const {
  segment_hint_ = last_at_or_before(segments_, segment_head_, segment_hint_, t, [](const Segment& s) { return s.start; });
  const Segment& s = segments_[segment_hint_];
  Clocks c = s.clocks;
  if (const int k = clock_of(s.state); k >= 0) c[static_cast<std::size_t>(k)] += std::max(0.0, t - s.start);
  return c;
}

void ReadTimeline::called(std::uint64_t first, double now) {
  run_.valid = false;
  rewind(first);
  calls_.push_back({first, now, clocks_at(now)});
}

void ReadTimeline::rewind(std::uint64_t position) {
  run_.valid = false;
  while (calls_.size() > call_head_ && calls_.back().first >= position) calls_.pop_back();
}

void ReadTimeline::release_before(std::uint64_t position, double arrival) {
  run_.valid = false;
  while (calls_.size() - call_head_ > 1 && calls_[call_head_ + 1].first <= position) ++call_head_;
  while (segments_.size() - segment_head_ > 1 && segments_[segment_head_ + 1].start <= arrival) ++segment_head_;
  compact(calls_, call_head_, call_hint_);
  compact(segments_, segment_head_, segment_hint_);
}

bool ReadTimeline::look_up(std::uint64_t position, double arrival) const {
  if (calls_.size() == call_head_ || position < calls_[call_head_].first) return false;
  call_hint_ = last_at_or_before(calls_, call_head_, call_hint_, position, [](const Call& c) { return c.first; });
  segment_hint_ = last_at_or_before(segments_, segment_head_, segment_hint_, arrival, [](const Segment& s) { return s.start; });
  const Call& call = calls_[call_hint_];
  const Segment& segment = segments_[segment_hint_];
  run_.valid = true;
  run_.first = call.first;
  run_.end = call_hint_ + 1 < calls_.size() ? calls_[call_hint_ + 1].first : UINT64_MAX;
  run_.start = segment_hint_ == segment_head_ ? -1e300 : segment.start;  // earlier arrivals count as at its start
  run_.stop = segment_hint_ + 1 < segments_.size() ? segments_[segment_hint_ + 1].start : 1e300;
  run_.segment_start = segment.start;
  run_.clock = clock_of(segment.state);
  run_.read_s = call.at;
  for (std::size_t k = 0; k < run_.base.size(); ++k) run_.base[k] = call.clocks[k] - segment.clocks[k];
  return true;
}

}  // namespace shardsim
