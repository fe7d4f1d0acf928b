// The model's seams, each exercised with a second implementation in a small simulation built
// by hand: an executor (a fixed worker pool, for a shard reader and for a queue's mapping), a
// record source (a scripted list), a lane assignment (keys ignored), a retry policy (at most
// once), a destination (not a stream), and a shard set that changes while consumers read it.
// One process per TEST_CASE (one engine each).
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

#include <nlohmann/json.hpp>
#include <simgrid/s4u.hpp>

#include "analysis/metrics.hpp"
#include "models/core/batch_retry.hpp"
#include "models/core/dispatcher.hpp"
#include "models/kcl/worker_pool.hpp"
#include "models/kinesis/kinesis_limits.hpp"
#include "models/producers/producer.hpp"
#include "models/reader/shard_reader.hpp"
#include "models/sqs/queue_poller.hpp"
#include "models/sqs/sqs_queue.hpp"
#include "models/stream/shard_source.hpp"
#include "sim/run/engine.hpp"
#include "sim/run/run.hpp"
#include <map>

#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {

// The handler of every rig: no per-invocation time, 1 s per record, no failures.
FunctionConfig one_second_per_record() {
  FunctionConfig f;
  f.duration.per_invocation = Distribution::constant_of(0);
  f.duration.per_record = Distribution::constant_of(1.0);
  f.timeout_s = 900;
  return f;
}

// A sink that also keeps each invocation's (shard, start, end) and each record's success time.
struct RecordingSink : Metrics {
  explicit RecordingSink(const KeyTable& keys) : Metrics(1, 1, keys) {}
  struct Run {
    std::size_t shard;
    double start_s, end_s;
  };
  std::vector<Run> runs;
  std::vector<std::pair<std::uint64_t, double>> successes;  // (sequence, time)
  void invocation_finished(const Invocation& inv) override {
    runs.push_back({inv.shard, inv.start_s, inv.end_s});
    Metrics::invocation_finished(inv);
  }
  void batch_settled(const Invocation& inv, const Settlement& s) override {
    for (const Record& r : s.succeeded) successes.push_back({r.sequence, inv.end_s});
    Metrics::batch_settled(inv, s);
  }
};

// A consumer on one shard with every part chosen by the test; records are put before the run.
struct Rig {
  SimEngine engine{{}, 4};
  KeyTable keys;
  RecordingSink sink{keys};
  Stream stream{1, kinesis::shard_limits(), 86400, keys, sink};
  RunControl control;
  FunctionConfig function = one_second_per_record();

  Rig() {
    control.hard_stop_s = 1000;
    stream.register_readers(1);
  }
  void put(double t, const std::string& key) {
    Record r;
    r.produced_s = r.arrival_s = t;
    r.key = r.order_key = keys.intern(key);
    r.bytes = 100;
    REQUIRE(stream.put(r));
  }
  // The default parts: an idealised GetRecords source (no delay, no poll interval), batches of
  // one record, PF lanes with dynamic assignment, Lambda's stream retry rules.
  std::unique_ptr<RecordSource> source() {
    return std::make_unique<GetRecordsSource>(stream, 0, 0, ReadLimits{}, 0.0, 0.0, sink);
  }
  Dispatcher dispatcher(std::size_t lanes, std::unique_ptr<LaneAssignment> assignment = nullptr) {
    if (!assignment) assignment = make_lane_assignment(LaneAssignmentType::dynamic, lanes, keys);
    return Dispatcher({BatchLimits{1, 6ull << 20, {}}, 0, 10'000}, std::move(assignment), lanes);
  }
  std::vector<LaneParts> lanes(std::size_t n, const std::function<std::unique_ptr<RetryPolicy>()>& retry = nullptr) {
    std::vector<LaneParts> parts;
    for (std::size_t i = 0; i < n; ++i)
      parts.push_back({Handler(function, Rng(1, 0, "lane-" + std::to_string(i)), &failures_),
                       retry ? retry() : std::make_unique<BatchRetry>(RetryRules{})});
    return parts;
  }
  void poison(const std::string& key) { failures_ = FailureRules({keys.intern(key)}, {}); }
  // Runs one reader to the end; returns the simulated time.
  double run(ShardReader& reader) {
    stream.set_production_complete();
    simgrid::s4u::Actor::create("reader", engine.host(), [&reader] { reader(); });
    return engine.run().simulated_s;
  }

private:
  FailureRules failures_;
};

ReaderParams params(double backoff_s) {
  ReaderParams p;
  p.backoff = {backoff_s, 1.0, backoff_s};  // a constant wait before retrying
  return p;
}

}  // namespace

TEST_CASE("a worker pool executor caps a shard's lanes at its size") {
  // Four records of four keys at t = 0, PF 4, a pool of 2 workers, 1 s per record, a throttled
  // invocation retried after 1.5 s. Lanes 0 and 1 run [0, 1]; lanes 2 and 3 are refused at 0 and
  // run [1.5, 2.5]. Lambda (enough concurrency) would run all four in [0, 1].
  Rig rig;
  for (const char* k : {"a", "b", "c", "d"}) rig.put(0, k);
  WorkerPool pool(2);
  ShardReader reader(params(1.5), rig.source(), rig.dispatcher(4), pool, rig.lanes(4), rig.sink, rig.control);
  const double end = rig.run(reader);
  CHECK(end == Approx(2.5).margin(kEps));
  CHECK(pool.peak() == 2);
  CHECK(rig.sink.consumers[0].throttled == 2);
  CHECK(rig.sink.consumers[0].processed == 4);
  // Latency: two records at 1 s, two at 2.5 s.
  CHECK(rig.sink.consumers[0].latency_s.mean() == Approx(1.75).epsilon(0.01));
  CHECK(reader.unfinished() == 0);
}

namespace {
// A source over a list of records held in memory, each visible from its arrival time, at most
// two per call (so a burst leaves it behind).
class ScriptedSource : public RecordSource {
public:
  explicit ScriptedSource(std::vector<Record> records) : records_(std::move(records)) {}
  bool expire(double) override { return false; }
  bool skip_before(double, double) override { return false; }
  Call admit(double) override {
    ++calls;
    return Call::admitted;
  }
  bool fetch(double now, Dispatcher& into) override {
    for (int n = 0; n < 2 && next_ < records_.size() && records_[next_].arrival_s <= now; ++n) into.add(records_[next_++]);
    return next_ < records_.size() && records_[next_].arrival_s <= now;
  }
  double next_call(double now, double, bool behind) override {
    if (behind) return now;
    return next_ < records_.size() ? records_[next_].arrival_s : 1e300;
  }
  bool exhausted(double) const override { return next_ == records_.size(); }
  double arrival_at(std::uint64_t position) const override {
    return position < records_.size() ? records_[position].arrival_s : 1e300;
  }
  std::uint64_t position() const override { return next_; }
  std::uint64_t unread() const override { return records_.size() - next_; }
  void for_each_unread(const std::function<void(const Record&)>& f) const override {
    for (std::size_t i = next_; i < records_.size(); ++i) f(records_[i]);
  }
  void release_before(std::uint64_t unfinished, std::uint64_t kept) override {
    CHECK(unfinished >= released);  // positions only move forward
    CHECK(kept == next_);           // not leased: the log is needed from the next record to read
    released = unfinished;
    most_held = std::max(most_held, kept - unfinished);
  }
  void rewind(std::uint64_t position) override { next_ = position; }
  std::uint64_t released = 0;
  std::uint64_t most_held = 0;  // records read and not finished, held by the reader
  int calls = 0;

private:
  std::vector<Record> records_;
  std::size_t next_ = 0;
};
}  // namespace

TEST_CASE("a scripted record source feeds the reader and is released as records finish") {
  // Records at t = 0, 0, 0 and 10 (keys a, b, c, d), one lane, 1 s per record: the first call
  // takes two (the source's per-call cap) and is behind; the next call takes the third. The
  // lane runs a [0, 1], b [1, 2], c [2, 3], then d [10, 11].
  Rig rig;
  std::vector<Record> records;
  for (auto [t, k] : std::vector<std::pair<double, const char*>>{{0, "a"}, {0, "b"}, {0, "c"}, {10, "d"}}) {
    Record r;
    r.produced_s = r.arrival_s = t;
    r.key = r.order_key = rig.keys.intern(k);
    r.sequence = records.size() + 1;  // position + 1
    records.push_back(r);
  }
  auto source = std::make_unique<ScriptedSource>(records);
  ScriptedSource& scripted = *source;
  WorkerPool pool(1);
  ShardReader reader(params(1), std::move(source), rig.dispatcher(1), pool, rig.lanes(1), rig.sink, rig.control);
  CHECK(rig.run(reader) == Approx(11).margin(kEps));
  REQUIRE(rig.sink.successes.size() == 4);
  const std::vector<double> done{1, 2, 3, 11};
  for (std::size_t i = 0; i < 4; ++i) CHECK(rig.sink.successes[i].second == Approx(done[i]).margin(kEps));
  CHECK(scripted.released == 4);
  // The reader reports at each batch's end; at a's (t = 1) it holds b, read with a and not yet
  // run, and at b's (t = 2) c: one record each time, which the log need not keep.
  CHECK(scripted.most_held == 1);
  CHECK(scripted.calls == 3);  // two at t = 0 (the second because the first was behind), one at 10
}

namespace {
// A lane assignment that ignores keys: record i goes to lane i mod PF (what an unordered pool
// does). It keeps no per-key order, so the ordering checker must see overlaps.
class RoundRobin : public LaneAssignment {
public:
  explicit RoundRobin(std::size_t lanes) : queues_(lanes) {}
  void add(const Record& r) override { queues_[next_++ % queues_.size()].push_back(r); }
  void prefetch(KeyId) const override {}
  std::size_t buffered() const override {
    std::size_t n = 0;
    for (const auto& q : queues_) n += q.size();
    return n;
  }
  BatchPreview preview(std::size_t lane, const BatchLimits& limits) const override {
    const std::size_t n = std::min(queues_[lane].size(), limits.max_records);
    return {n, n == limits.max_records};
  }
  void take(std::size_t lane, const BatchLimits& limits, std::vector<Record>& out) override {
    auto& q = queues_[lane];
    const auto n = static_cast<std::ptrdiff_t>(std::min(q.size(), limits.max_records));
    out.assign(q.begin(), q.begin() + n);
    q.erase(q.begin(), q.begin() + n);
  }
  void release(std::size_t, const std::vector<Record>&) override {}
  void for_each_buffered(const std::function<void(const Record&)>& f) const override {
    for (const auto& q : queues_)
      for (const Record& r : q) f(r);
  }
  const Record* lowest_buffered() const override {
    const Record* lowest = nullptr;
    for (const auto& q : queues_)
      if (!q.empty() && (!lowest || q.front().sequence < lowest->sequence)) lowest = &q.front();
    return lowest;
  }

private:
  std::vector<std::vector<Record>> queues_;
  std::size_t next_ = 0;
};
}  // namespace

TEST_CASE("a lane assignment that ignores keys runs one key in two lanes at once, and the checker sees it") {
  // Two records of key k at t = 0, PF 2, 1 s per record. Round robin puts them in lanes 0 and 1,
  // both running [0, 1]: one overlap. The model's own assignments would run them one after
  // the other ([0, 1], [1, 2]).
  Rig rig;
  rig.put(0, "k");
  rig.put(0, "k");
  WorkerPool pool(2);
  ShardReader reader(params(1), rig.source(), rig.dispatcher(2, std::make_unique<RoundRobin>(2)), pool, rig.lanes(2),
                     rig.sink, rig.control);
  CHECK(rig.run(reader) == Approx(1).margin(kEps));
  CHECK(rig.sink.consumers[0].ordering.report().overlaps == 1);
  CHECK(rig.sink.consumers[0].processed == 2);
}

namespace {
// At most once: a failed invocation's records are given up at once (no retry).
class AtMostOnce : public RetryPolicy {
public:
  void start(const std::vector<Record>& batch) override {
    batch_ = batch;
    done_ = false;
  }
  bool done() const override { return done_; }
  const std::vector<Record>& next() const override { return batch_; }
  std::size_t unfinished() const override { return done_ ? 0 : batch_.size(); }
  void for_each_unfinished(const std::function<void(const Record&)>& f) const override {
    if (!done_)
      for (const Record& r : batch_) f(r);
  }
  void settle(const HandlerOutcome& outcome, double, Settlement& s) override {
    s = Settlement{};
    (outcome.ok() ? s.succeeded : s.discarded) = batch_;
    done_ = true;
  }
  bool drop_stale(double, Settlement&) override { return false; }  // no age or retention rule

private:
  std::vector<Record> batch_;
  bool done_ = true;
};
}  // namespace

TEST_CASE("an at-most-once retry policy gives up a poison record instead of blocking the shard") {
  // Keys p (poisoned), a, b at t = 0; one lane, batches of one, 1 s per record. The poison
  // record fails once at [0, 1] and is discarded; a runs [1, 2], b [2, 3]. Lambda's stream rules
  // (retry until expiry) would retry p for the whole retention period and hold a and b back.
  Rig rig;
  rig.poison("p");
  for (const char* k : {"p", "a", "b"}) rig.put(0, k);
  WorkerPool pool(1);
  ShardReader reader(params(1), rig.source(), rig.dispatcher(1), pool,
                     rig.lanes(1, [] { return std::make_unique<AtMostOnce>(); }), rig.sink, rig.control);
  CHECK(rig.run(reader) == Approx(3).margin(kEps));
  const auto& m = rig.sink.consumers[0];
  CHECK(m.discarded == 1);
  CHECK(m.processed == 2);
  CHECK(m.invocations == 3);
  CHECK(m.errors == 1);
}

namespace {
// A destination that refuses each record's first put and keeps the rest.
struct SecondTimeLucky : Destination {
  std::vector<Record> kept;
  bool put(const Record& r, const std::optional<HashKey>&) override {
    if (r.put_attempts == 1) return false;
    kept.push_back(r);
    return true;
  }
  void record_dropped(const Record&) override { ++dropped; }
  std::uint64_t unread_records() const override { return 0; }
  void set_horizon(double t) override { horizon = t; }
  void set_production_complete() override { complete = true; }
  int dropped = 0;
  double horizon = 0;
  bool complete = false;
};
}  // namespace

TEST_CASE("producers write to any destination: a refused put is retried later, in time order") {
  // Ten records evenly spaced over 1 s; each first put is refused and retried after a uniform
  // wait in [0, 0.1) s (put_retry_delay_s 0.1, attempt 1), so each is kept on attempt 2, at most
  // 0.1 s after it was produced, and the fleet's puts stay in time order.
  SimEngine engine({}, 1);
  KeyTable keys;
  ProducerConfig config;
  config.rate_per_s = 10;
  config.arrival.type = ArrivalSpec::Type::constant;
  config.max_put_attempts = 2;
  config.put_retry_delay_s = 0.1;
  std::vector<Producer> producers;
  producers.emplace_back(config, 1.0, keys, Rng(1, 0, "p"), Rng(1, 0, "p/retries"));
  SecondTimeLucky destination;
  RunControl control;
  control.hard_stop_s = 100;
  ProducerFleet fleet(producers, destination, control, 1000);
  simgrid::s4u::Actor::create("producers", engine.host(), [&fleet] { fleet(); });
  engine.run();
  REQUIRE(destination.kept.size() == 10);
  CHECK(destination.dropped == 0);
  CHECK(destination.complete);
  for (std::size_t i = 0; i < destination.kept.size(); ++i) {
    const Record& r = destination.kept[i];
    CHECK(r.put_attempts == 2);
    CHECK(r.arrival_s >= r.produced_s);
    CHECK(r.arrival_s < r.produced_s + 0.1);
    if (i > 0) CHECK(r.arrival_s >= destination.kept[i - 1].arrival_s);
  }
}

TEST_CASE("a shard split while consumers read: writes move to the children, which wait for the parent") {
  // One shard, 10 records/s evenly spaced over 10 s, split in two at t = 5 s (children 1 and 2
  // take the lower and upper halves of the hash key space). Records at t < 5 (50) stay in
  // shard 0, the other 50 go to the children. The mapping reads parents first: the children's
  // readers start when the parent's reader has finished, so no child invocation starts before
  // the parent's last one ended, and at most two shards are read at once (bound 2 × PF 1).
  const Scenario scenario = scenario_from(R"({
    "duration_s": 10,
    "producers": [{"rate_per_s": 10, "arrival": {"type": "constant"}, "keys": {"type": "uniform", "count": 50}}],
    "consumers": [{"function": "f"}],
    "functions": {"f": {}}
  })");
  RunOptions options;
  options.trace_invocations = 10'000;
  Run run(scenario, options);
  const HashKey middle = kMaxHashKey / 2 + 1;  // 2^127
  ShardSetChange split;
  split.at_s = 5;
  split.close = {0};
  split.open = {{{0, middle - 1}, 0, std::nullopt}, {{middle, kMaxHashKey}, 0, std::nullopt}};
  run.stream().schedule(split);
  SimEngine engine({}, run.actor_count());
  run.launch(engine.host());
  const double simulated = engine.run().simulated_s;
  const RunResult r = run.result(simulated);
  REQUIRE(r.conservation_errors.empty());
  CHECK(r.totals.processed == 100);
  CHECK(run.stream().shard_count() == 3);
  CHECK(run.stream().shard(0).end() == 50);
  CHECK(run.stream().shard(1).end() + run.stream().shard(2).end() == 50);
  CHECK(run.stream().shard(1).parent() == std::optional<std::size_t>(0));
  CHECK(run.stream().shard(0).closed_s() == 5);
  // Shard-hours: one shard over [0, 5), two over [5, end).
  CHECK(r.cost.shard_hours * 3600 == Approx(5 + 2 * (simulated - 5)).epsilon(1e-12));
  CHECK(r.consumers[0].concurrency_limit == 2);
  CHECK(r.ordering.safe());
  // Parent first: every child invocation starts after the parent's last one ended.
  const auto trace = nlohmann::json::parse(run.trace_json(simulated));
  double parent_end = 0, child_start = 1e300;
  std::map<std::pair<std::uint64_t, std::string>, std::pair<double, double>> stages;  // the stream's tracks
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] != "X") continue;
    const double ts = e["ts"].get<double>() / 1e6;
    if (e["pid"] == 1) {  // the stream (one consumer: pid 0)
      stages[{e["tid"].get<std::uint64_t>(), e["name"].get<std::string>()}] = {ts, ts + e["dur"].get<double>() / 1e6};
      continue;
    }
    const auto shard = e["tid"].get<std::uint64_t>() / 1000;
    const double start = e["ts"].get<double>() / 1e6, end = start + e["dur"].get<double>() / 1e6;
    if (shard == 0) parent_end = std::max(parent_end, end);
    else child_start = std::min(child_start, start);
  }
  CHECK(parent_end > 5);
  CHECK(child_start >= parent_end);
  // The stream's tracks: the parent read while open until 5 s, then read to its end; each child
  // open from 5 s but not read until the parent's reader is done.
  CHECK(stages.at({0, "open, read"}) == std::make_pair(0.0, 5.0));
  CHECK(stages.at({0, "closed, read to the end"}).first == 5);
  const double parent_done = stages.at({0, "closed, read to the end"}).second;
  CHECK(parent_done >= parent_end);
  CHECK(stages.at({1, "open, not read yet"}) == std::make_pair(5.0, parent_done));
  CHECK(stages.at({2, "open, read"}).first == parent_done);
  CHECK(child_start >= parent_done);
}

TEST_CASE("a queue's mapping runs on any executor: a pool of two, its refused batches back after their timeout") {
  // Four messages (1 s of work each) read from an SQS standard queue by a mapping whose invocations
  // run on a worker pool of 2, not Lambda. At 0 the mapping receives the 4 in batches of 1: the
  // pool admits 2 (done at 1 s) and refuses 2, which stay invisible for their 2 s visibility
  // timeout and are received again at 2 s: done at 3 s. No message is processed twice.
  Rig rig;
  for (const char* key : {"a", "b", "c", "d"}) rig.put(0, key);
  rig.stream.set_production_complete();
  QueueParams queue_params;
  queue_params.visibility_timeout_s = 2;
  MessageQueue queue(queue_params, rig.stream, 0, Rng(1, 0, "duplicates"), rig.sink);
  QueuePollerParams p;
  p.limits = BatchLimits{1, 6ull << 20, {}};
  p.max_batches = 10;
  p.visibility_timeout_s = 2;
  p.backoff = {1, 1, 1};
  WorkerPool pool(2);
  QueuePoller poller(p, queue, Handler(rig.function, Rng(1, 0, "queue")), pool, rig.sink, rig.control);
  simgrid::s4u::Actor::create("poller", rig.engine.host(), [&poller] { poller(); });
  const double end = rig.engine.run().simulated_s;
  CHECK(end == Approx(3).margin(kEps));
  REQUIRE(rig.sink.successes.size() == 4);
  std::vector<double> times;
  for (const auto& [sequence, t] : rig.sink.successes) times.push_back(t);
  std::sort(times.begin(), times.end());
  CHECK(times[0] == Approx(1).margin(kEps));
  CHECK(times[1] == Approx(1).margin(kEps));
  CHECK(times[2] == Approx(3).margin(kEps));
  CHECK(times[3] == Approx(3).margin(kEps));
  CHECK(pool.peak() == 2);
  CHECK(queue.counts().receives == 6);  // 4, then the 2 refused again
  CHECK(queue.counts().returned == 2);
}
