#pragma once
// How a consumer gets records: a source fetches what has become visible into the consumer's
// dispatcher, one call at a time, under its read limits, and says when the next call should
// be. Positions are a source's own order (for a shard: log positions, a record's sequence
// number − 1); the consumer reports the lowest position it still needs, so the source can
// release what is behind it. Sources over a stream's shard: models/stream/shard_source.hpp.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>

#include "models/core/record.hpp"

namespace shardsim {

class Dispatcher;
struct BatchLimits;
struct BatchPreview;

// The read limits that can hold a consumer's next call back: the shard's calls per second and
// bytes per second (shared by its polling consumers, or an enhanced fan-out consumer's own bytes),
// and a DynamoDB stream's readers per shard.
enum class ReadLimit { call_rate, byte_rate, readers };
constexpr std::size_t kReadLimitCount = 3;

class RecordSource {
public:
  enum class Call { admitted, over_call_rate, over_byte_rate };
  // Why the last next_call() is later than the consumer wanted it: the limit, when the consumer
  // wanted to call, and its poll interval (0 when it wanted to call back to back, being behind).
  struct Hold {
    bool held = false;
    ReadLimit limit = ReadLimit::call_rate;
    double wanted_s = 0;
    double interval_s = 0;
  };

  virtual ~RecordSource() = default;
  // Records that vanished (retention) before they were fetched: reported to the sink, skipped.
  // True when the position moved.
  virtual bool expire(double now) = 0;
  // Skips records that arrived before `first_arrival_s` (LATEST, AT_TIMESTAMP), reported to the
  // sink at `now`. True when the position moved.
  virtual bool skip_before(double first_arrival_s, double now) = 0;
  // Whether a call at `now` is allowed by the read limits (it is then counted).
  virtual Call admit(double now) = 0;
  // One admitted call: every record visible at `now`, up to the per-call limits, into `into`.
  // True when it stopped at a per-call limit with more records visible (the consumer is behind).
  virtual bool fetch(double now, Dispatcher& into) = 0;
  // When the next call should be: after a call at `last_call_s` that was (or not) `behind`.
  virtual double next_call(double now, double last_call_s, bool behind) = 0;
  // What held that time back, if anything.
  virtual Hold hold() const { return {}; }
  // Everything was fetched and nothing more will come (the shard is closed, or production over).
  virtual bool exhausted(double now) const = 0;
  // Its shard closed and every record was fetched (SHARD_END); never for a source without one.
  virtual bool ended(double) const { return false; }
  // Whether it delivers each record as soon as it is visible (enhanced fan-out, a Kafka poller),
  // rather than at the consumer's polls; then a consumer gathering a batch may fetch the
  // records later, together, and the source tells when each became visible and when the
  // gathering batch would be full.
  virtual bool pushes() const { return false; }
  virtual double visible_at(std::uint64_t position) const { return arrival_at(position); }
  // The time at which the first record not yet fetched that cannot join `batch` (limits: count,
  // bytes, tumbling window), or that fills it, becomes visible: when a batch that takes each
  // record as it becomes visible would be cut. +inf when that is after `until`, or unknown yet.
  virtual double visible_when_full(const BatchLimits&, const BatchPreview&, double) const {
    return std::numeric_limits<double>::infinity();
  }
  // When the record at `position` arrived: +inf when it is not written yet (-inf: unknown).
  virtual double arrival_at(std::uint64_t position) const = 0;
  // The next position to fetch, and records not yet fetched.
  virtual std::uint64_t position() const = 0;
  virtual std::uint64_t unread() const = 0;
  // Every record not yet fetched (after the run: what it left unfinished).
  virtual void for_each_unread(const std::function<void(const Record&)>& f) const = 0;
  // The consumer has finished the positions before `unfinished`, and holds copies of the records
  // it has not finished before `kept` (buffered or in a batch): the source need keep records
  // only from `kept` on (kept ≥ unfinished).
  virtual void release_before(std::uint64_t unfinished, std::uint64_t kept) = 0;
  // The next fetch starts again at `position` (not before what was released): a lease's new
  // holder resuming from its checkpoint.
  virtual void rewind(std::uint64_t position) = 0;
};

}  // namespace shardsim
