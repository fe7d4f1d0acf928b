#pragma once
// Every scenario field once: its JSON name, allowed range and meaning. The same description
// drives reading (sim/scenario_reader), printing the resolved scenario (sim/scenario_writer)
// and the field reference (`shardsim fields`, scenarios/README.md), so they cannot disagree.
// A visitor V provides number, integer, boolean, text, text_list, number_list, choice, object,
// optional_object (absent or null: none; present: read over the given initial value),
// any_object (a JSON object checked elsewhere), list, map
// and when(condition) (true when the fields that follow apply).
#include "sim/scenario/field_range.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_schema_stream.hpp"

namespace shardsim {

inline const std::vector<std::string>& arrival_type_names() {
  static const std::vector<std::string> names{"poisson", "constant", "on_off", "schedule", "trace"};
  return names;
}
inline const std::vector<std::string>& within_names() {
  static const std::vector<std::string> names{"poisson", "constant"};
  return names;
}
inline const std::vector<std::string>& shape_names() {
  static const std::vector<std::string> names{"step", "linear"};
  return names;
}

template <class V> void describe(V& v, SchedulePoint& p) {
  v.number("at_s", p.at_s, at_least(0), "from this time on");
  v.number("factor", p.factor, at_least(0), "the rate is rate_per_s × factor");
}

template <class V> void describe(V& v, Distribution& d) {
  using T = Distribution::Type;
  v.choice("type", d.type, distribution_type_names(),
           "constant, exponential, uniform, lognormal, normal (truncated at 0) or empirical");
  if (v.when(d.type == T::constant)) v.number("value", d.value, at_least(0), "constant: the value");
  if (v.when(d.type == T::exponential || d.type == T::normal))
    v.number("mean", d.mean, at_least(0), "exponential, normal: the mean");
  if (v.when(d.type == T::uniform)) {
    v.number("min", d.min, at_least(0), "uniform: lower bound");
    v.number("max", d.max, at_least(0), "uniform: upper bound (≥ min)");
  }
  if (v.when(d.type == T::lognormal)) {
    v.number("median", d.median, positive(), "lognormal: the median, exp(mu)");
    v.number("sigma", d.sigma, at_least(0), "lognormal: standard deviation of the logarithm");
  }
  if (v.when(d.type == T::normal))
    v.number("stddev", d.stddev, at_least(0), "normal: standard deviation before truncation at 0");
  if (v.when(d.type == T::empirical))
    v.number_list("values", d.values, at_least(0), "empirical: equally likely values (at least one)");
}

template <class V> void describe(V& v, KeySpec& k) {
  using T = KeySpec::Type;
  v.choice("type", k.type, key_type_names(),
           "uniform, zipf, hot, unique, sequence, or none (records without a key, Kafka topics only: each goes to its "
           "producer's sticky partition, see stream.topic.producer_batch_bytes; no order is kept or checked)");
  if (v.when(k.type == T::uniform || k.type == T::zipf || k.type == T::hot))
    v.integer("count", k.count, between(1, 10'000'000), "number of distinct keys");
  if (v.when(k.type == T::zipf))
    v.number("exponent", k.exponent, at_least(0), "zipf: the key of rank r gets traffic ∝ 1/r^exponent");
  if (v.when(k.type == T::hot)) {
    v.integer("hot_keys", k.hot_keys, at_least(1), "hot: how many keys are hot (≤ count)");
    v.number("hot_fraction", k.hot_fraction, between(0, 1), "hot: share of records on the hot keys");
  }
  if (v.when(k.type == T::sequence)) {
    v.text_list("values", k.values, "sequence: the partition keys in order (at least one)");
    v.boolean("repeat", k.repeat, "sequence: start over after the last key; if false the producer stops");
  }
  if (v.when(k.type != T::sequence))
    v.text("prefix", k.prefix, "key number i is the partition key prefix + i");
}

template <class V> void describe(V& v, ArrivalSpec& a) {
  using T = ArrivalSpec::Type;
  v.choice("type", a.type, arrival_type_names(),
           "poisson (exponential gaps) or constant (evenly spaced) at rate_per_s; on_off (bursts at rate_per_s "
           "for on_s, silence for off_s); schedule (rate_per_s × a factor that changes over time: steps, ramps, "
           "a diurnal curve); trace (replay a CSV file)");
  if (v.when(a.type == T::on_off || a.type == T::schedule))
    v.choice("within", a.within, within_names(), "on_off, schedule: poisson or constant arrivals at the current rate");
  if (v.when(a.type == T::on_off)) {
    v.number("on_s", a.on_s, positive(), "on_off: length of a burst");
    v.number("off_s", a.off_s, at_least(0), "on_off: pause between bursts");
  }
  if (v.when(a.type == T::schedule)) {
    v.choice("shape", a.shape, shape_names(), "schedule: step (hold each factor) or linear (ramp between points)");
    v.list("points", a.points, 1, "schedule: [{at_s, factor}, …] in increasing at_s");
  }
  if (v.when(a.type == T::trace))
    v.text("file", a.file,
           "trace: CSV file (relative to the scenario) with rows time_s,partition_key,bytes[,entity], times "
           "non-decreasing; a first line starting with time_s is a header; keys, record_bytes, rate_per_s and entity then do not apply");
}

template <class V> void describe(V& v, ProducerConfig::Aggregation& a) {
  v.integer("records_per_kinesis_record", a.records_per_kinesis_record, between(1, 65535),
            "KPL aggregation: user records packed into one Kinesis record (1: none); the handler spends "
            "per_record on each user record");
  v.text("partition_key", a.partition_key,
         "partition key of the aggregated records; empty: the first user record's key");
}

inline const std::vector<std::string>& order_by_names() {
  static const std::vector<std::string> names{"auto", "partition_key", "item", "entity"};
  return names;
}

template <class V> void describe(V& v, ProducerConfig& p) {
  v.text("name", p.name, "label in reports; default producer-<index>");
  v.object("arrival", p.arrival, "arrival process");
  const bool generated = p.arrival.type != ArrivalSpec::Type::trace;
  if (v.when(generated)) {
    v.number("rate_per_s", p.rate_per_s, positive(), "mean records put per second");
    v.object("keys", p.keys, "partition key distribution");
    v.object("record_bytes", p.record_bytes,
             "data size of a record (rounded to whole bytes, 1 … 1,048,576); the partition key's bytes are added");
  }
  v.number("start_s", p.start_s, at_least(0), "the producer starts at this simulated time");
  KeySpec entity_default;
  entity_default.prefix = "entity-";
  if (v.when(generated))
    v.optional_object("entity", p.entity, entity_default,
                    "ordering key of each record when it differs from the partition key (e.g. partition key = "
                    "event id, entity = customer id); a key distribution like keys, default prefix \"entity-\"");
  KeySpec sort_default;
  sort_default.prefix = "sort-";
  if (v.when(generated))
    v.optional_object("sort_keys", p.sort_keys, sort_default,
                      "dynamodb: each item's sort key, a key distribution like keys (default prefix \"sort-\"); an item "
                      "is a partition key and a sort key, routed by its partition key; absent: one item per partition key");
  v.choice("order_by", p.order_by, order_by_names(),
           "whose order the checker holds the pipeline to: partition_key, item (dynamodb: partition key + sort key, "
           "the order DynamoDB Streams and Lambda keep) or entity (needs entity); auto: entity if given, else item "
           "(the partition key on Kinesis or without sort keys)");
  v.integer("max_put_attempts", p.max_put_attempts, between(1, 100),
            "attempts of a put rejected by the shard's write limit before the record is dropped; a retried "
            "record gets a new, later sequence number");
  v.boolean("ordered", p.ordered,
            "PutRecord with SequenceNumberForOrdering: a partition key's records go out one at a time, in order, "
            "each after the previous put's round trip (put_latency_s); while a rejected put waits for its retry, "
            "the key's later records wait behind it (their put time moves after it), so retries cannot reorder a "
            "key; the cost: a key's records wait out each round trip and backoff");
  if (v.when(p.ordered))
    v.object("put_latency_s", p.put_latency_s,
             "ordered: a PutRecord's round trip, s, which the producer waits for before the key's next put (and "
             "before a rejected put's backoff): one key takes at most 1 / its mean puts per second. AWS documents "
             "no figure; default lognormal, median 0.02 s, sigma 0.5 (the model's choice)");
  v.number("put_retry_delay_s", p.put_retry_delay_s, at_least(0),
           "retry n waits uniform(0, put_retry_delay_s × 2^(n−1)) (exponential backoff, full jitter)");
  v.number("put_retry_max_delay_s", p.put_retry_max_delay_s, at_least(0), "cap of the retry wait");
  v.text("explicit_hash_key", p.explicit_hash_key,
         "ExplicitHashKey for every record of this producer (decimal, 0 … 2^128−1): picks the shard instead "
         "of the MD5 of the partition key; empty: none");
  v.object("aggregation", p.aggregation, "KPL-style aggregation of user records");
}

inline const std::vector<std::string>& on_failure_names() {
  static const std::vector<std::string> names{"none", "sqs", "sns", "s3"};
  return names;
}

inline const std::vector<std::string>& consumer_type_names() {
  static const std::vector<std::string> names{"lambda_esm", "kcl", "raw_reader"};
  return names;
}

template <class V> void describe(V& v, DisabledPeriod& p) {
  v.number("from_s", p.from_s, at_least(0), "the mapping is turned off (Enabled false) at this time");
  v.number("to_s", p.to_s, at_least(0).or_minus_one(), "and on again at this time; -1: off for the rest of the run");
}

template <class V> void describe(V& v, WorkerFailure& f) {
  v.number("at_s", f.at_s, at_least(0), "when the worker fails (stops processing and renewing its leases)");
  v.integer("worker", f.worker, at_least(0), "which worker, 0 … workers−1");
  v.number("recover_after_s", f.recover_after_s, at_least(0).or_minus_one(),
           "it is back this long after; -1: never. A recovered worker takes leases again (new shards' and expired ones)");
}

inline const std::vector<std::string>& delivery_names() {
  static const std::vector<std::string> names{"polling", "efo"};
  return names;
}

inline const std::vector<std::string>& lineage_names() {
  static const std::vector<std::string> names{"parent_first", "ignore"};
  return names;
}

inline const std::vector<std::string>& starting_position_names() {
  static const std::vector<std::string> names{"TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"};
  return names;
}

template <class V> void describe_common(V& v, ConsumerConfig& c);

template <class V> void describe(V& v, FilterConfig& f) {
  v.text_list("partition_keys", f.partition_keys, "the record's partition key is one of these; empty: any");
  v.text_list("entities", f.entities, "the record's entity (the key whose order matters) is one of these; empty: any");
  v.text("attribute", f.attribute, "the record carries this attribute (a name in record_attributes); empty: any");
}

template <class V> void describe(V& v, RecordAttribute& a) {
  v.text("name", a.name, "the attribute's name, for consumers[].filters[].attribute");
  v.number("share", a.share, between(0, 1),
           "the share of records that carry it: each stored record does with this probability, drawn from its "
           "identity (key, sequence number, arrival), the same for every consumer");
}

inline const std::vector<std::string>& poller_mode_names() {
  static const std::vector<std::string> names{"on_demand", "provisioned"};
  return names;
}

template <class V> void describe(V& v, ConsumerConfig::Mapping::Pollers& p) {
  using M = ConsumerConfig::Mapping::Pollers::Mode;
  v.choice("mode", p.mode, poller_mode_names(),
           "on_demand (the default: from 1 poller, evaluated each minute on the topic's offset lag, changes in effect "
           "scale_delay_s later; a throttled function loses a poller) or provisioned (ProvisionedPollersConfig: "
           "between minimum and maximum pollers)");
  if (v.when(p.mode == M::provisioned)) {
    v.integer("minimum", p.minimum, between(1, 200).or_minus_one(),
              "provisioned: MinimumPollers (AWS: 1 … 200; on SQS at least 2); -1: AWS's default, 1 on Kafka, 2 on SQS");
    v.integer("maximum", p.maximum, between(1, 2000),
              "provisioned: MaximumPollers (AWS: 1 … 2,000, default 200; on SQS at least 2), ≥ minimum; on Kafka Lambda "
              "uses at most one poller per partition");
  }
  v.number("scale_delay_s", p.scale_delay_s, at_least(0).or_minus_one(),
           "how long after an evaluation its poller count takes effect; -1: 180 s on demand (AWS: within three "
           "minutes of the evaluation), 0 provisioned (AWS documents no delay)");
}

template <class V> void describe(V& v, ConsumerConfig& c) {
  using T = ConsumerConfig::Type;
  v.choice("type", c.type, consumer_type_names(),
           "lambda_esm (a Lambda event source mapping), kcl (a Kinesis Client Library application, or on DynamoDB the "
           "DynamoDB Streams Kinesis Adapter: workers holding one lease per shard, checkpoints, failover) or "
           "raw_reader (a hand-written poller on the low-level API: one per shard, no leases, lineage ignored by "
           "default). kcl and raw_reader process each GetRecords' records as one batch with the function's "
           "duration and errors model (not on Lambda: no concurrency limit, no Lambda cost, no timeout)");
  v.text("name", c.name, "label in reports; default <function>-mapping (kcl: <function>-kcl, raw_reader: <function>-reader)");
  v.text("function", c.function,
         "the function invoked (kcl, raw_reader: whose handler model processes the batches), a key of functions (may be "
         "omitted when there is one)");
  if (v.when(c.type != T::lambda_esm)) {
    v.integer("max_records", c.reader.max_records, between(1, 10'000),
              "kcl, raw_reader: records per GetRecords, a batch (KCL default 10,000; the DynamoDB adapter's 1,000; "
              "capped by the stream's own per-call limit)");
  }
  if (v.when(c.type == T::kcl)) {
    v.integer("workers", c.kcl.workers, between(1, 10'000), "kcl: worker processes sharing the leases");
    v.integer("worker_threads", c.kcl.worker_threads, between(0, 100'000),
              "kcl: batches a worker processes at once (its cores, for a CPU-bound record processor); a shard's "
              "batch that finds them busy waits for one, first come first served. 0: no limit, as the KCL's own "
              "pool, which grows a thread per busy shard");
    v.integer("max_leases_per_worker", c.kcl.max_leases_per_worker, at_least(0),
              "kcl: most leases a worker holds (maxLeasesForWorker); 0: no limit");
    v.number("checkpoint_interval_s", c.kcl.checkpoint_interval_s, at_least(0),
             "kcl: the application checkpoints after a batch when this long has passed since its last checkpoint; "
             "0: after every batch. After a failover the new holder resumes from the last checkpoint");
    v.number("lease_taker_interval_s", c.kcl.lease_taker_interval_s, positive().or_minus_one(),
             "kcl: how often each worker's lease taker runs and takes new and expired leases (every worker's at the "
             "application's start_s, then this often); -1: the KCL's 2 × (failoverTimeMillis + 25 ms), 20.05 s by "
             "default");
    v.number("shard_sync_interval_s", c.kcl.shard_sync_interval_s, positive().or_minus_one(),
             "kcl: -1: a new child shard's lease is created when its parents reach SHARD_END (KCL 2.x and later); "
             "a number: also by the periodic shard sync, this often from start_s, while the parents are still read "
             "(KCL 1.x: shardSyncIntervalMillis, 60 s)");
    v.number("parent_poll_interval_s", c.kcl.parent_poll_interval_s, at_least(0),
             "kcl: a worker holding a child's lease before its parents reach SHARD_END (see shard_sync_interval_s) "
             "looks again this often (parentShardPollIntervalMillis, 10 s); it starts at its first look after they "
             "are done. 0: at once");
    v.number("failover_s", c.kcl.failover_s, positive(),
             "kcl: failoverTimeMillis: a failed worker's leases expire and move to live workers this long after");
    v.list("worker_failures", c.kcl.worker_failures, 0,
           "kcl: [{at_s, worker, recover_after_s}]: the worker's batch in flight is lost, its leases move after "
           "failover_s, and records processed after the last checkpoint are processed again (duplicates, "
           "cause failover_redelivery)");
  }
  if (v.when(c.type == T::raw_reader))
    v.integer("max_attempts", c.reader.max_attempts, between(1, 100),
              "raw_reader: tries of a failing batch (after a poll interval each) before it is skipped (discarded)");
  if (!v.when(c.type == T::lambda_esm)) return describe_common(v, c);
  v.list("disabled", c.mapping.disabled, 0,
         "[{from_s, to_s}] in time order: the mapping is turned off and on again (UpdateEventSourceMapping "
         "Enabled). While off nothing is read and no invocation starts (running ones finish; a retry waits); "
         "then it resumes from its checkpoint");
  v.integer("batch_size", c.mapping.batch_size, at_least(1).aws(1, 10'000),
            "BatchSize: most records per invocation (default 100; on a queue 10: sqs_fifo ≤ 10, sqs_standard above 10 "
            "needs a batching window of at least 1 s)");
  v.number("batching_window_s", c.mapping.batching_window_s, at_least(0).aws(0, 300),
           "MaximumBatchingWindowInSeconds: wait up to this long for a full batch (default 0; on a Kafka topic 0.5 s)");
  v.integer("maximum_concurrency", c.mapping.maximum_concurrency, at_least(2).or_minus_one().aws(2, 1000),
            "on a queue (sqs_*): MaximumConcurrency, the mapping's most concurrent invocations; -1: none (the "
            "mapping's own 1,000). A standard queue's pollers start at 5 batches and add 300 per minute while "
            "messages wait; a FIFO queue's concurrency is also bounded by its message groups with messages");
  v.list("filters", c.mapping.filters, 0,
         "FilterCriteria: [{partition_keys, entities, attribute}, …], ORed, each filter's parts ANDed; a record no "
         "filter matches is read and discarded before batching: never invoked, counted in records.filtered; on a "
         "queue it is received and deleted (AWS: up to 5 filters, 10 on request; AWS filters on a Kinesis record's "
         "data or a message's body, which the model takes to hold these fields). Empty: every record");
  v.object("pollers", c.mapping.pollers,
           "the mapping's event pollers: on a Kafka topic, each reads up to 5 MB/s of the partitions it is given "
           "(partition p: poller p mod pollers); on a queue, provisioned mode (instead of MaximumConcurrency) runs 10 "
           "batches per poller, from minimum × 10 at once, adding up to 1,000 per minute while messages wait, to "
           "maximum × 10 (at most 20,000)");
  v.number("tumbling_window_s", c.mapping.tumbling_window_s, at_least(0).aws(0, 900),
           "TumblingWindowInSeconds (Kinesis and DynamoDB streams): windows of this length by the records' arrival, "
           "aligned to time 0; a batch holds one window's records, and once a window is over its shard's lane runs "
           "one final invocation without records (isFinalInvokeForWindow), retried until it succeeds, before the "
           "next window's records. Needs ParallelizationFactor 1. 0: none");
  v.number("tumbling_window_quiet_s", c.mapping.tumbling_window_quiet_s, between(0.0, 120.0),
           "how long after a window's end the mapping waits for more of its records before the final invocation, "
           "when no later record has been read and the shard has not ended (AWS: \"up to 2 minutes\"; default 120)");
  v.integer("parallelization_factor", c.mapping.parallelization_factor, at_least(1).aws(1, 10),
            "ParallelizationFactor: batches of one shard in flight at once");
  v.choice("lane_assignment", c.mapping.lane_assignment, lane_assignment_names(),
           "how PF > 1 spreads keys over concurrent batches (undocumented by AWS): hash = fixed lane, the "
           "low 64 bits of the key's MD5 hash key mod PF (shardsim keys --pf prints it); dynamic = any free "
           "lane whose key is not in flight");
  v.integer("max_retry_attempts", c.mapping.max_retry_attempts, at_least(0).or_minus_one().aws(0, 10'000),
            "MaximumRetryAttempts: retries of a failed batch before it is discarded; -1 until it expires");
  v.number("max_record_age_s", c.mapping.max_record_age_s, at_least(0).or_minus_one().aws(60, 604'800),
           "MaximumRecordAgeInSeconds: checked before every invocation (a new batch, each retry) and after "
           "a failure: records older than this go to the on-failure destination, never to the function; the "
           "younger records of the batch are still invoked; -1 no limit");
  v.boolean("bisect_on_error", c.mapping.bisect_on_error,
            "BisectBatchOnFunctionError: split a failed batch in two and retry each half (a split is not a retry)");
  v.boolean("report_batch_item_failures", c.mapping.report_batch_item_failures,
            "ReportBatchItemFailures: the handler reports failed records; the mapping checkpoints at the lowest "
            "one. If that advanced the checkpoint, the rest is a new batch (invoked at once, attempts from 0); "
            "else it is a retry");
  v.choice("on_failure", c.mapping.on_failure, on_failure_names(),
           "on-failure destination for discarded batches (it receives their metadata, not the records)");
  v.choice("delivery", c.delivery, delivery_names(),
           "polling (shared GetRecords: 5 calls/s and 2 MiB/s per shard for all polling consumers) or efo "
           "(enhanced fan-out: records pushed, 2 MiB/s per shard for this consumer alone)");
  describe_common(v, c);
}

// The fields every consumer type takes.
template <class V> void describe_common(V& v, ConsumerConfig& c) {
  v.number("poll_interval_s", c.poll_interval_s, at_least(0),
           "polling: GetRecords period per shard while caught up (Lambda: once per second on Kinesis, 4 times on "
           "DynamoDB; KCL: idleTimeBetweenReadsInMillis, 1 s, the adapter recommends 0.5 s); 0 idealises "
           "immediate delivery, for validation");
  v.number("propagation_delay_s", c.propagation_delay_s, at_least(0).or_minus_one(),
           "time from a put until the consumer can get the record; -1: AWS's typical value, 0.2 s × the "
           "number of polling consumers of the stream (≈ 1 s with 5), or 0.07 s with efo. DynamoDB Streams: AWS "
           "says only that stream records are written in near-real time; the same rule is the model's choice");
  v.choice("lineage", c.lineage, lineage_names(),
           "after a reshard, split or rollover (undocumented by AWS for Lambda): parent_first = a child shard is read "
           "once its parents' readers have read them to the end and settled every batch (the KCL does this); "
           "ignore = children are read as soon as they open (a raw reader's default)");
  v.choice("starting_position", c.starting_position, starting_position_names(),
           "TRIM_HORIZON (oldest record), LATEST (records put after start_s) or AT_TIMESTAMP");
  v.number("starting_position_timestamp_s", c.starting_position_timestamp_s, at_least(0),
           "AT_TIMESTAMP: the first record read is the first put at or after this time");
  v.number("start_s", c.start_s, at_least(0), "the mapping is enabled (starts reading) at this time");
}

template <class V> void describe(V& v, DurationSpec& d) {
  v.object("per_invocation", d.per_invocation, "time per invocation, s (overhead, independent of batch size)");
  v.object("per_record", d.per_record, "time per record of the batch, s (sampled for each record)");
  v.text_list("slow_keys", d.slow_keys, "partition keys whose records take slow_key_multiplier times longer");
  v.number("slow_key_multiplier", d.slow_key_multiplier, at_least(0), "how much longer a slow key's record takes");
}

inline const std::vector<std::string>& strategy_names() {
  static const std::vector<std::string> names{"sequential", "per_key_parallel", "distributed_lock"};
  return names;
}

template <class V> void describe(V& v, LockSpec& l) {
  v.object("acquire_s", l.acquire_s, "one attempt to take the lock: a conditional write's round trip, s");
  v.object("release_s", l.release_s, "releasing it: a delete's round trip, s");
  v.number("retry_s", l.retry_s, at_least(0),
           "wait between failed attempts (AWS's DynamoDB Lock Client re-reads every 1 s)");
  v.number("ttl_s", l.ttl_s, positive(),
           "the lease: a hold longer than this expires under its holder and another invocation can take the lock "
           "(an overlap of cause lock_expired); the Lock Client's default 20 s");
  v.number("max_wait_s", l.max_wait_s, at_least(0),
           "an acquirer waiting longer gives up and the record fails (the Lock Client waits the lease + 1 s)");
}

template <class V> void describe(V& v, FailingRecordSpec& f) {
  v.text("key", f.key, "the records' partition key (a queue's MessageGroupId); empty: any key");
  v.integer("sequence", f.sequence, at_least(0),
            "a single record: its SequenceNumber in its shard, 1 for the first record written to it (on a queue, "
            "the n-th message sent); 0: every record of the key");
  v.number_list("attempts", f.attempts, at_least(1),
                "the deliveries it fails on, 1 = the first (the n-th invocation of the consumer whose batch held it); "
                "empty: every delivery");
}

template <class V> void describe(V& v, ErrorSpec& e) {
  v.number("record_failure_probability", e.record_failure_probability, between(0, 1),
           "each record fails independently with this probability");
  v.text_list("poison_keys", e.poison_keys, "records with these partition keys always fail");
  v.list("failing_records", e.failing_records, 0,
         "[{key, sequence, attempts}]: records that fail, by key, by record or both, on every delivery or only on "
         "the listed ones (a cold dependency: [1]; one message of a FIFO group)");
  v.number("invocation_failure_probability", e.invocation_failure_probability, between(0, 1),
           "an invocation fails before processing any record (a transient error)");
}

template <class V> void describe(V& v, ColdStartSpec& c) {
  v.object("init_s", c.init_s, "init phase of a new execution environment, s; it precedes the handler");
  v.number("keep_warm_s", c.keep_warm_s, at_least(0),
           "an idle environment stays warm this long (AWS: undocumented; often reported 5–15 min)");
}

template <class V> void describe(V& v, FunctionConfig& f) {
  v.object("duration", f.duration, "handler duration = per_invocation + sum of per_record over the batch");
  v.object("cold_start", f.cold_start, "execution environments: init time and how long they stay warm");
  v.number("timeout_s", f.timeout_s, positive().aws(1, 900), "function timeout: a longer invocation fails at this time");
  v.integer("memory_mb", f.memory_mb, at_least(1).aws(128, 10'240), "memory size; billed GB-s = memory × duration");
  v.object("errors", f.errors, "how the handler fails");
  v.choice("strategy", f.strategy, strategy_names(),
           "sequential (records in batch order), per_key_parallel (the batch grouped by ordering key, groups "
           "run concurrently inside the handler, each in order) or distributed_lock (records in batch order, each "
           "inside its ordering key's lock in a lock table shared by every invocation of the function: mutual "
           "exclusion per entity across shards and lanes, but not order; waits are billed)");
  if (v.when(f.strategy == FunctionConfig::Strategy::per_key_parallel))
    v.integer("max_in_handler_concurrency", f.max_in_handler_concurrency, at_least(1),
              "per_key_parallel: groups running at once inside one invocation");
  if (v.when(f.strategy == FunctionConfig::Strategy::distributed_lock))
    v.object("lock", f.lock, "distributed_lock: the lock table's round trips, retry, lease and patience");
  v.integer("reserved_concurrency", f.reserved_concurrency, at_least(0).or_minus_one(),
            "reserved concurrency, both floor and ceiling; -1 for none (share the unreserved pool)");
  v.integer("provisioned_concurrency", f.provisioned_concurrency, at_least(0),
            "provisioned concurrency (of the function or its alias, as one number): that many execution environments "
            "initialised before the run and kept, taken first by an invocation (no cold start, no scaling rate); "
            "invocations beyond them spill over to on-demand environments. Billed per GB-s configured over the run "
            "(pricing.lambda_provisioned_per_gb_s) and a lower duration price on them. At most the reserved "
            "concurrency, and the account's concurrency minus 100 (AWS)");
}

template <class V> void describe(V& v, RetryBackoff& b) {
  v.number("initial_s", b.initial_s, positive(), "wait before the first retry of a throttled invocation");
  v.number("multiplier", b.multiplier, at_least(1), "each further retry waits this much longer");
  v.number("max_s", b.max_s, positive(), "the wait never exceeds this");
}

template <class V> void describe(V& v, LambdaConfig& l) {
  v.integer("account_concurrency", l.account_concurrency, at_least(1),
            "account's concurrent executions in the region (AWS default quota 1,000; raisable)");
  v.number("scaling_limit_per_10s", l.scaling_limit_per_10s, positive().aws(1000, 1000),
           "new execution environments a function may create per 10 s, refilled continuously");
  v.object("retry_backoff", l.retry_backoff,
           "how a mapping retries a throttled invocation (AWS: undocumented; this is the model's choice)");
}

template <class V> void describe(V& v, Pricing& p) {
  v.number("lambda_per_million_requests", p.lambda_per_million_requests, at_least(0),
           "USD per million invocations (us-east-1, 2025: 0.20)");
  v.number("lambda_per_gb_s", p.lambda_per_gb_s, at_least(0),
           "USD per GB-second of invocation time, billed per ms (x86, 2025: 0.0000166667)");
  v.number("lambda_provisioned_per_gb_s", p.lambda_provisioned_per_gb_s, at_least(0),
           "USD per GB-second of provisioned concurrency configured, for the whole run (x86, 2025: 0.0000041667)");
  v.number("lambda_provisioned_duration_per_gb_s", p.lambda_provisioned_duration_per_gb_s, at_least(0),
           "USD per GB-second of invocation time on provisioned environments, instead of lambda_per_gb_s (x86, 2025: "
           "0.0000097222)");
  v.number("shard_hour", p.shard_hour, at_least(0), "USD per shard-hour, provisioned mode (2025: 0.015)");
  v.number("per_million_put_payload_units", p.per_million_put_payload_units, at_least(0),
           "USD per million PUT payload units of 25 KB, provisioned mode (2025: 0.014)");
  v.number("on_demand_stream_hour", p.on_demand_stream_hour, at_least(0),
           "USD per stream-hour, on-demand mode (2025: 0.04)");
  v.number("on_demand_per_gb_written", p.on_demand_per_gb_written, at_least(0),
           "USD per GB (2^30 bytes of records as the write limit counts them) written, on-demand mode (2025: 0.08)");
  v.number("on_demand_per_gb_read", p.on_demand_per_gb_read, at_least(0),
           "USD per GB read, each consumer's reads counted, on-demand mode (2025: 0.04)");
  v.number("dynamodb_per_million_write_request_units", p.dynamodb_per_million_write_request_units, at_least(0),
           "DynamoDB: USD per million write request units of an on-demand table, a unit per started KB of an item "
           "written (us-east-1, 2025: 0.625)");
  v.number("dynamodb_per_100k_stream_read_requests", p.dynamodb_per_100k_stream_read_requests, at_least(0),
           "DynamoDB Streams: USD per 100,000 streams read request units, one per GetRecords call of a KCL "
           "application or raw reader; Lambda triggers read for free (2025: 0.02)");
  v.number("sqs_standard_per_million_requests", p.sqs_standard_per_million_requests, at_least(0),
           "SQS standard queue: USD per million requests (sends, receives, deletes; each 64 KB chunk of a payload is "
           "a request; us-east-1, 2025: 0.40, first million a month free, not deducted)");
  v.number("sqs_fifo_per_million_requests", p.sqs_fifo_per_million_requests, at_least(0),
           "SQS FIFO queue: USD per million requests, counted likewise (2025: 0.50)");
  v.number("efo_consumer_shard_hour", p.efo_consumer_shard_hour, at_least(0),
           "enhanced fan-out: USD per consumer-shard-hour, each registered (delivery efo) consumer paying for every open "
           "shard (provisioned-mode list price, 2025: 0.015; on-demand streams are priced the same here)");
  v.number("efo_per_gb_retrieved", p.efo_per_gb_retrieved, at_least(0),
           "enhanced fan-out: USD per GB pushed to a consumer, every record written counted once per EFO consumer (2025: 0.013)");
  v.number("worker_hour", p.worker_hour, at_least(0),
           "kcl, raw_reader: USD per hour of each worker process (a KCL worker; one process for a raw reader), for the "
           "whole run; the model's default is a 2-vCPU on-demand instance (t3.medium, us-east-1: 0.0416)");
  v.number("dynamodb_per_million_read_request_units", p.dynamodb_per_million_read_request_units, at_least(0),
           "kcl: USD per million read request units of the lease table (on demand, us-east-1, 2025: 0.125): every lease "
           "read at each lease taker run of each worker; its writes (leases taken, checkpoints, renewals every "
           "failover_s / 3 − 25 ms) at dynamodb_per_million_write_request_units");
}

template <class V> void describe(V& v, Limits& l) {
  v.number("drain_limit_s", l.drain_limit_s, at_least(0),
           "after duration_s, time allowed for the pipeline to drain; what remains is reported in flight");
  v.integer("max_backlog_records", l.max_backlog_records, at_least(1),
            "safety stop: a run holding more unread records than this ends with exit code 3");
  v.number("max_records", l.max_records, positive(),
           "a scenario whose producers would make more records than this (rates × duration_s, trace rows) is "
           "refused before it runs: 5e9 take about 40 minutes at 2 M records/s");
  v.number("max_memory_mb", l.max_memory_mb, at_least(0),
           "a scenario whose tables would need more memory than this (keys × consumers, shards × consumers) is "
           "refused before it runs; 0: 80 % of this machine's memory");
}

template <class V> void describe(V& v, Scenario& s) {
  v.text("name", s.name, "label in reports; default: the file name without .json");
  v.text("description", s.description, "free text, shown in reports");
  v.text("question", s.question,
         "the question catalog (scenarios/questions/): the question this scenario answers, in the user's words");
  v.text("answer", s.answer, "the question catalog: its answer in two or three plain sentences (expect makes it checkable)");
  v.integer("seed", s.seed, at_least(0), "seed of every random stream; same seed, same result");
  v.number("duration_s", s.duration_s, positive(), "producers write records during [0, duration_s)");
  v.boolean("what_if", s.what_if, "allow values beyond AWS's limits, each with a warning");
  v.object("stream", s.stream, "the stream");
  v.list("producers", s.producers, 1, "who writes records (at least one)");
  v.list("consumers", s.consumers, 0, "who reads them: event source mappings");
  v.list("record_attributes", s.record_attributes, 0,
         "[{name, share}]: attributes a share of the records carry, for the mappings' filters to match");
  v.map("functions", s.functions, "Lambda functions by name");
  v.object("lambda", s.lambda, "the Lambda service of the account");
  v.object("pricing", s.pricing, "prices for the cost estimate; check the live price list");
  v.object("limits", s.limits, "how long a run may go on");
  v.any_object("sweep", s.sweep,
               "shardsim sweep: {\"mode\": \"product\" (default) or \"zip\", \"parameters\": {\"dotted.path\": "
               "[values] or {\"from\", \"to\", \"step\" or \"factor\"}}} (a range without step or factor: every whole "
               "number from from to to)");
  v.any_object("expect", s.expect,
               "the scenario's stated answer: {\"result.path\": {\"min\": x, \"max\": y, \"equals\": v}, …} (the paths "
               "objectives take, and ordering.causes.<kind>/<cause>, 0 when absent; diagnosis.bound and diagnosis.cause take "
               "{\"equals\": \"word\"}); shardsim run prints each with its "
               "value and exits 4 when one fails; sweep and compare check it at every point and variant (a variant's "
               "or a sweep parameter's own expect replaces it there)");
  v.any_object("plan", s.plan,
               "shardsim plan: {\"search\": {\"dotted.path\": [values] or {\"from\", \"to\", \"step\" or \"factor\"}}, "
               "\"minimize\": a result path that grows with the shard count (cost_usd.*, billing.*, concurrency.*; default "
               "cost_usd.per_hour), \"headroom\": the share of each limit's capacity the chosen configuration may use "
               "in its busiest second before the plan warns (bounds.<limit>.peak_utilization; default 0.8)}: the "
               "cheapest point of the search that meets the objectives; stream.shards is bisected where more shards cure "
               "the shortfall and scanned where they do not");
  v.any_object("variants", s.variants,
               "shardsim compare: {\"name\": {\"dotted.path\": value, …}, …}: the same workload and seed processed each "
               "way (the base with those overrides), side by side");
  v.integer("replications", s.replications, between(1, 1000),
            "shardsim sweep, plan and compare: runs per point, seeds derived from (seed, replication); means with 95% intervals");
  v.any_object("objectives", s.objectives,
               "shardsim sweep and plan: {\"result.path\": {\"max\": x, \"min\": y}, …} a point must meet at the far end of "
               "its 95% interval, with every replication run; paths must name numbers of the result; a point that "
               "loses records or leaves some unfinished fails unless records.lost or records.in_flight_at_end is "
               "bounded here");
}

}  // namespace shardsim
