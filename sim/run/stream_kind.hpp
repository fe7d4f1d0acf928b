#pragma once
// What differs between the kinds of stream a run can have (Kinesis, a DynamoDB table's stream,
// an SQS queue): each kind, in sim/run/kinds/, sets up its part of the run, starts its consumers'
// actors, and reports its own result section, costs and warnings. Run calls these hooks and never
// asks which kind it has; make_stream_kind is the one place that maps stream.type to a kind.
#include <cstdint>
#include <memory>
#include <string>

#include <simgrid/s4u/Host.hpp>

#include "analysis/result.hpp"
#include "models/stream/shard_source.hpp"
#include "sim/run/run_parts.hpp"

namespace shardsim {

struct ReaderSetting;

class StreamKind {
public:
  virtual ~StreamKind() = default;

  // Each shard's write limits (and read limits where the shard sets them).
  virtual ShardLimits shard_limits(const StreamConfig& stream) const = 0;
  // GetRecords' limits per call (Kinesis: 10,000 records or 10 MB).
  virtual ReadLimits get_records_limits() const;
  // How a shard's GetRecords calls are shared by the scenario's polling readers (Kinesis: 5 per
  // second among the polling consumers, when there are more than 5).
  virtual CallShare call_share(const Scenario& s) const;
  // The source a consumer's reader of `shard` fetches from, when the kind has its own (a Kafka
  // mapping's poller); null: GetRecords polling or enhanced fan-out (sim/run/consumers.cpp).
  virtual std::unique_ptr<ShardSource> record_source(const ReaderSetting&, std::size_t) const { return nullptr; }
  // After the parts are built, before reshard operations are scheduled.
  virtual void prepare(RunParts&) {}
  // How many batches a Lambda mapping runs at once on each shard it reads (a queue: in all).
  virtual std::int64_t batches_per_shard(const ConsumerConfig& c) const { return c.mapping.parallelization_factor; }
  // The most invocations a Lambda mapping can have at once, given the most shards it read at
  // once: PF per shard (a queue: its batches).
  virtual std::int64_t concurrency_bound(const ConsumerConfig& c, std::int64_t shards_read) const {
    return shards_read * batches_per_shard(c);
  }
  // Whether its consumers read through lanes (a queue's mapping has batches, not lanes): then
  // the result reports the lanes with records to run.
  virtual bool has_lanes() const { return true; }
  // Every shard the stream can have had by the end (sizes the engine's contexts).
  virtual std::size_t shards_ever(const RunParts& parts) const;
  // Whether the shard set changes on its own while records are put (a control actor follows it).
  virtual bool reshapes_itself(const RunParts& parts) const { return parts.stream.driven(); }
  // Starts every consumer's actors on the shards open at the start.
  virtual void start_consumers(RunParts& parts, simgrid::s4u::Host* host);
  // Its section of the result, after the shards are reported: fields, warnings, its words for
  // the shard set's changes in the summary (by default reshards: splits and merges).
  virtual void report(const RunParts&, RunResult& r) const;
  // Its own limits' use, after the shards' limits are in r.bounds (a Kafka mapping's pollers).
  virtual void report_bounds(const RunParts&, RunResult&) const {}
  // Its billing, after the stream's usage is in `cost`. By default no read request is billed
  // (Kinesis and SQS bill none for GetRecords).
  virtual void bill(const RunParts&, CostResult& cost) const { cost.stream_read_requests = 0; }
  // The first line of the configuration summary.
  virtual std::string configuration_line(const Scenario& s) const = 0;
  // Consumer c's line of the configuration summary, or "" for the generic mapping line.
  virtual std::string consumer_line(const Scenario&, const ConsumerConfig&) const { return ""; }
  // The warning when the age of what is invoked grows while records are put.
  virtual std::string growing_age_warning(double early_s, double late_s, const RunResult& r) const;
  // Whether records discarded by a consumer's retry rules are warned about (a queue's go to its
  // dead-letter queue, warned in its own section).
  virtual bool warns_discarded() const { return true; }
  // When the shard set follows the traffic (it changes as puts come, so only a run tells which
  // shards are open when): how, in words ("scaled the stream's"); else "".
  virtual std::string follows_traffic(const StreamConfig&) const { return ""; }
  // The write limit a producer's dropped records ran into, in words.
  virtual std::string write_limit_text() const { return "1,000 records/s or 1 MiB/s"; }
};

// ", off 5–12 s, from 30 s": when a mapping is turned off, for its configuration line.
std::string disabled_text(const ConsumerConfig& c);

// The kind of scenario stream.type.
std::unique_ptr<StreamKind> make_stream_kind(const StreamConfig& stream);

}  // namespace shardsim
