#pragma once
// The scenario's consumers translated into the model's parts: for a Lambda event source mapping
// (`type: lambda_esm`) on one shard, its record source (GetRecords polling or enhanced fan-out
// with the stream's limits), its dispatcher (batch size, payload cap, window, PF lanes with the
// chosen assignment), its retry policy (Lambda's stream error handling) and a handler per lane.
// On a queue, the mapping is one actor for all its pollers, built by its kind (sim/run/kinds/sqs.cpp).
// A KCL application (`kcl`) and a raw reader (`raw_reader`) poll with GetRecords and process
// each call's records as one batch on one lane; the KCL's shard also has a lease (workers,
// checkpoints, failover). The consumer kinds (sim/run/kinds/) pick their translation here; the
// models do not read scenarios. The stream's kind gives the per-call limits and the call share.
#include <cstdint>
#include <memory>

#include "models/core/executor.hpp"
#include "models/core/failure_rules.hpp"
#include "models/core/keys.hpp"
#include "models/core/record_filter.hpp"
#include "models/reader/shard_reader.hpp"
#include "models/stream/stream.hpp"
#include "sim/run/stream_kind.hpp"
#include "sim/scenario/scenario.hpp"

namespace shardsim {

struct ReaderSetting {
  const Scenario& scenario;
  const StreamKind& kind;
  std::size_t consumer;
  std::size_t function;
  const FunctionConfig& handler;  // the handler model its lanes run (kcl, raw_reader: without a timeout)
  LeaseTable* leases;             // kcl: the consumer's lease table
  WorkerThreads* threads;         // kcl: its workers' threads when limited, else null
  LockTable* locks;               // the function's lock table (strategy distributed_lock), else null
  FailureRules* failures;         // the consumer's failure rules (models/core/failure_rules.hpp)
  const RecordFilter* filter;     // a Lambda mapping's filter criteria, or null
  std::uint64_t replication;
  Stream& stream;
  KeyTable& keys;
  Executor& executor;
  EventSink& sink;
  RunControl& control;
};

// A Lambda mapping's reader of a shard: its source, PF lanes, Lambda's retry rules.
std::unique_ptr<ShardReader> make_lambda_reader(const ReaderSetting& setting, std::size_t shard);
// A KCL's or raw reader's: each GetRecords call's records (up to max_records) as one batch on
// one lane, polling every poll_interval_s; the KCL's lease when the setting has one.
std::unique_ptr<ShardReader> make_polling_reader(const ReaderSetting& setting, std::size_t shard);
// A Lambda mapping's filter criteria (consumers[].filters), or null when it has none.
std::unique_ptr<RecordFilter> make_record_filter(const Scenario& scenario, const ConsumerConfig& consumer, KeyTable& keys);
// A consumer's failure rules: its function's poison keys and failing records.
std::unique_ptr<FailureRules> make_failure_rules(const FunctionConfig& function, KeyTable& keys);
// The keys named, as the key table's ids, sorted.
std::vector<KeyId> interned(KeyTable& keys, const std::vector<std::string>& names);
// Whether the consumer reads a parent shard to its end before its children (the lineage gate):
// consumers[].lineage, parent_first by default (AWS does not document what Lambda does).
bool reads_parents_first(const ConsumerConfig& consumer);

}  // namespace shardsim
