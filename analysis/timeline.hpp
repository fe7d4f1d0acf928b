#pragma once
// Where each record ran, for people to look at: a Chrome trace-event file (opens in Perfetto or
// chrome://tracing: one track per shard lane, one slice per invocation with its records' keys
// and sequence numbers, throttles and cold starts as instant events, and when the stream was
// resharded a "stream" process with a track per shard showing its lifetime) and an ASCII Gantt
// chart for small runs (lanes as rows, time as columns, each record's key drawn where it ran;
// after a reshard, a row per shard above them). Both are bounded: they keep the first `limit`
// invocations (trace) or records (Gantt).
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "models/core/events.hpp"
#include "models/core/keys.hpp"

namespace shardsim {

// Text made safe inside XML and HTML markup (element content and quoted attributes).
std::string markup_escaped(const std::string& text);

// A shard's life as the timelines draw it: open (taking writes) from opened_s to closed_s, read
// from read_from_s (the first consumer's reader starts, after its lineage gate) until
// read_until_s (the last consumer's reader is done with it). Infinite: not yet.
struct ShardLifetime {
  double opened_s = 0;
  double closed_s = std::numeric_limits<double>::infinity();
  double read_from_s = std::numeric_limits<double>::infinity();
  double read_until_s = std::numeric_limits<double>::infinity();
};

struct TimelineNames {
  std::vector<std::string> consumers;
  const std::vector<std::string>* shards = nullptr;  // by index; grows as shards open
  const std::vector<ShardLifetime>* lifetimes = nullptr;  // likewise
};

class TraceRecorder {
public:
  TraceRecorder(std::size_t limit, const KeyTable& keys, TimelineNames names)
      : limit_(limit), keys_(keys), names_(std::move(names)) {}
  void invocation(const Invocation& invocation, const HandlerOutcome& outcome);
  void throttled(std::size_t consumer, bool scaling, double now);
  // `end_s`: the run's end, where shards still open or being read are cut.
  std::string json(double end_s) const;

private:
  std::size_t limit_;
  const KeyTable& keys_;
  TimelineNames names_;
  std::size_t invocations_ = 0;
  std::vector<std::string> events_;
  std::vector<std::pair<std::size_t, std::uint64_t>> tracks_;  // (consumer, tid) seen
};

class Gantt {
public:
  Gantt(std::size_t limit, const KeyTable& keys, TimelineNames names)
      : limit_(limit), keys_(keys), names_(std::move(names)) {}
  // Records [from, to) of the invocation, as they are laid out.
  void invocation(const Invocation& invocation, const HandlerOutcome& outcome, std::size_t from, std::size_t to);
  std::string render(std::size_t width) const;
  // The same chart as an SVG element for a web page (shardsim tour --html): a row per lane (and
  // per shard after a reshard), a bar per record in its key's colour with the key inside where it
  // fits and a tooltip with its times, and a time axis in seconds. Self-contained: no fonts,
  // styles or scripts from elsewhere.
  std::string svg() const;

private:
  struct Bar {
    std::size_t row;
    double start_s, end_s;
    KeyId key;
  };
  std::size_t limit_;
  const KeyTable& keys_;
  TimelineNames names_;
  std::vector<std::string> row_names_;
  std::vector<std::uint64_t> row_ids_;
  std::vector<Bar> bars_;
  bool truncated_ = false;
};

}  // namespace shardsim
