#include "analysis/diagnosis.hpp"

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
        d.bound = "queue_wait";
        d.sentence = "Mostly messages waiting in the queue to be received (" + share +
                     "): more concurrent batches (MaximumConcurrency), or on a FIFO queue more message groups, would "
                     "lower it.";
        break;
      }
      d.bound = "poll_interval";
      d.sentence = "Mostly the wait for the next poll (" + share +
                   "): records are read as fast as the consumer polls; enhanced fan-out (Kinesis, about 70 ms) would lower it.";
      break;
    case LatencyCause::read_limit:
      d.bound = "read_limit";
      d.sentence = "Bound by the shards' read limits: " + share +
                   " is records held back by them (GetRecords calls and bytes per shard, shared by its polling "
                   "consumers, or a DynamoDB stream's readers per shard); enhanced fan-out or more shards would lift it.";
      break;
    case LatencyCause::no_reader:
      d.bound = "no_reader";
      d.sentence = "Mostly records waiting with no reader (" + share +
                   "): a child shard behind its parents, a mapping not started or turned off, a lease moving.";
      break;
    case LatencyCause::lane: {
      const bool keys = r.lanes_with_work && r.lanes_with_work->peak < r.concurrency_limit;
      d.bound = keys ? "keys" : "lanes";
      d.sentence = keys ? "Bound by the keys: " + share + " is records waiting behind earlier records of their lane, and at most " +
                              count(r.lanes_with_work->peak) + " lanes had records at once against a limit of " +
                              count(r.concurrency_limit) +
                              "; more distinct keys (or keys in different hash lanes) would lift it, a higher "
                              "ParallelizationFactor would not."
                        : "Bound by the lanes (shards × ParallelizationFactor = " + count(r.concurrency_limit) +
                              "): " + share +
                              " is records waiting behind earlier records of their lane; a higher ParallelizationFactor, "
                              "more shards or a faster handler would lift it.";
      if (r.totals.retries > 0)
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
      d.bound = "lambda_concurrency";
      d.sentence = "Bound by Lambda concurrency: " + share + " is batches refused an execution environment (" +
                   count(r.totals.throttled) +
                   " throttles); more account or reserved concurrency (or a slower scaling need) would lift it.";
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
