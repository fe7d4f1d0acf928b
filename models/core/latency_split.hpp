#pragma once
// Where a record's latency went: its time from production to the end of the invocation in which
// it succeeded, split into causes that follow its path and add up to that latency exactly
// (definitions in analysis/README.md, "Latency causes"). The consumer actor that settles a batch
// hands the sink a splitter for its records that succeeded, which books them: each part is a
// difference of times it already keeps (per call, per lane, per batch), never a per-record map
// or copy.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/base/histogram.hpp"
#include "models/core/record.hpp"

namespace shardsim {

// A record's own causes come first (they differ from record to record of a batch); the rest are
// the same for every record of a batch (its invocation).
enum class LatencyCause {
  put,              // first put attempt → accepted (write throttles, put retries, ordered puts)
  poll,             // in the shard or queue, waiting for the consumer's next call or receive
  read_limit,       // in the shard while the reader's call was held by a read limit
  no_reader,        // in the shard while nothing read it (lineage, a mapping off, a lease moving)
  lane,             // waiting for its lane: earlier records of the lane or key, every lane busy
  batching_window,  // in a partial batch, waiting for the window to close
  retries,          // failed attempts, their backoff, a bisected batch's other part, visibility timeouts
  environment,      // waiting for a Lambda environment (throttled) or a KCL worker thread
  cold_start,       // a new environment's init phase
  lock,             // waiting for distributed locks inside the invocation
  handler           // the handler's own time
};
constexpr std::size_t kLatencyCauseCount = 11;
constexpr std::size_t kOwnLatencyCauses = 7;  // put … retries

inline const std::array<const char*, kLatencyCauseCount>& latency_cause_names() {
  static const std::array<const char*, kLatencyCauseCount> names{
      "put", "poll", "read_limit", "no_reader", "lane", "batching_window", "retries", "environment", "cold_start", "lock",
      "handler"};
  return names;
}

struct LatencySplit {
  std::array<double, kLatencyCauseCount> parts{};
  double& operator[](LatencyCause c) { return parts[static_cast<std::size_t>(c)]; }
  double operator[](LatencyCause c) const { return parts[static_cast<std::size_t>(c)]; }
};

// A consumer's books of where its records' latency went: a histogram per cause over the records
// that succeeded, and the largest |Σ parts − latency| seen (the conservation check).
class LatencyBooks {
public:
  const std::array<Histogram, kLatencyCauseCount>& by_cause() const { return causes_; }
  double residual_s() const { return residual_s_; }
  // `n` records with `value` for `cause` (a negative rounding residue counts as 0).
  [[gnu::always_inline]] void add(std::size_t cause, double value, std::uint64_t n) { causes_[cause].add(value > 0 ? value : 0.0, n); }
  // A record whose parts add up to `sum` has latency `latency`.
  void check(double sum, double latency) {
    const double residual = sum > latency ? sum - latency : latency - sum;
    residual_s_ = residual > residual_s_ ? residual : residual_s_;
  }

private:
  std::array<Histogram, kLatencyCauseCount> causes_;
  double residual_s_ = 0;
};

// A batch's own parts, record by record in order, into the books: runs of equal values (most
// records have no put, read limit or window wait, and a call's records share all but their poll
// wait) go in once. Inline: it is on every record's path.
class OwnParts {
public:
  // The batch's shared parts add up to `shared_sum`.
  OwnParts(LatencyBooks& books, double shared_sum) : books_(books), shared_sum_(shared_sum) {}
  ~OwnParts() {
    for (std::size_t c = 0; c < kOwnLatencyCauses; ++c) books_.add(c, value_[c], record_ - since_[c]);
  }
  OwnParts(const OwnParts&) = delete;
  OwnParts& operator=(const OwnParts&) = delete;
  // The current record's part of own cause `c` (each is set for the first record; after it only
  // those that differ from the record before need be).
  void set(LatencyCause cause, double value) {
    const auto c = static_cast<std::size_t>(cause);
    if (value == value_[c]) return;
    books_.add(c, value_[c], record_ - since_[c]);
    own_sum_ += value - value_[c];
    value_[c] = value;
    since_[c] = record_;
  }
  double operator[](LatencyCause c) const { return value_[static_cast<std::size_t>(c)]; }
  // The current record, of latency `latency`, is complete; the next one starts from its parts.
  void next(double latency) {
    books_.check(shared_sum_ + own_sum_, latency);
    ++record_;
  }

private:
  LatencyBooks& books_;
  double shared_sum_, own_sum_ = 0;
  std::array<double, kOwnLatencyCauses> value_{};
  std::array<std::uint64_t, kOwnLatencyCauses> since_{};  // the record that began each run
  std::uint64_t record_ = 0;
};

// A settled batch's splits (valid during the sink's batch_settled).
class LatencySplitter {
public:
  virtual ~LatencySplitter() = default;
  // Splits the latency of each of the batch's records that succeeded (in the batch's order),
  // settled at `now`, into the books: the shared causes (from environment on) once for all, and
  // each record's own.
  virtual void book(const std::vector<Record>& succeeded, double now, LatencyBooks& books) const = 0;

protected:
  // Adds the shared parts for `n` records; returns their sum.
  static double book_shared(const LatencySplit& shared, std::uint64_t n, LatencyBooks& books) {
    double sum = 0;
    for (std::size_t c = kOwnLatencyCauses; c < kLatencyCauseCount; ++c) {
      books.add(c, shared.parts[c], n);
      sum += shared.parts[c];
    }
    return sum;
  }
};

}  // namespace shardsim
