#pragma once
// The sink of a run: turns the models' events into counters, streaming histograms and exact
// time-weighted concurrency (definitions in analysis/README.md). Memory does not grow with the
// number of records.
#include <array>
#include <cstdint>
#include <vector>

#include "analysis/cloudwatch.hpp"
#include "analysis/concurrency_tracker.hpp"
#include "analysis/consumer_counts.hpp"
#include "models/base/histogram.hpp"
#include "analysis/ordering.hpp"
#include "analysis/shard_seconds.hpp"
#include "analysis/time_series.hpp"
#include "analysis/timeline.hpp"
#include "models/core/events.hpp"
#include "models/core/latency_split.hpp"

namespace shardsim {

struct ConsumerMetrics : ConsumerCounts {
  explicit ConsumerMetrics(const KeyTable& keys) : ordering(keys) {}
  OrderingChecker ordering;
  Histogram latency_s;          // production → end of the invocation in which the record first succeeded
  Histogram queue_s;            // arrival in the shard → start of that invocation
  Histogram iterator_age_s;     // at each invocation's end: now − arrival of the batch's last record
  Histogram iterator_age_at_invoke_s;  // at each invocation's start: the same age when the batch is sent
  Histogram batch_size;
  Histogram handler_s;
  Histogram window_final_s;  // tumbling windows: a window's end (its shard's, if earlier) → its final invocation's end
  // Where the latency went (models/core/latency_split.hpp), by cause, over the records whose
  // consumer tracks it.
  LatencyBooks latency_causes;
};

class Metrics : public EventSink {
public:
  Metrics(std::size_t consumers, std::size_t functions, const KeyTable& keys);

  void shard_opened(std::size_t shard, const std::string& id, double at) override;
  void shard_closed(std::size_t shard, double at) override {
    open_shards.set(open_shards.current() - 1, at);
    series.level(TimeSeries::open_shards, open_shards.current(), at);
    shard_lifetimes[shard].closed_s = at;
  }
  void reader_started(std::size_t consumer, std::size_t shard, double now) override {
    reading(consumer, +1, now);
    ShardLifetime& l = shard_lifetimes[shard];
    l.read_from_s = std::min(l.read_from_s, now);
  }
  void lanes_with_work_changed(std::size_t consumer, std::size_t, int change, double now) override {
    lanes_with_work[consumer].set(lanes_with_work[consumer].current() + change, now);
    all_lanes_with_work.set(all_lanes_with_work.current() + change, now);
  }
  void reader_finished(std::size_t consumer, std::size_t shard, double now) override {
    reading(consumer, -1, now);
    if (++finished_readers_of_[shard] == consumers.size()) shard_lifetimes[shard].read_until_s = now;
  }

  void record_put(const Record& record, std::size_t shard, bool accepted) override;
  void record_dropped(const Record& record) override;
  void record_expired(std::size_t consumer, std::size_t shard, const Record& record, double now) override;
  void records_skipped(std::size_t consumer, std::size_t shard, std::uint64_t count, double now) override {
    consumers[consumer].skipped += count;
    series.add(TimeSeries::finished, now, count);
    backlog.finished(shard, now, count);
  }
  void records_filtered(std::size_t consumer, std::size_t shard, std::uint64_t count, double now) override {
    consumers[consumer].filtered += count;
    series.add(TimeSeries::finished, now, count);
    backlog.finished(shard, now, count);
  }
  void invocation_started(const Invocation& invocation) override;
  void records_running(const Invocation& invocation, std::size_t from, std::size_t to, double now) override;
  void read_throttled(std::size_t consumer, std::size_t shard, bool bytes, double now) override;
  void records_read(std::size_t, std::size_t shard, std::uint64_t records, std::uint64_t bytes, double last_arrival_s,
                    bool shared, double now) override {
    if (!shared) return;
    reads.add(shard, now, 1, static_cast<double>(bytes));
    if (cloudwatch) cloudwatch->read(now, records, last_arrival_s);
  }
  void read_waited(std::size_t consumer, std::size_t, ReadLimit limit, double wait_s, double calls_wanted) override {
    const auto i = static_cast<std::size_t>(limit);
    ++consumers[consumer].read_waits[i];
    consumers[consumer].read_wait_s[i] += wait_s;
    consumers[consumer].read_calls_wanted[i] += calls_wanted;
  }
  void invocation_throttled(std::size_t consumer, std::size_t function, bool scaling, double now) override;
  void invocation_finished(const Invocation& invocation) override;
  void batch_settled(const Invocation& invocation, const Settlement& settlement) override;
  void window_closed(const Invocation& final, double window_end_s, double over_s, bool at_shard_end) override {
    ConsumerMetrics& m = consumers[final.consumer];
    ++m.windows_closed;
    m.windows_closed_at_shard_end += at_shard_end;
    m.window_final_s.add(final.end_s - std::min(window_end_s, over_s));
  }
  void records_given_up(std::size_t consumer, std::size_t shard, const Settlement& settlement, double now) override;
  void concurrency_changed(std::size_t function, int function_in_flight, int account_in_flight, double now) override;
  void queue_sampled(std::size_t, double at, const QueueGauge& gauge) override {
    if (cloudwatch) cloudwatch->queue_state(at, gauge);
  }

  std::uint64_t produced = 0;         // records (first put attempts)
  std::uint64_t written = 0;
  std::uint64_t write_throttled = 0;  // rejected put attempts
  std::uint64_t put_retries = 0;      // put attempts after the first
  std::uint64_t dropped = 0;          // records given up by their producer
  std::uint64_t put_payload_units = 0;  // 25 KB units of accepted puts (billing)
  ShardSeconds writes;  // records and bytes per shard-second: the write limits' use
  ShardSeconds reads;   // calls and bytes likewise: the shared read limits' (polling calls)
  std::vector<std::string> shard_ids;         // by shard index
  std::vector<ShardLifetime> shard_lifetimes;  // likewise
  ConcurrencyTracker open_shards;             // over time: its area is the shard-hours billed
  std::vector<ConcurrencyTracker> reading_shards;  // per consumer: shards being read at once
  std::vector<int> parallelization_factors;        // per consumer (1 unless the run sets them)
  // Lanes with records to run (the bound the workload sets on concurrency): per consumer, and
  // summed over the consumers.
  std::vector<ConcurrencyTracker> lanes_with_work;
  ConcurrencyTracker all_lanes_with_work;
  std::vector<ConsumerMetrics> consumers;
  std::vector<ConcurrencyTracker> function_concurrency;
  ConcurrencyTracker account_concurrency;
  TimeSeries series;
  ShardBacklog backlog;
  TraceRecorder* trace = nullptr;  // optional timelines, owned by the run (naming shards by shard_ids)
  Gantt* gantt = nullptr;
  CloudWatchRecorder* cloudwatch = nullptr;  // optional: the run's CloudWatch metrics

private:
  void reading(std::size_t consumer, int change, double now) {
    reading_shards[consumer].set(reading_shards[consumer].current() + change, now);
    reading_total_ += change;
    bound_total_ += change * parallelization_factors[consumer];
    series.level(TimeSeries::shards_being_read, reading_total_, now);
    series.level(TimeSeries::concurrency_bound, bound_total_, now);
  }
  int reading_total_ = 0;  // shards being read, summed over consumers
  int bound_total_ = 0;    // likewise × each consumer's ParallelizationFactor
  std::vector<std::size_t> finished_readers_of_;  // by shard: consumers whose reader is done with it
  // Records [from, to) of an invocation run: drawn and checked for ordering.
  void lay_out(const Invocation& invocation, std::size_t from, std::size_t to);
  // Discarded and expired records of a settlement: counted and reported as lost.
  void count_losses(ConsumerMetrics& m, const Settlement& s, double now);
};

}  // namespace shardsim
