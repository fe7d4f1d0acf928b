#pragma once
// Who gets which records: a consumer's dispatcher holds what its source fetched and cuts batches
// for idle lanes. The lane assignment (models/core/lanes.hpp: hash or dynamic, or any other policy)
// decides which records a lane may take while keeping per-key order; the dispatcher adds the
// batch limits (BatchSize, the payload cap) and the batching window
// (MaximumBatchingWindowInSeconds: a partial batch waits for more records, at most that long).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "models/core/lanes.hpp"

namespace shardsim {

struct DispatchParams {
  BatchLimits limits;
  double batching_window_s = 0;
  std::size_t max_buffered = 10'000;  // fetching pauses while this many records wait
};

class Dispatcher {
public:
  Dispatcher(DispatchParams params, std::unique_ptr<LaneAssignment> assignment, std::size_t lanes)
      : params_(params), assignment_(std::move(assignment)), window_deadline_(lanes, kNever), gathered_from_(lanes, 0) {}

  // A record fetched by the source, in its order; a hint that a record of `key` comes soon.
  void add(const Record& record) { assignment_->add(record); }
  void prefetch(KeyId key) const { assignment_->prefetch(key); }
  std::size_t buffered() const { return assignment_->buffered(); }
  // The buffered record of the lowest source position, or null when nothing is buffered.
  const Record* lowest_buffered() const { return assignment_->lowest_buffered(); }

  // True when some idle lane has nothing to take, or only a partial batch whose window is open:
  // more records would help. idle[i]: lane i has no batch.
  // Whether an idle lane holds a partial batch for its batching window.
  bool holding(std::size_t lane) const;
  // What the lane's next batch would hold now, and the limits it is cut by.
  BatchPreview preview(std::size_t lane) const { return assignment_->preview(lane, params_.limits); }
  const BatchLimits& limits() const { return params_.limits; }
  // When the lane's last batch began gathering in its window (its cut time without one).
  double gathered_from(std::size_t lane) const { return gathered_from_[lane]; }
  template <class Idle> bool wants_records(Idle idle) const;
  // Cuts a batch for each idle lane that may go now into start(lane, batch) (batch: the lane's
  // storage, filled); returns the earliest batching-window deadline still open.
  template <class Idle, class Batch, class Start> double dispatch(double now, Idle idle, Batch batch_of, Start start);
  void for_each_buffered(const std::function<void(const Record&)>& f) const { assignment_->for_each_buffered(f); }
  // The lane's batch is finished: its keys are free again.
  void release(std::size_t lane, const std::vector<Record>& batch) { assignment_->release(lane, batch); }

  static constexpr double kNever = std::numeric_limits<double>::infinity();

private:
  DispatchParams params_;
  std::unique_ptr<LaneAssignment> assignment_;
  std::vector<double> window_deadline_;  // per lane: when its partial batch must go
  std::vector<double> gathered_from_;    // per lane: when its last batch began gathering
};

inline bool Dispatcher::holding(std::size_t lane) const { return window_deadline_[lane] != kNever; }

template <class Idle> bool Dispatcher::wants_records(Idle idle) const {
  if (assignment_->buffered() >= params_.max_buffered) return false;
  for (std::size_t i = 0; i < window_deadline_.size(); ++i) {
    if (!idle(i)) continue;
    const BatchPreview p = assignment_->preview(i, params_.limits);
    if (p.records == 0 || (!p.full && window_deadline_[i] != kNever)) return true;
  }
  return false;
}

template <class Idle, class Batch, class Start>
double Dispatcher::dispatch(double now, Idle idle, Batch batch_of, Start start) {
  const double window = params_.batching_window_s;
  double earliest_deadline = kNever;
  // A lane can be idle again right after start(): every record of its batch was given up before
  // the invocation (past the maximum age); it then takes its next batch at once.
  for (std::size_t i = 0; i < window_deadline_.size(); ++i) {
    while (idle(i)) {
      const BatchPreview p = assignment_->preview(i, params_.limits);
      if (p.records == 0) break;
      if (window > 0 && !p.full) {
        if (window_deadline_[i] == kNever) window_deadline_[i] = now + window;
        if (now < window_deadline_[i]) {
          earliest_deadline = std::min(earliest_deadline, window_deadline_[i]);
          break;
        }
      }
      gathered_from_[i] = window_deadline_[i] == kNever ? now : window_deadline_[i] - window;
      window_deadline_[i] = kNever;
      assignment_->take(i, params_.limits, batch_of(i));
      start(i);
    }
  }
  return earliest_deadline;
}

}  // namespace shardsim
