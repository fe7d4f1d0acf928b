#pragma once
// An SQS queue as its one consumer sees it: which messages a receive returns, and what happens to
// them after the invocation. Messages are sent into the stream's single shard (its log, in send
// order); they become receivable propagation_delay_s after. A received message is invisible for
// the visibility timeout; a deleted one (processed) is gone; one not deleted (its invocation
// failed, timed out or was throttled) becomes visible again when the timeout ends. A message
// received max_receive_count times goes to the dead-letter queue when it would be visible again
// (lost, cause dead_letter). A message older than the retention period is deleted (expired).
//   standard  any visible message may be received: returned messages first (they are older),
//             then new ones in send order. A processed message is delivered once more with
//             duplicate_probability, a visibility timeout after its receive (at-least-once).
//   fifo      the partition key is the MessageGroupId. A receive takes the groups whose messages
//             are visible and none in flight, oldest first, as many messages of one group as fit
//             before the next; a group with messages in flight gives none. Returned messages go
//             back to the front of their group, which waits for them (SQS developer guide: "as many
//             messages with the same message group ID as possible"; Lambda: retries the affected
//             messages before it takes more of the group).
#include <cstdint>
#include <deque>
#include <functional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "models/base/rng.hpp"
#include "models/core/events.hpp"
#include "models/core/lanes.hpp"
#include "models/stream/stream.hpp"

namespace shardsim {

struct QueueParams {
  bool fifo = false;
  double visibility_timeout_s = 30;
  std::int64_t max_receive_count = -1;  // -1: no dead-letter queue
  double duplicate_probability = 0;     // standard only
  double retention_s = 345'600;
  double propagation_delay_s = 0;
};

// One receive's messages, with what the queue needs back when they are settled.
struct ReceivedBatch {
  std::vector<Record> records;
  std::vector<std::uint32_t> receives;  // including this one
  std::vector<char> copy;               // an extra delivery of a message already processed
  std::vector<double> first_receive_s;  // when it was first received (this receive, or before)
  double receive_s = 0;
  void clear() {
    records.clear();
    receives.clear();
    copy.clear();
    first_receive_s.clear();
  }
};

struct QueueCounts {
  std::uint64_t receives = 0;              // messages received (again after a return)
  std::uint64_t returned = 0;              // not deleted: visible again after the visibility timeout
  std::uint64_t dead_lettered = 0;         // moved to the dead-letter queue
  std::uint64_t duplicates_delivered = 0;  // extra deliveries of processed messages (standard)
  double requests = 0;                     // receive and delete calls, in 64 KB chunks (billing)
};

class MessageQueue {
public:
  MessageQueue(QueueParams params, Stream& stream, std::size_t consumer, Rng duplicates, EventSink& sink);

  // Brings the queue to `now`: new messages that became visible, returned messages and groups
  // whose visibility timeout ended (a message past max_receive_count goes to the dead-letter
  // queue, one past retention expires; both reported to the sink).
  void advance(double now);
  // Visible messages a receive at `now` (after advance) could take, counting at most `enough`.
  std::size_t visible(double now, std::size_t enough) const;
  // Receives up to `limits` into `out` (cleared first); false when nothing was visible.
  bool receive(double now, const BatchLimits& limits, ReceivedBatch& out);
  // The batch's invocation is over: deleted[i] for each message processed (and deleted). The
  // others become visible again a visibility timeout after the receive. The processed are sorted
  // into `first` (received once before being processed; also the extra deliveries, as duplicates
  // of cause at_least_once) and `again` (received before: after_failure); both are cleared first.
  void settle(const ReceivedBatch& batch, const std::vector<char>& deleted, Settlement& first, Settlement& again);
  // When something may next become receivable (a send, a visibility timeout's end), or +inf.
  double next_visible(double now) const;
  // Standard: when at least `n` messages may be receivable (now, if they are), for a batching
  // window that waits for a full batch; fifo: next_visible.
  double visible_by(double now, std::size_t n) const;
  // Nothing more will ever be receivable: production over, every message received and settled.
  bool exhausted() const;
  // Messages waiting in the queue (never received, or returned), copies excluded.
  std::uint64_t waiting() const;
  // The queue's state just before `at`, no earlier than the last advance and before the next: the
  // sends and visibility timeouts before `at` are counted without being taken. Messages in flight
  // are the poller's: not counted here.
  QueueGauge gauge(double at) const;
  void for_each_waiting(const std::function<void(const Record&)>& f) const;
  const QueueCounts& counts() const { return counts_; }

private:
  struct Message {
    Record record;
    std::uint32_t receives = 0;
    bool copy = false;
    double first_receive_s = -1;  // < 0: never received
  };
  struct Returned {  // a message invisible until `at`
    double at;
    Message message;
    bool operator>(const Returned& o) const {
      return at != o.at ? at > o.at : message.record.sequence > o.message.record.sequence;
    }
  };
  struct Group {
    std::deque<Message> waiting;
    bool in_flight = false, blocked = false, ready = false;
    double blocked_until = 0;  // while blocked: when its returned messages are visible again
  };
  using Ready = std::pair<std::uint64_t, KeyId>;  // (sequence of the group's first message, group)
  using Blocked = std::pair<double, KeyId>;       // (end of its returned messages' timeout, group)

  Shard& log() const { return stream_.shard(0); }
  double visible_time(std::uint64_t position) const { return log().arrival_s(position) + p_.propagation_delay_s; }
  // A message becoming visible at `now` is still in the queue; false: it left (dead letter, expired).
  bool keep(const Message& m, double now);
  void make_ready(KeyId group, Group& g);
  // Tells the stream which log positions the queue is done with, and how many messages it holds
  // outside the log (for the memory safety limit).
  void release_log();

  QueueParams p_;
  Stream& stream_;
  std::size_t consumer_;
  Rng duplicates_;
  EventSink& sink_;
  QueueCounts counts_;
  std::uint64_t next_;  // log positions before this were received (standard) or moved to their group (fifo)
  std::vector<Returned> returned_;        // standard: a min-heap by visibility time
  std::deque<Message> visible_returned_;  // standard: returned messages visible again
  std::unordered_map<KeyId, Group> groups_;  // fifo: groups with messages waiting or in flight
  std::priority_queue<Ready, std::vector<Ready>, std::greater<Ready>> ready_;
  std::priority_queue<Blocked, std::vector<Blocked>, std::greater<Blocked>> blocked_;
  std::uint64_t in_groups_ = 0;  // fifo: messages waiting in groups (copies excluded: fifo has none)
  std::uint64_t copies_waiting_ = 0;  // standard: copies among returned_ and visible_returned_
  Settlement given_up_;  // scratch: dead-lettered or expired while becoming visible
  std::vector<Message> returning_;  // scratch: settle's returning messages of one group
};

}  // namespace shardsim
