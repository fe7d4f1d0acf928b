#include "sim/run/consumers.hpp"

#include <algorithm>

#include "models/core/batch_retry.hpp"
#include "models/kinesis/kinesis_limits.hpp"
#include "models/stream/shard_source.hpp"

namespace shardsim {

std::vector<KeyId> interned(KeyTable& keys, const std::vector<std::string>& names) {
  std::vector<KeyId> ids;
  for (const auto& key : names) ids.push_back(keys.intern(key));
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::unique_ptr<RecordFilter> make_record_filter(const Scenario& scenario, const ConsumerConfig& consumer, KeyTable& keys) {
  if (consumer.mapping.filters.empty()) return nullptr;
  std::vector<double> shares;
  for (const auto& a : scenario.record_attributes) shares.push_back(a.share);
  std::vector<FilterPattern> patterns;
  for (const FilterConfig& f : consumer.mapping.filters) {
    FilterPattern p{interned(keys, f.partition_keys), interned(keys, f.entities), -1};
    for (std::size_t a = 0; a < scenario.record_attributes.size(); ++a)
      if (scenario.record_attributes[a].name == f.attribute) p.attribute = static_cast<int>(a);
    patterns.push_back(std::move(p));
  }
  return std::make_unique<RecordFilter>(std::move(patterns), std::move(shares));
}

namespace {

// max_records: a limit the reader sets on each call below the stream's (GetRecords' Limit), or 0.
std::unique_ptr<ShardSource> unfiltered_source(const ReaderSetting& s, const ConsumerConfig& c, std::size_t shard,
                                               std::int64_t max_records) {
  if (auto own = s.kind.record_source(s, shard)) return own;
  ReadLimits per_call = s.kind.get_records_limits();
  if (max_records > 0) per_call.max_records_per_call = std::min(per_call.max_records_per_call, max_records);
  if (c.delivery == ConsumerConfig::Delivery::efo)
    return std::make_unique<SubscribeToShardSource>(s.stream, shard, s.consumer, per_call, c.propagation_delay_s,
                                                    kinesis::kReadBytesPerShardPerS, s.sink);
  return std::make_unique<GetRecordsSource>(s.stream, shard, s.consumer, per_call, c.propagation_delay_s,
                                            c.poll_interval_s, s.sink, s.kind.call_share(s.scenario));
}

std::unique_ptr<RecordSource> source_of(const ReaderSetting& s, const ConsumerConfig& c, std::size_t shard,
                                        std::int64_t max_records = 0) {
  auto source = unfiltered_source(s, c, shard, max_records);
  source->filter_with(s.filter);
  return source;
}

double first_arrival_of(const ConsumerConfig& c) {
  using Position = ConsumerConfig::StartingPosition;
  if (c.starting_position == Position::LATEST) return c.start_s;
  if (c.starting_position == Position::AT_TIMESTAMP) return c.starting_position_timestamp_s;
  return -std::numeric_limits<double>::infinity();  // TRIM_HORIZON: everything still in the stream
}

// What every consumer's reader of `shard` starts from: who it is, when it starts, from where.
ReaderParams reader_params(const ReaderSetting& s, std::size_t shard) {
  const ConsumerConfig& c = s.scenario.consumers[s.consumer];
  ReaderParams params;
  params.consumer = s.consumer;
  params.function = s.function;
  params.shard = shard;
  params.start_s = c.start_s;
  params.schedule = MappingSchedule(c.mapping.disabled);
  params.first_arrival_s = first_arrival_of(c);
  return params;
}

// A KCL record processor or a raw reader on one shard: each GetRecords' records are one batch,
// processed on one lane before the next call. A failed batch: the KCL logs it and skips it (it
// does not retry processRecords); a raw reader tries it max_attempts times, a poll interval
// apart, then skips it. Skipped records count as discarded.
}  // namespace

std::unique_ptr<ShardReader> make_polling_reader(const ReaderSetting& s, std::size_t shard) {
  const ConsumerConfig& c = s.scenario.consumers[s.consumer];
  const bool kcl = s.leases != nullptr;  // a KCL application's shards are leased
  ReaderParams params = reader_params(s, shard);
  params.backoff = {std::max(c.poll_interval_s, 1e-3), 1, std::max(c.poll_interval_s, 1e-3)};
  if (kcl)
    params.lease = {s.leases, c.kcl.checkpoint_interval_s, c.kcl.parent_poll_interval_s, std::max(0.0, c.kcl.shard_sync_interval_s),
                    s.threads};
  const ReadLimits per_call = s.kind.get_records_limits();
  const std::int64_t records = std::min(per_call.max_records_per_call, c.reader.max_records);
  DispatchParams dispatch;
  dispatch.limits.max_records = static_cast<std::size_t>(records);
  dispatch.limits.max_bytes = per_call.max_bytes_per_call;
  dispatch.max_buffered = static_cast<std::size_t>(records);  // the next call waits for the batch
  const RetryRules rules{kcl ? 0 : c.reader.max_attempts - 1, -1, false, false, s.stream.retention_s(), true};
  const std::string name = c.name + "/" + s.stream.shard(shard).id();
  std::vector<LaneParts> parts;
  parts.push_back({Handler(s.handler, Rng(static_cast<std::uint64_t>(s.scenario.seed), s.replication, "handler/" + name),
                           s.failures, interned(s.keys, s.handler.duration.slow_keys),
                           s.locks),
                   std::make_unique<BatchRetry>(rules)});
  return std::make_unique<ShardReader>(params, source_of(s, c, shard, c.reader.max_records),
                                       Dispatcher(dispatch, make_lane_assignment(LaneAssignmentType::hash, 1, s.keys), 1),
                                       s.executor, std::move(parts), s.sink, s.control);
}

std::unique_ptr<FailureRules> make_failure_rules(const FunctionConfig& function, KeyTable& keys) {
  std::vector<FailureRule> rules;
  for (const FailingRecordSpec& spec : function.errors.failing_records) {
    FailureRule rule;
    if (!spec.key.empty()) rule.key = keys.intern(spec.key);
    rule.sequence = static_cast<std::uint64_t>(spec.sequence);
    for (double a : spec.attempts) rule.attempts.push_back(static_cast<std::int64_t>(a));
    rules.push_back(std::move(rule));
  }
  return std::make_unique<FailureRules>(interned(keys, function.errors.poison_keys), std::move(rules));
}

std::unique_ptr<ShardReader> make_lambda_reader(const ReaderSetting& s, std::size_t shard) {
  const ConsumerConfig& c = s.scenario.consumers[s.consumer];
  const FunctionConfig& function = s.handler;
  const auto lanes = static_cast<std::size_t>(c.mapping.parallelization_factor);
  ReaderParams params = reader_params(s, shard);
  params.report_item_failures = c.mapping.report_batch_item_failures;
  params.backoff = s.scenario.lambda.retry_backoff;
  DispatchParams dispatch;
  dispatch.limits.max_records = static_cast<std::size_t>(c.mapping.batch_size);
  dispatch.limits.max_bytes = kinesis::kMaxLambdaPayloadBytes;
  dispatch.batching_window_s = c.mapping.batching_window_s;
  dispatch.max_buffered = static_cast<std::size_t>(s.kind.get_records_limits().max_records_per_call);
  params.tumbling = {c.mapping.tumbling_window_s, c.mapping.tumbling_window_quiet_s};
  dispatch.limits.window = params.tumbling;
  const RetryRules rules{c.mapping.max_retry_attempts, c.mapping.max_record_age_s, c.mapping.bisect_on_error, c.mapping.report_batch_item_failures,
                         s.stream.retention_s(), true};
  const std::string name = c.name + "/" + s.stream.shard(shard).id();
  const auto seed = static_cast<std::uint64_t>(s.scenario.seed);
  std::vector<LaneParts> parts;
  for (std::size_t lane = 0; lane < lanes; ++lane)
    parts.push_back({Handler(function, Rng(seed, s.replication, "handler/" + name + "/lane-" + std::to_string(lane)),
                             s.failures, interned(s.keys, function.duration.slow_keys),
                             s.locks),
                     std::make_unique<BatchRetry>(rules)});
  return std::make_unique<ShardReader>(params, source_of(s, c, shard),
                                       Dispatcher(dispatch, make_lane_assignment(c.mapping.lane_assignment, lanes, s.keys), lanes),
                                       s.executor, std::move(parts), s.sink, s.control);
}

bool reads_parents_first(const ConsumerConfig& consumer) {
  return consumer.lineage == ConsumerConfig::Lineage::parent_first;
}

}  // namespace shardsim
