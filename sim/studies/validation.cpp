#include "sim/studies/validation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/base/histogram.hpp"
#include "analysis/sweep_grid.hpp"
#include "analysis/sweep_table.hpp"
#include "models/base/rng.hpp"
#include "sim/studies/children.hpp"

namespace shardsim {
namespace {

using nlohmann::json;

std::function<double(const json&)> at(const std::string& path) {
  return [path](const json& r) { return result_value(r, path).value_or(std::nan("")); };
}

// A check against an outside answer; `resolution`: the measure's own relative uncertainty.
ValidationCheck check(std::string what, std::function<double(const json&)> measure, double expected,
                      double tolerance = 0, double resolution = 0) {
  ValidationCheck c;
  c.what = std::move(what);
  c.measure = std::move(measure);
  c.expected = expected;
  c.tolerance = tolerance;
  c.resolution = resolution;
  return c;
}

// An identity within one run: `measure` against the value `expect` computes from the same run.
ValidationCheck identity(std::string what, std::function<double(const json&)> measure,
                         std::function<double(const json&)> expect, double tolerance) {
  ValidationCheck c = check(std::move(what), std::move(measure), std::nan(""), tolerance);
  c.kind = ValidationCheck::Kind::consistency;
  c.expect = std::move(expect);
  return c;
}

constexpr int kReplications = 8;  // stochastic cases: a mean and its standard error
constexpr double kMaxZ = 3;       // pass when the mean is within 3 standard errors

// Little's law on the invocations, an identity within one run: time-weighted mean concurrency
// against invocation count × mean invocation time / simulated time (each computed on its own).
ValidationCheck littles_law() {
  return identity("Little's law: mean concurrency vs rate × time", at("concurrency.mean"), [](const json& r) {
    const auto& consumer = r["consumers"][0];
    return consumer["invocations"]["count"].get<double>() * consumer["handler_duration_s"]["mean"].get<double>() /
           r["sim"]["simulated_s"].get<double>();
  }, 1e-6);
}

// Erlang C: probability of waiting in an M/M/c queue with offered load a = λ/μ.
double erlang_c(int c, double a) {
  double sum = 0, term = 1;
  for (int k = 0; k < c; ++k) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const double last = term * a / c / (1 - a / c);
  return last / (sum + last);
}

// The p-quantile of the time in system of an M/M/c queue (arrival rate λ, service rate μ): with
// θ = cμ − λ and C the Erlang C probability of waiting, P(T > t) = (1 − C) e^{−μt} +
// C (θ e^{−μt} − μ e^{−θt}) / (θ − μ) (the wait is 0 or Exp(θ), plus an Exp(μ) service); solved
// for P(T > t) = 1 − p by bisection.
double mmc_sojourn_quantile(int c, double lambda, double mu, double p) {
  const double waiting = erlang_c(c, lambda / mu), theta = c * mu - lambda;
  const auto tail = [&](double t) {
    return (1 - waiting) * std::exp(-mu * t) + waiting * (theta * std::exp(-mu * t) - mu * std::exp(-theta * t)) / (theta - mu);
  };
  double lo = 0, hi = 1;
  while (tail(hi) > 1 - p) hi *= 2;
  for (int i = 0; i < 200; ++i) (tail((lo + hi) / 2) > 1 - p ? lo : hi) = (lo + hi) / 2;
  return (lo + hi) / 2;
}

// Key-ordered draining of n records over k keys drawn uniformly, each record U(0, max_s), one
// key at a time per key and enough lanes for every key: the drain time is the slowest key's
// total. Its expectation by an independent Monte Carlo (our random streams, not the simulator):
// the mean over `trials` and its standard error.
std::pair<double, double> expected_drain(int n, int keys, double max_s, int trials) {
  Rng rng(2024, 0, "validation/drain/" + std::to_string(keys));
  std::vector<double> total(static_cast<std::size_t>(keys));
  double sum = 0, squares = 0;
  for (int t = 0; t < trials; ++t) {
    std::fill(total.begin(), total.end(), 0.0);
    for (int i = 0; i < n; ++i) total[rng.below(static_cast<std::uint64_t>(keys))] += rng.uniform(0, max_s);
    const double slowest = *std::max_element(total.begin(), total.end());
    sum += slowest;
    squares += slowest * slowest;
  }
  const double mean = sum / trials;
  const double sd = std::sqrt(std::max(0.0, squares / trials - mean * mean));
  return {mean, sd / std::sqrt(static_cast<double>(trials))};
}

// The diagnosis names `bound` (1 when it does).
ValidationCheck bound_is(const std::string& bound) {
  return check("diagnosis.bound = " + bound, [bound](const json& r) {
    const auto d = r.find("diagnosis");
    return d != r.end() && d->is_object() && d->value("bound", "") == bound ? 1.0 : 0.0;
  }, 1);
}

// One scenario per limit where it alone holds the pipeline back: the diagnosis names it, and its
// use is the derived one (within 2 %, or exact). Derivations beside each.
void add_bound_cases(std::vector<ValidationCase>& cases) {
  constexpr double kBoundTolerance = 0.02;
  // 1,500 records/s offered to a shard of 1,000 records/s, rejected puts retried within a second
  // up to 100 times: the pending retries keep the shard's write bucket empty from the first
  // seconds on, so it writes its 1,000 records/s and its first second's bucket over the T ≈ 87 s
  // it writes: utilization 1 + 1/T ≈ 1.01. The records wait mostly to be written.
  cases.push_back({"bound: write records", "bound-write-records.json", {},
                   {bound_is("write_limit"),
                    check("write_records mean utilization", at("bounds.write_records.mean_utilization"), 1, kBoundTolerance)}});
  // Without retries (write-limit.json): 101,000 written over 100 s of 1,000 records/s: 1.01.
  cases.push_back({"bound: write records, no retries", "write-limit.json", {},
                   {check("write_records mean utilization", at("bounds.write_records.mean_utilization"), 1.01, 0.001)}});
  // 700 records/s of 2,000 bytes (1,995 of data and a 5-byte key) = 1.4 MB/s to a shard of
  // 1 MiB/s, retried as above: the byte bucket is empty throughout, utilization 1 + 1/T.
  cases.push_back({"bound: write bytes", "bound-write-bytes.json", {},
                   {bound_is("write_limit"),
                    check("write_bytes mean utilization", at("bounds.write_bytes.mean_utilization"), 1, kBoundTolerance)}});
  // Six polling mappings each want a call a second from a shard that allows 5: it serves 5 calls
  // a second (utilization 1), and each reader's 1.2 s between calls holds 0.2 s on the limit
  // (binding share 1/6).
  cases.push_back({"bound: read calls", "bound-read-calls.json", {},
                   {bound_is("read_limit"),
                    check("read_calls mean utilization", at("bounds.read_calls.mean_utilization"), 1, kBoundTolerance),
                    check("read_calls binding share", at("bounds.read_calls.binding_share"), 1.0 / 6, kBoundTolerance)}});
  // Three mappings want 3 × 0.9 MB/s from a shard that serves 2 MiB/s: the backlog grows from
  // the start and the shard reads at its limit until the end (utilization 1; a last call's up to
  // 10 MB over the ~380 s is under 2 %).
  cases.push_back({"bound: read bytes", "bound-read-bytes.json", {},
                   {bound_is("read_limit"),
                    check("read_bytes mean utilization", at("bounds.read_bytes.mean_utilization"), 1, kBoundTolerance)}});
  // Two lanes that drain 100 records/s (batches of 10 in 0.2 s) get 300 a second: both run from
  // the first poll to the end (utilization and binding share 1, less the first ~0.5 s).
  cases.push_back({"bound: lanes", "bound-lanes.json", {},
                   {bound_is("lanes"), check("lanes mean utilization", at("bounds.lanes.mean_utilization"), 1, kBoundTolerance),
                    check("lanes binding share", at("bounds.lanes.binding_share"), 1, kBoundTolerance)}});
  // Three keys under a backlog with PF 10: each key's lane runs all the time, never more than
  // three (busiest second 3 of 10 lanes).
  cases.push_back({"bound: keys", "bound-keys.json", {},
                   {bound_is("keys"), check("lanes with work, peak", at("concurrency.lanes_with_work.peak"), 3),
                    check("lanes peak utilization", at("bounds.lanes.peak_utilization"), 0.3)}});
  // 20 lanes against an account limit of 10: the busiest second runs 10 in flight throughout.
  cases.push_back({"bound: account concurrency", "bound-account-concurrency.json", {},
                   {bound_is("lambda_concurrency"),
                    check("lambda_concurrency peak utilization", at("bounds.lambda_concurrency.peak_utilization"), 1)}});
  // 32 lanes against reserved concurrency 20 under a backlog: 20 in flight from the first
  // invocations to the end.
  cases.push_back({"bound: reserved concurrency", "concurrency-bound.json", {},
                   {bound_is("reserved_concurrency"),
                    check("reserved_concurrency mean utilization", at("bounds.reserved_concurrency.mean_utilization"), 1,
                          kBoundTolerance)}});
  // 40 lanes, one 1 s batch each, 20 new environments per 10 s: 20 start at once; the other 20 are
  // throttled and retry 1 s later, when 2 new environments are allowed (0.2 a second); the 18
  // refused again retry 2 s after that, when the first 20 are warm. 22 cold starts, 20 + 18 = 38
  // throttles, all 22 within 10 s (busiest 10 s: 22 of 20).
  cases.push_back({"bound: scaling rate", "bound-scaling-rate.json", {},
                   {bound_is("scaling_rate"), check("cold starts", at("invocations.cold_starts"), 22),
                    check("throttles", at("invocations.throttled"), 38),
                    check("scaling_rate peak utilization", at("bounds.scaling_rate.peak_utilization"), 1.1)}});
  // 2 records a second read by polls a second apart, batches gathered for 5 s: a batch takes the
  // six polls from the one that opened its window to the one at its cut, waiting 5, 4, 3, 2, 1
  // and 0 s: 2.5 s on average.
  cases.push_back({"bound: batching window", "bound-batching-window.json", {},
                   {bound_is("batching_window"),
                    check("batching_window mean, s", at("latency_causes_s.batching_window.mean"), 2.5, 1e-6)}});
  // A FIFO queue's backlog with 5 message groups and MaximumConcurrency 8: one batch per group,
  // so 5 of 8 (0.625) in the busiest second; with 20 groups, 8 of 8.
  cases.push_back({"bound: FIFO groups", "sqs-fifo-groups.json", {"producers.0.keys.count=5"},
                   {bound_is("fifo_groups"), check("lanes peak utilization", at("bounds.lanes.peak_utilization"), 0.625)}});
  cases.push_back({"bound: MaximumConcurrency", "sqs-fifo-groups.json", {},
                   {bound_is("maximum_concurrency"), check("lanes peak utilization", at("bounds.lanes.peak_utilization"), 1)}});
  // Three Lambda triggers on a DynamoDB stream whose shards serve 2 readers: 3 readers on 2 slots
  // (1.5) throughout.
  cases.push_back({"bound: readers per shard", "../questions/dynamodb-three-triggers.json", {},
                   {bound_is("read_limit"),
                    check("readers_per_shard mean utilization", at("bounds.readers_per_shard.mean_utilization"), 1.5, 0.001)}});
  // Two limits in turn: 2,000 records/s for 10 s into a shard of 1,000 (no retries) write 11,000
  // (1,000 of burst and 1,000 a second: utilization 1.1 over the 10 s), refused from the end of
  // the first second on (every second of writing has a refusal, share 1, the first at t ≈ 1 s);
  // then one lane works 11,000 × 2 ms = 22 s back to back from its first invocation (≈ 0.86 s:
  // the first poll, then a 0.28 s init) to the end at ≈ 23.1 s: binding share ≈ 22.3 / 23.1 = 0.96.
  cases.push_back({"bound: a burst, then a drain", "bound-burst-then-drain.json", {},
                   {bound_is("lanes"),
                    check("write_records mean utilization", at("bounds.write_records.mean_utilization"), 1.1, 0.001),
                    check("write_records binding share", at("bounds.write_records.binding_share"), 1),
                    check("lanes binding share", at("bounds.lanes.binding_share"), 0.96, kBoundTolerance)}});
  // One KCL worker thread for 4 shards' batches of 0.5 s: batches queue for the thread.
  cases.push_back({"bound: KCL worker threads", "bound-kcl-workers.json", {}, {bound_is("kcl_workers")}});
  // Every record locks the same customer for 0.09 s, 10 records a second (the lock held 90 % of
  // the time): the lanes' invocations mostly wait for it.
  cases.push_back({"bound: a lock", "bound-lock.json", {}, {bound_is("locks")}});
}

}  // namespace

std::vector<ValidationCase> validation_cases() {
  const double percentile = Histogram::kRelativeAccuracy;  // a histogram percentile's resolution
  std::vector<ValidationCase> cases;
  // M/M/1, λ = 2, μ = 4, ρ = 0.5: sojourn time exponential with rate μ − λ = 2: W = 0.5 s,
  // p99 = ln(100) / 2 = 2.3026 s; mean concurrency = ρ.
  cases.push_back({"M/M/1 ρ=0.5", "mm1.json", {},
                   {check("mean latency W", at("latency_s.mean"), 0.5, 0),
                    check("p99 latency", at("latency_s.p99"), std::log(100.0) / 2, 0, percentile),
                    check("mean concurrency ρ", at("concurrency.mean"), 0.5, 0)},
                   kReplications});
  // M/M/1, λ = 2, μ = 2.5, ρ = 0.8: W = 1 / (μ − λ) = 2 s, p99 = ln(100) / 0.5 = 9.21 s.
  cases.push_back({"M/M/1 ρ=0.8", "mm1-rho08.json", {},
                   {check("mean latency W", at("latency_s.mean"), 2.0, 0),
                    check("p99 latency", at("latency_s.p99"), std::log(100.0) / 0.5, 0, percentile),
                    check("mean concurrency ρ", at("concurrency.mean"), 0.8, 0)},
                   kReplications});
  // M/D/1, λ = 2, D = 0.4 s, ρ = 0.8 (Pollaczek–Khinchine): W = D + ρ D / (2 (1 − ρ)) = 1.2 s.
  cases.push_back({"M/D/1 ρ=0.8", "md1-rho08.json", {},
                   {check("mean latency W (P-K)", at("latency_s.mean"), 0.4 + 0.8 * 0.4 / (2 * 0.2), 0)}, kReplications});
  // PF 4 with hash lanes and unique keys: each lane gets a random quarter of the traffic, so
  // four independent M/M/1 queues with λ = 2, μ = 2.5: W = 2 s (not a pool of four servers).
  cases.push_back({"PF 4 hash = 4 × M/M/1", "pf4-hash.json", {},
                   {check("mean latency W", at("latency_s.mean"), 2.0, 0), check("mean concurrency 4ρ", at("concurrency.mean"), 3.2, 0)},
                   kReplications});
  // PF 4 with dynamic lanes and unique keys: any free lane takes the next record: an M/M/4
  // queue, λ = 8, μ = 2.5, a = 3.2: W = C(4, a) / (4μ − λ) + 1/μ = 0.698 s (Erlang C).
  const double w_mmc = erlang_c(4, 3.2) / (4 * 2.5 - 8) + 1 / 2.5;
  cases.push_back({"PF 4 dynamic = M/M/4", "pf4-dynamic.json", {},
                   {check("mean latency W (Erlang C)", at("latency_s.mean"), w_mmc, 0),
                    check("mean concurrency 4ρ", at("concurrency.mean"), 3.2, 0)},
                   kReplications});
  // An SQS standard queue read with batches of 1 and MaximumConcurrency c, messages receivable at
  // once: an M/M/c queue (the unordered pool). μ = 2.5/s, ρ = 0.7: λ = 0.7 c μ.
  // W = C(c, a) / (cμ − λ) + 1/μ (Erlang C); p99 from the sojourn time's distribution.
  for (int c : {2, 8}) {
    const double mu = 2.5, lambda = 0.7 * c * mu;
    const double w = erlang_c(c, lambda / mu) / (c * mu - lambda) + 1 / mu;
    cases.push_back({"SQS standard = M/M/" + std::to_string(c), "mmc" + std::to_string(c) + "-sqs.json", {},
                     {check("mean latency W (Erlang C)", at("latency_s.mean"), w, 0),
                      check("p99 latency", at("latency_s.p99"), mmc_sojourn_quantile(c, lambda, mu, 0.99), 0, percentile),
                      check("mean concurrency cρ", at("concurrency.mean"), 0.7 * c, 0)},
                     kReplications});
  }
  // SQS FIFO with G message groups and MaximumConcurrency M under a backlog: at most one batch
  // per group in flight, so peak concurrency min(G, M), and no group out of order or overlapping.
  for (int groups : {20, 5}) {
    cases.push_back({"SQS FIFO, " + std::to_string(groups) + " groups, max 8", "sqs-fifo-groups.json",
                     {"producers.0.keys.count=" + std::to_string(groups)},
                     {check("peak concurrency min(G, M)", at("concurrency.peak"), std::min(groups, 8), 0),
                      check("overlaps", at("ordering.overlaps"), 0, 0), check("out of order", at("ordering.out_of_order"), 0, 0)}});
  }
  // The default polling path, a trickle: a record put at a uniformly random phase of the
  // once-a-second polls becomes visible d = 0.2 s later and waits for the next poll: T/2 on
  // average; then the handler's h = 0.05 s. Mean latency d + T/2 + h = 0.75 s.
  cases.push_back({"polling, a trickle", "polling-trickle.json", {},
                   {check("mean latency d + T/2 + h", at("latency_s.mean"), 0.2 + 0.5 + 0.05, 0)}, kReplications});
  // Polling with batches: Poisson arrivals λ = 50/s; a poll takes every record visible, so a
  // record's batch holds it and the Poisson(λT) others of its second (size-biased: 1 + λT on
  // average), and the invocation lasts h + r × batch. Mean latency d + T/2 + h + r (1 + λT) =
  // 0.2 + 0.5 + 0.05 + 0.002 × 51 = 0.852 s. Mean batch size λT = 50 (every poll finds records).
  cases.push_back({"polling, batches of ~50", "polling-batches.json", {},
                   {check("mean latency d + T/2 + h + r(1 + λT)", at("latency_s.mean"), 0.2 + 0.5 + 0.05 + 0.002 * 51, 0),
                    check("mean batch size λT", at("invocations.mean_batch_size"), 50, 0)},
                   kReplications});
  // Key-ordered draining: 10,000 records buffered at t = 11 s on one shard, 0–5 ms each, 100
  // lanes with dynamic assignment: keys run in parallel, each key's records one after another
  // with no gap, so the drain time is the slowest key's total (its expectation by Monte Carlo,
  // not 10,000 / k × 2.5 ms: the slowest of k keys has more records than the average one).
  for (int keys : {1, 2, 5, 10, 100}) {
    const auto [expected, se] = expected_drain(10000, keys, 0.005, 2000);
    ValidationCheck drain = check("time to drain, s (slowest key)",
                                  [](const json& r) { return r["sim"]["simulated_s"].get<double>() - 11; }, expected);
    drain.expected_se = se;
    cases.push_back({"key-ordered drain, " + std::to_string(keys) + " key" + (keys > 1 ? "s" : ""),
                     "key-ordered-drain.json",
                     {"producers.0.keys.count=" + std::to_string(keys)},
                     {drain},
                     kReplications});
  }
  // Write limit: 2,000 records/s for 100 s into one shard admit 1,000/s plus the bucket's first
  // second (stream.write_burst_s 1): 1,000 + 100 × 1,000 = 101,000 (exact up to the last refill).
  const ValidationCheck throttled = identity("throttled = offered − admitted", at("throttles.write"), [](const json& r) {
    return r["records"]["produced"].get<double>() - r["records"]["written"].get<double>();
  }, 1e-9);
  cases.push_back({"write limit 1,000 records/s", "write-limit.json", {},
                   {check("records written", at("records.written"), 101000, 0.001), throttled}});
  // A sustained backlog drives peak concurrency to min(8 shards × PF 4, reserved 20) = 20, and
  // the reported limit is that bound (both derived by hand, so validation, not identities).
  cases.push_back({"concurrency bound", "concurrency-bound.json", {},
                   {check("peak concurrency", at("concurrency.peak"), 20, 0),
                    check("concurrency limit = min(shards × PF, reserved)", at("concurrency.limit"), 20, 0)}});
  for (auto& c : cases) c.checks.push_back(littles_law());
  add_bound_cases(cases);
  return cases;
}

std::vector<ValidationRow> run_validation(const std::string& self, const std::string& root, std::size_t jobs) {
  const auto cases = validation_cases();
  char pattern[] = "/tmp/shardsim-validation-XXXXXX";
  if (!mkdtemp(pattern)) throw std::runtime_error("cannot create a temporary directory");
  const std::filesystem::path tmp = pattern;
  // Every replication of every case in its own process; at most `jobs` at once.
  struct RunSpec {
    std::size_t c;
    int replication;
    int exit_code = -1;
    std::string file() const { return std::to_string(c) + "-" + std::to_string(replication) + ".json"; }
  };
  std::vector<RunSpec> runs;
  std::vector<std::vector<std::string>> commands;
  for (std::size_t c = 0; c < cases.size(); ++c)
    for (int r = 0; r < cases[c].replications; ++r) {
      runs.push_back({c, r});
      commands.push_back({self, "run", (std::filesystem::path(root) / "scenarios/validation" / cases[c].scenario).string(),
                          "--quiet", "--json", (tmp / runs.back().file()).string(), "--replication", std::to_string(r)});
      for (const auto& s : cases[c].overrides) commands.back().insert(commands.back().end(), {"--set", s});
    }
  const std::vector<int> codes = run_children(commands, jobs);
  for (std::size_t i = 0; i < runs.size(); ++i) runs[i].exit_code = codes[i];
  std::vector<ValidationRow> rows;
  for (std::size_t c = 0; c < cases.size(); ++c) {
    std::vector<json> results;
    bool all_ran = true;
    for (const auto& run : runs) {
      if (run.c != c) continue;
      std::ifstream in(tmp / run.file());
      const json result = json::parse(in, nullptr, false);
      if (run.exit_code != 0 || result.is_discarded()) all_ran = false;
      else results.push_back(result);
    }
    for (const auto& check : cases[c].checks) {
      ValidationRow row{cases[c].name, check.what, check.kind, cases[c].replications, check.expected, std::nan(""), 0,
                        check.tolerance, std::nullopt, false};
      if (!all_ran || results.empty()) {
        rows.push_back(row);
        continue;
      }
      if (check.kind == ValidationCheck::Kind::consistency) {
        // An identity must hold in every run: the row shows the worst one.
        row.pass = true;
        for (const auto& r : results) {
          const double expected = check.expect ? check.expect(r) : check.expected, simulated = check.measure(r);
          const double error = expected != 0 ? (simulated - expected) / expected : simulated;
          if (std::isnan(row.simulated) || std::fabs(error) >= std::fabs(row.error)) {
            row.expected = expected;
            row.simulated = simulated;
            row.error = error;
          }
          row.pass = row.pass && std::fabs(error) <= check.tolerance + 1e-12;
        }
      } else {
        std::vector<double> values;
        for (const auto& r : results) values.push_back(check.measure(r));
        const MetricStat s = metric_stat(values);
        row.simulated = s.mean;
        row.error = row.expected != 0 ? (s.mean - row.expected) / row.expected : s.mean;
        if (values.size() >= 2) {
          double squares = 0;
          for (double v : values) squares += (v - s.mean) * (v - s.mean);
          const double se = std::sqrt(squares / static_cast<double>(values.size() - 1) / static_cast<double>(values.size()));
          const double resolution = check.resolution * std::fabs(row.expected);
          const double total = std::sqrt(se * se + resolution * resolution + check.expected_se * check.expected_se);
          row.z = total > 0 ? (s.mean - row.expected) / total : (s.mean == row.expected ? 0 : INFINITY);
          row.pass = std::fabs(*row.z) <= kMaxZ;
        } else {
          row.pass = std::fabs(row.error) <= row.tolerance + 1e-12;
        }
      }
      rows.push_back(row);
    }
  }
  std::filesystem::remove_all(tmp);
  return rows;
}

std::string validation_table(const std::vector<ValidationRow>& rows) {
  std::ostringstream out;
  char line[400];
  std::size_t passed[2] = {0, 0}, total[2] = {0, 0};
  for (const auto kind : {ValidationCheck::Kind::validation, ValidationCheck::Kind::consistency}) {
    out << (kind == ValidationCheck::Kind::validation
                ? "Validation: the model against outside truths (theory, closed forms, an independent Monte Carlo, AWS's limits)\n"
                : "\nConsistency: identities within one run (not validation)\n");
    std::snprintf(line, sizeof line, "%-28s %-40s %5s %12s %12s %8s %14s  %s\n", "case", "quantity", "runs", "expected",
                  "simulated", "error", "z (or tol.)", "pass");
    out << line;
    for (const auto& r : rows) {
      if (r.kind != kind) continue;
      char judged[32];
      if (r.z) std::snprintf(judged, sizeof judged, "z %+.2f", *r.z);
      else std::snprintf(judged, sizeof judged, "tol. %.4g%%", 100 * r.tolerance);
      std::snprintf(line, sizeof line, "%-28s %-40s %5d %12.5g %12.5g %7.2f%% %14s  %s\n", r.case_name.c_str(),
                    r.what.c_str(), r.replications, r.expected, r.simulated, 100 * r.error, judged, r.pass ? "yes" : "NO");
      out << line;
      const auto k = static_cast<std::size_t>(kind);
      ++total[k];
      passed[k] += r.pass;
    }
  }
  out << "\n" << passed[0] << " of " << total[0] << " validation checks pass (|z| ≤ " << kMaxZ
      << " over the replications, or within the stated tolerance); " << passed[1] << " of " << total[1]
      << " consistency checks pass\n";
  return out.str();
}

}  // namespace shardsim
