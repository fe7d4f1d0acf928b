#pragma once
// The stream's part of the scenario schema (sim/scenario/scenario_schema.hpp): its type (Kinesis, a
// DynamoDB table's stream, an SQS queue), shards, capacity mode, reshard operations, a table's
// partitions and a queue's settings.
#include <string>
#include <vector>

#include "sim/scenario/field_range.hpp"
#include "sim/scenario/scenario.hpp"

namespace shardsim {

inline const std::vector<std::string>& reshard_type_names() {
  static const std::vector<std::string> names{"split", "merge", "update_shard_count"};
  return names;
}

template <class V> void describe(V& v, ReshardOperation& o) {
  using T = ReshardOperation::Type;
  v.number("at_s", o.at_s, at_least(0), "when it happens (operations in time order)");
  v.choice("type", o.type, reshard_type_names(),
           "split (SplitShard: an open shard closes, two children open), merge (MergeShards: two adjacent open "
           "shards close, one child opens) or update_shard_count (UpdateShardCount, UNIFORM_SCALING)");
  if (v.when(o.type != T::update_shard_count))
    v.integer("shard", o.shard, at_least(0),
              "index of an open shard: the initial shards are 0 … shards−1, each new shard takes the next index");
  if (v.when(o.type == T::split))
    v.text("new_starting_hash_key", o.new_starting_hash_key,
           "split: NewStartingHashKey, decimal, inside the shard's range above its start; empty: the middle");
  if (v.when(o.type == T::merge))
    v.integer("adjacent_shard", o.adjacent_shard, at_least(0), "merge: the open shard whose range adjoins shard's");
  if (v.when(o.type == T::update_shard_count))
    v.integer("target_shard_count", o.target_shard_count, at_least(1),
              "update_shard_count: the open shards afterwards, of equal size; carried out at at_s as the splits "
              "(at each new boundary) and merges (of the pieces between two) that lead there. AWS's limits: "
              "between ½× and 2× the open shards, ≤ 10,000, ≤ 10 calls in any 24 h (what_if lifts them)");
}

inline const std::vector<std::string>& stream_type_names() {
  static const std::vector<std::string> names{"kinesis", "dynamodb", "sqs_standard", "sqs_fifo", "kafka"};
  return names;
}

template <class V> void describe(V& v, Repartition& r) {
  v.number("at_s", r.at_s, at_least(0), "when partitions are added (in time order)");
  v.integer("partitions", r.partitions, between(1, 200'000),
            "the topic's partitions from then on, more than before (a topic's partition count only grows). "
            "New partitions take the next indices; every key is routed by murmur2 modulo the new count, so "
            "keys move, and a moved key's new records can be processed before its older ones");
}

template <class V> void describe(V& v, TopicConfig& t) {
  v.integer("partitions", t.partitions, between(1, 200'000),
            "the topic's partitions at the start. A keyed record goes to partition toPositive(murmur2(key)) mod "
            "partitions, as the Java client's default partitioner (shardsim keys --partitions prints it); the "
            "Lambda mapping runs at most one batch per partition at a time");
  v.list("repartition", t.repartition, 0, "[{at_s, partitions}]: partitions added during the run");
  v.integer("producer_batch_bytes", t.producer_batch_bytes, between(1, 1 << 30),
            "the producers' batch.size (Kafka's default 16,384 bytes). A record without a key (producers' keys "
            "type none) goes to its producer's sticky partition, and once that many bytes went there the producer "
            "switches to a partition drawn uniformly from all, possibly the same (Java client 3.3 and later, "
            "KIP-794; its adaptive choice by broker queue sizes is not modelled, nor linger.ms)");
}

template <class V> void describe(V& v, QueueConfig& q) {
  v.number("visibility_timeout_s", q.visibility_timeout_s, at_least(0).aws(0, 43'200),
           "VisibilityTimeout: a received message stays invisible this long unless deleted; a failed or throttled "
           "batch's messages are received again after it (AWS: default 30 s; advises ≥ 6 × the function timeout)");
  v.number("retention_s", q.retention_s, positive().aws(60, 1'209'600),
           "MessageRetentionPeriod: a message older than this is deleted unprocessed (AWS: default 4 days)");
  v.integer("max_receive_count", q.max_receive_count, at_least(1).or_minus_one().aws(1, 1000),
            "redrive policy maxReceiveCount: a message received this many times without being deleted goes to the "
            "dead-letter queue (lost, cause dead_letter); -1: no dead-letter queue");
  v.number("duplicate_probability", q.duplicate_probability, between(0, 1),
             "sqs_standard: at-least-once delivery: a processed message is delivered once more, a visibility timeout "
             "after its receive, with this probability (duplicates, cause at_least_once). AWS gives no rate");
  v.integer("send_batch_size", q.send_batch_size, between(1, 10),
            "sqs_fifo: messages per SendMessageBatch call: sends are limited to 300 calls/s, so to 300 × this "
            "messages/s (3,000 with batches of 10); a refused send is retried by the producer");
  v.boolean("high_throughput", q.high_throughput,
            "sqs_fifo: high-throughput mode: 70,000 calls/s per API action (the quota of the largest regions)");
}

template <class V> void describe(V& v, TableConfig& t) {
  v.integer("partitions", t.partitions, between(1, 10'000),
            "table partitions at the start, the hash key space split evenly; the stream has one open shard per "
            "partition. Default 4: a new on-demand table sustains up to 4,000 writes per second (DynamoDB developer "
            "guide, on-demand capacity mode, initial throughput), 4 partitions' worth. An item goes to the partition holding the MD5 of its partition key (DynamoDB's own hash is "
            "undocumented). Each serves 1,000 write units per second, a write of b bytes taking ⌈b / 1 KB⌉");
  v.number("split_threshold_wcu", t.split_threshold_wcu, positive(),
           "a partition asked for at least this many write units in each of split_after_s consecutive seconds "
           "(throttled attempts included) splits in two by hash range at the end of that second: its shard closes "
           "and one child shard opens per new partition. AWS publishes no split rule; this is the model's");
  v.number("split_after_s", t.split_after_s, positive(), "see split_threshold_wcu (whole seconds, rounded up)");
  v.integer("max_partitions", t.max_partitions, between(1, 10'000), "no partition splits beyond this many");
}

inline const std::vector<std::string>& capacity_mode_names() {
  static const std::vector<std::string> names{"provisioned", "on_demand"};
  return names;
}

template <class V> void describe(V& v, OnDemandParams& o) {
  v.number("scale_delay_s", o.scale_delay_s, at_least(1).aws(1, 900),
           "a second of writes that sets a new peak (what the open shards sustained) gets the shards twice it "
           "needs this long later, and a shard that took more than 500 KB in a second splits this long later "
           "(AWS: traffic that more than doubles the previous peak within 15 minutes is throttled; a shard above "
           "500 KB/s splits within 15 minutes); none after production has ended");
  v.integer("max_shards", o.max_shards, at_least(1).aws(1, 10'000),
            "the stream's write ceiling in shards of 1 MiB/s (AWS: 200 MB/s by default, up to 10 GB/s on request)");
}

template <class V> void describe(V& v, StreamConfig& s) {
  using T = StreamConfig::Type;
  v.choice("type", s.type, stream_type_names(),
           "kinesis (Kinesis Data Streams), dynamodb (a DynamoDB table's stream: items written to table "
           "partitions, one shard per partition, order kept per item), sqs_standard (an SQS standard queue: no order, "
           "at-least-once), sqs_fifo (an SQS FIFO queue: the partition key is the MessageGroupId, order kept per "
           "group, one batch of a group in flight at a time) or kafka (an Apache Kafka topic, Amazon MSK or "
           "self-managed: the partition key is the record key, order kept per partition, one batch per partition in "
           "flight). A queue has one consumer, a Lambda mapping; a topic is read by Lambda mappings");
  if (v.when(s.type == T::kafka)) v.object("topic", s.topic, "kafka: the topic's partitions");
  if (v.when(s.type == T::kinesis)) {
    v.choice("capacity_mode", s.kinesis.capacity_mode, capacity_mode_names(),
             "provisioned (the shards you set, changed only by reshard) or on_demand (the stream adds shards itself: "
             "it serves twice the highest one-second write rate seen so far; shards are split in the middle, widest "
             "first, scale_delay_s after a new peak; never merged back; billed per stream-hour and GB)");
    v.integer("shards", s.shards, at_least(1).aws(1, 10'000),
              "open shards at creation, hash key space split evenly; on_demand: the shards at the start, default 4 "
              "(a new on-demand stream takes 4 MB/s and 4,000 records/s of writes)");
  }
  if (v.when(s.type == T::kinesis && s.kinesis.capacity_mode == StreamConfig::CapacityMode::on_demand))
    v.object("on_demand", s.kinesis.on_demand, "on_demand: how the stream scales");
  if (v.when(s.is_queue())) v.object("queue", s.queue, "sqs_standard, sqs_fifo: the queue's settings");
  if (v.when(s.type == T::dynamodb)) {
    v.object("table", s.table, "dynamodb: the table's partitions and when they split");
    v.number("shard_rollover_s", s.table.shard_rollover_s, at_least(1),
             "dynamodb: a shard open this long closes and one child shard takes over its partition (lineage), "
             "while producers write. AWS documents no period (its adapter's code says shards live about 4 hours); "
             "14,400 s is the model's choice");
    v.integer("max_readers_per_shard", s.table.max_readers_per_shard, between(1, 100).aws(1, 2),
              "dynamodb: AWS asks for no more than 2 simultaneous readers per shard (1 for global tables) and throttles "
              "beyond; the model gives each shard the GetRecords calls of this many Lambda pollers, 4 per second "
              "each, shared by every reader of the shard (throttles.read_readers)");
  }
  if (v.when(!s.is_queue() && s.type != T::kafka))
    v.list("reshard", s.reshard, 0,
         "scheduled splits and merges: [{at_s, type, shard, …}, …]; writes go to the shards open at their time, "
         "and every consumer starts reading each new shard. dynamodb: splits only, shard = the partition's "
         "position in hash key order among those open at at_s (0 = lowest), split in the middle");
  if (v.when(s.type == T::kinesis))
    v.number("retention_hours", s.retention_hours, positive().aws(24, 8760),
             "records older than this vanish from the stream (dynamodb: 24; kafka: the topic's retention.ms in "
             "hours, any value > 0, default 168, the broker's default of 7 days)");
  if (v.when(s.type == T::kafka))  // the same field without Kinesis's range (the reference lists the first)
    v.number("retention_hours", s.retention_hours, positive(), "");
  if (v.when(s.type != T::sqs_standard && s.type != T::kafka))
    v.number("write_burst_s", s.write_burst_s, positive(),
             "a shard's write limits are token buckets holding this many seconds of their rate (1,000 records, 1 MiB "
             "at 1 s): how big a burst a shard takes at once (sqs_fifo: the send limit's). AWS documents no burst; 1 s "
             "is the model's choice");
}

}  // namespace shardsim
