#include "analysis/diagnosis.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "analysis/result.hpp"
#include "models/base/number_format.hpp"

namespace shardsim {
namespace {
std::string count(double n) { return format_number(n); }

std::string percent(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f %%", 100 * share);
  return text;
}

// The function whose own pool (its reserved concurrency, or the account's unreserved pool) cuts
// its lanes the most; none when every function can run all its lanes.
const FunctionResult* capped_function(const RunResult& r) {
  const FunctionResult* most = nullptr;
  for (const FunctionResult& f : r.functions)
    if (f.concurrency_limit < f.lanes && (!most || f.lanes - f.concurrency_limit > most->lanes - most->concurrency_limit))
      most = &f;
  return most;
}

// Σ the functions' lanes.
std::int64_t lanes(const RunResult& r) {
  std::int64_t n = 0;
  for (const FunctionResult& f : r.functions) n += f.lanes;
  return n;
}

// What a lane's batches spend the longest on after their cut, of the batch's path (retries,
// environment, cold start, lock, handler).
LatencyCause slowest_part(const LatencyCauses& causes) {
  LatencyCause slowest = LatencyCause::handler;
  for (const LatencyCause c : {LatencyCause::retries, LatencyCause::environment, LatencyCause::cold_start, LatencyCause::lock})
    if (causes[static_cast<std::size_t>(c)].mean > causes[static_cast<std::size_t>(slowest)].mean) slowest = c;
  return slowest;
}

// A Lambda concurrency limit holds the lanes back: the function's reserved concurrency, or else
// the account's.
void concurrency_bound(const RunResult& r, const FunctionResult* capped, const std::string& waiting, Diagnosis& d) {
  if (capped && capped->reserved >= 0) {
    d.bound = "reserved_concurrency";
    d.sentence = "Bound by " + capped->name + "'s reserved concurrency (" + count(static_cast<double>(capped->reserved)) +
                 ", below its " + count(static_cast<double>(capped->lanes)) + " lanes): " + waiting +
                 "; more reserved concurrency would lift it, up to the lanes.";
    return;
  }
  d.bound = "lambda_concurrency";
  d.sentence = "Bound by Lambda concurrency (" + count(static_cast<double>(r.concurrency_limit)) + " available): " +
               waiting + " (" + count(r.totals.throttled) +
               " throttles); more account or reserved concurrency (or a slower scaling need) would lift it.";
}

// Batches waited for an execution environment: a KCL worker's threads, or Lambda's scaling rate
// or concurrency.
void environment_bound(const RunResult& r, const std::string& waiting, Diagnosis& d) {
  if (r.lambda_mappings == 0) {
    std::uint64_t waits = 0;
    for (const ConsumerResult& c : r.consumers) waits += c.thread_waits;
    d.bound = "kcl_workers";
    d.sentence = "Bound by the KCL workers' threads: " + waiting + " (" + count(static_cast<double>(waits)) +
                 " waits for a worker thread); more workers or worker_threads would lift it.";
  } else if (2 * r.totals.throttled_scaling > r.totals.throttled) {
    d.bound = "scaling_rate";
    d.sentence = "Bound by Lambda's scaling rate: " + waiting + " (" + count(static_cast<double>(r.totals.throttled_scaling)) +
                 " of " + count(static_cast<double>(r.totals.throttled)) +
                 " throttles found no warm environment and no new one allowed yet); environments kept warm, or a slower "
                 "ramp, would lift it.";
  } else {
    concurrency_bound(r, capped_function(r), waiting, d);
  }
}
}  // namespace

std::optional<Diagnosis> diagnose(const RunResult& r) {
  if (!r.latency_causes_s || r.totals.processed == 0 || r.latency_s.mean <= 0) return std::nullopt;
  const LatencyCauses& causes = *r.latency_causes_s;
  std::size_t top = 0;
  for (std::size_t c = 1; c < kLatencyCauseCount; ++c)
    if (causes[c].mean > causes[top].mean) top = c;
  Diagnosis d;
  d.cause = latency_cause_names()[top];
  d.share = causes[top].mean / r.latency_s.mean;
  const std::string share = percent(d.share) + " of the mean latency";
  switch (static_cast<LatencyCause>(top)) {
    case LatencyCause::put:
      d.bound = "write_limit";
      d.sentence = "Bound by the shards' write limit: " + share + " is records waiting to be written (" +
                   count(r.write_throttled) + " puts rejected); more shards, or spreading hot keys, would lift it.";
      break;
    case LatencyCause::poll:
      if (r.stream.type.rfind("sqs", 0) == 0) {
        // On a queue the wait for a receive is the pollers' concurrency: the message groups'
        // (one batch per group at a time) when fewer batches ran than allowed, else the
        // mapping's MaximumConcurrency or a Lambda limit.
        const FunctionResult* capped = capped_function(r);
        const std::string waiting = share + " is messages waiting in the queue to be received";
        if (r.stream.type == "sqs_fifo" && r.concurrency_peak < r.concurrency_limit) {
          d.bound = "fifo_groups";
          d.sentence = "Bound by the message groups: " + waiting + ", and at most " + count(r.concurrency_peak) +
                       " batches ran at once against a limit of " + count(static_cast<double>(r.concurrency_limit)) +
                       " (one batch per message group at a time); more message groups would lift it.";
        } else if (capped) {
          concurrency_bound(r, capped, waiting, d);
        } else if (r.concurrency_peak < r.concurrency_limit) {
          d.bound = "queue_wait";
          d.sentence = "Mostly messages waiting in the queue to be received (" + share +
                       "): the pollers had not scaled to the mapping's limit; more concurrent batches would lower it.";
        } else {
          d.bound = "maximum_concurrency";
          d.sentence = "Bound by the mapping's concurrency (" + count(static_cast<double>(r.concurrency_limit)) +
                       " batches at once, MaximumConcurrency): " + waiting + "; a higher MaximumConcurrency would lift it.";
        }
        break;
      }
      d.bound = "poll_interval";
      d.sentence = "Mostly the wait for the next poll (" + share +
                   "): records are read as fast as the consumer polls; enhanced fan-out (Kinesis, about 70 ms) would lower it.";
      break;
    case LatencyCause::read_limit: {
      d.bound = "read_limit";
      const auto readers = std::find_if(r.bounds.begin(), r.bounds.end(), [](const LimitUse& b) { return b.name == "readers_per_shard"; });
      if (readers != r.bounds.end() && readers->mean_utilization > 1) {
        d.sentence = "Bound by the stream's readers per shard: " + share + " is records held back while " +
                     count(readers->peak_utilization * readers->capacity) + " polling consumers share a shard's " +
                     count(readers->capacity) +
                     " reader slots; fewer triggers on the stream (one that fans out) or Kinesis Data Streams for DynamoDB "
                     "would lift it.";
        break;
      }
      if (r.stream.type == "kafka") {
        d.sentence = "Bound by the event pollers: " + share + " is records held back by their 5 MB/s each (" +
                     count(static_cast<double>(r.topic.peak_pollers)) +
                     " at most); provisioned pollers (a higher minimum) would lift it.";
        break;
      }
      d.sentence = "Bound by the shards' read limits: " + share +
                   " is records held back by them (GetRecords calls and bytes per shard, shared by its polling "
                   "consumers, or a DynamoDB stream's readers per shard); enhanced fan-out or more shards would lift it.";
      break;
    }
    case LatencyCause::no_reader:
      d.bound = "no_reader";
      d.sentence = "Mostly records waiting with no reader (" + share +
                   "): a child shard behind its parents, a mapping not started or turned off, a lease moving.";
      break;
    case LatencyCause::lane: {
      // Records behind earlier records of their lane: too few keys for the lanes, a Lambda limit
      // below the lanes, or the lanes themselves.
      const FunctionResult* capped = capped_function(r);
      const std::string waiting = share + " is records waiting behind earlier records of their lane";
      if (r.lanes_with_work && r.lanes_with_work->peak < r.concurrency_limit) {
        d.bound = "keys";
        d.sentence = "Bound by the keys: " + waiting + ", and at most " + count(r.lanes_with_work->peak) +
                     " lanes had records at once against a limit of " + count(r.concurrency_limit) +
                     (r.stream.type == "kafka" ? "; more distinct keys (or keys in different partitions) would lift it, more "
                                                 "partitions would not."
                                               : "; more distinct keys (or keys in different hash lanes) would lift it, a higher "
                                                 "ParallelizationFactor would not.");
      } else if (capped || (r.lambda_mappings > 0 && r.concurrency_limit < lanes(r))) {
        concurrency_bound(r, capped, waiting + " while the invocations were at the limit", d);
      } else if (const LatencyCause slow = slowest_part(causes); slow == LatencyCause::lock) {
        // The lanes run as fast as their invocations: name what takes those the longest.
        d.bound = "locks";
        d.sentence = "Bound by the locks: " + waiting +
                     ", whose invocations spend more time waiting for distributed locks than on anything else; "
                     "processing a batch's keys in parallel in the handler avoids the locks.";
      } else if (slow == LatencyCause::environment) {
        environment_bound(r, waiting + ", whose batches wait longest for an execution environment", d);
      } else if (slow == LatencyCause::retries) {
        d.bound = "failures";
        d.sentence = "Bound by failures: " + waiting +
                     ", whose batches lose the most time to failed attempts and their backoff; fewer failures, "
                     "ReportBatchItemFailures or bisecting would lift it.";
      } else if (r.stream.type == "kafka") {
        d.bound = "lanes";
        d.sentence = "Bound by the partitions (" + count(r.concurrency_limit) + ", one batch each at a time): " + waiting +
                     "; more partitions (keys move when they are added) or a faster handler would lift it.";
      } else if (r.lambda_mappings == 0) {
        d.bound = "lanes";
        d.sentence = "Bound by the shards (" + count(r.concurrency_limit) + " read at once): " + waiting +
                     ", each shard's batches one at a time; more shards or a faster handler would lift it.";
      } else {
        d.bound = "lanes";
        d.sentence = "Bound by the lanes (shards × ParallelizationFactor = " + count(r.concurrency_limit) + "): " + waiting +
                     "; a higher ParallelizationFactor, more shards or a faster handler would lift it.";
      }
      if (r.totals.retries > 0 && d.bound != "failures")
        d.sentence += " The lanes also retried failed batches (" + count(static_cast<double>(r.totals.retries)) +
                      " retries), holding back every record behind them.";
      break;
    }
    case LatencyCause::batching_window:
      d.bound = "batching_window";
      d.sentence = "Mostly the batching window (" + share +
                   "): partial batches wait for more records; a shorter window lowers it, with more and smaller invocations.";
      break;
    case LatencyCause::retries:
      d.bound = "failures";
      d.sentence = "Mostly time lost to failed attempts and their backoff (" + share +
                   "); fewer failures, ReportBatchItemFailures or bisecting would lower it.";
      break;
    case LatencyCause::environment:
      environment_bound(r, share + " is batches refused an execution environment", d);
      break;
    case LatencyCause::cold_start:
      d.bound = "cold_starts";
      d.sentence = "Mostly cold starts (" + share + "): keeping environments warm would lower it.";
      break;
    case LatencyCause::lock:
      d.bound = "locks";
      d.sentence = "Mostly waiting for distributed locks (" + share +
                   "): invocations contend for the same keys; processing a batch's keys in parallel in the handler avoids the locks.";
      break;
    case LatencyCause::handler:
      d.bound = "handler";
      d.sentence = "Mostly the handler's own time (" + share +
                   "): the pipeline keeps up with the records; a faster handler or smaller batches would lower it.";
      break;
  }
  return d;
}

std::optional<Diagnosis> common_diagnosis(const std::vector<nlohmann::json>& replications) {
  std::map<std::string, std::size_t> votes;
  std::optional<Diagnosis> best;
  std::size_t most = 0;
  for (const auto& run : replications) {
    const auto d = run.find("diagnosis");
    if (d == run.end() || !d->is_object()) continue;
    const std::string bound = d->value("bound", "");
    if (++votes[bound] > most) {
      most = votes[bound];
      if (!best || best->bound != bound)
        best = Diagnosis{bound, d->value("cause", ""), d->value("share", 0.0), d->value("sentence", "")};
    }
  }
  return best;
}

}  // namespace shardsim
