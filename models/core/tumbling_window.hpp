#pragma once
// Tumbling windows of a stream mapping (TumblingWindowInSeconds, Kinesis and DynamoDB Streams):
// fixed windows of window_s by the records' arrival time in the shard, aligned to time 0. Each
// batch holds records of one window; state is carried from invocation to invocation of a shard
// within its window, and once the window is over a final invocation (isFinalInvokeForWindow)
// without records runs before the shard's next window is processed; it is retried until it
// succeeds (AWS: "your Lambda function suspends further processing until a successful
// invocation"). The window is over when
//   a record of a later window has been read,
//   the shard ended (closed and read to its end: "when a shard ends, Lambda considers the
//   current window to be closed"; a child starts its own), or
//   quiet_s after the window's end, no record of it being left ("when no new records are being
//   added to the current window, Lambda waits for up to 2 minutes before assuming that the
//   window is over": the model waits quiet_s, 120 s by default).
// A window with no records has no invocation. The state's 1 MB cap (a window terminated early)
// is not modelled. Source: Lambda developer guide, "Implementing stateful Kinesis Data Streams
// processing in Lambda" (and the same page for DynamoDB Streams).
#include <cmath>

namespace shardsim {

struct TumblingWindow {
  double window_s = 0;   // 0: no tumbling window
  double quiet_s = 120;  // the wait after a window's end for more of its records
  bool on() const { return window_s > 0; }
  // The window a record that arrived at `arrival_s` belongs to, and when that window ends.
  double index(double arrival_s) const { return std::floor(arrival_s / window_s); }
  double end_of(double arrival_s) const { return (index(arrival_s) + 1) * window_s; }
};

}  // namespace shardsim
