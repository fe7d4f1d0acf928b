#include "sim/validation.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "analysis/sweep_plan.hpp"

namespace shardsim {
namespace {

using nlohmann::json;

std::function<double(const json&)> at(const std::string& path) {
  return [path](const json& r) { return result_value(r, path).value_or(std::nan("")); };
}

// Little's law on the invocations: time-weighted mean concurrency against invocation count ×
// mean invocation time / simulated time. Both are computed exactly, independently.
ValidationCheck littles_law() {
  return {"Little's law: mean concurrency vs rate × time",
          [](const json& r) { return r["concurrency"]["mean"].get<double>(); },
          std::nan(""),  // filled per run from the same result (see run_validation)
          1e-6};
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

}  // namespace

std::vector<ValidationCase> validation_cases() {
  std::vector<ValidationCase> cases;
  // M/M/1, λ = 2, μ = 4, ρ = 0.5: sojourn time exponential with rate μ − λ = 2:
  // W = 0.5 s, p99 = ln(100) / 2 = 2.3026 s; mean concurrency = ρ. 50,000 customers with a
  // relaxation time 1 / (μ (1 − √ρ)²) ≈ 2.9 s: ~8,600 independent stretches, ~1.1% on the
  // mean at one standard error; tolerance 3% (mean), 4% (p99, also within the histogram's
  // 0.5%), 2% (utilisation).
  cases.push_back({"M/M/1 ρ=0.5", "mm1.json", {},
                   {{"mean latency W", at("latency_s.mean"), 0.5, 0.03},
                    {"p99 latency", at("latency_s.p99"), std::log(100.0) / 2, 0.04},
                    {"mean concurrency ρ", at("concurrency.mean"), 0.5, 0.02}}});
  // M/M/1, λ = 2, μ = 2.5, ρ = 0.8: W = 1 / (μ − λ) = 2 s, p99 = ln(100) / 0.5 = 9.21 s. The
  // relaxation time is ~36 s, so 100,000 customers give ~1,400 independent stretches: ~2.7%
  // on the mean at one standard error; tolerance 6% (above 2σ).
  cases.push_back({"M/M/1 ρ=0.8", "mm1-rho08.json", {},
                   {{"mean latency W", at("latency_s.mean"), 2.0, 0.06},
                    {"p99 latency", at("latency_s.p99"), std::log(100.0) / 0.5, 0.08},
                    {"mean concurrency ρ", at("concurrency.mean"), 0.8, 0.02}}});
  // M/D/1, λ = 2, D = 0.4 s, ρ = 0.8 (Pollaczek–Khinchine): W = D + ρ D / (2 (1 − ρ)) = 1.2 s.
  // Less variable than M/M/1; tolerance 5%.
  cases.push_back({"M/D/1 ρ=0.8", "md1-rho08.json", {},
                   {{"mean latency W (P-K)", at("latency_s.mean"), 0.4 + 0.8 * 0.4 / (2 * 0.2), 0.05}}});
  // PF 4 with hash lanes and unique keys: each lane gets a random quarter of the traffic, so
  // four independent M/M/1 queues with λ = 2, μ = 2.5: W = 2 s (not a pool of four servers).
  // 50,000 customers per lane, four lanes: ~1.4% on the mean; tolerance 8%.
  cases.push_back({"PF 4 hash = 4 × M/M/1", "pf4-hash.json", {},
                   {{"mean latency W", at("latency_s.mean"), 2.0, 0.08},
                    {"mean concurrency 4ρ", at("concurrency.mean"), 3.2, 0.03}}});
  // PF 4 with dynamic lanes and unique keys: any free lane takes the next record: an M/M/4
  // queue, λ = 8, μ = 2.5, a = 3.2: W = C(4, a) / (4μ − λ) + 1/μ = 0.698 s (Erlang C).
  // Relaxation is fast at this load; tolerance 4%.
  const double w_mmc = erlang_c(4, 3.2) / (4 * 2.5 - 8) + 1 / 2.5;
  cases.push_back({"PF 4 dynamic = M/M/4", "pf4-dynamic.json", {},
                   {{"mean latency W (Erlang C)", at("latency_s.mean"), w_mmc, 0.04},
                    {"mean concurrency 4ρ", at("concurrency.mean"), 3.2, 0.03}}});
  // Key-ordered draining (Confluent Parallel Consumer's volume test: 10,000 messages, 0–5 ms,
  // concurrency 100; published 26.7 s with 1 key, 13.6 s with 2, 5.9 s with 5, 3.3 s with 10,
  // ~2.1 s with 100+ where overheads dominate). Without their overheads the time is the
  // slowest key's work: ≈ 10,000 / k × 2.5 ms. Keys are drawn uniformly, so a key's record count
  // is binomial (sd √(n(1 − 1/k)) around n = 10,000 / k) and its time has a further relative
  // deviation of 0.577 / √n; the slowest of k keys lies about 2σ above the mean: +0 % with one
  // key, ~+3 % with 2 and 5, ~+7 % with 10, ~+30 % with 100 (n = 100: σ ≈ 11.5 %). Tolerances:
  // 5 %, 5 %, 5 %, 10 %, 40 %.
  for (int keys : {1, 2, 5, 10, 100}) {
    const double expected = 10000.0 / keys * 0.0025;
    cases.push_back({"key-ordered drain, " + std::to_string(keys) + " key" + (keys > 1 ? "s" : ""),
                     "key-ordered-drain.json",
                     {"producers.0.keys.count=" + std::to_string(keys)},
                     {{"time to drain, s", [](const json& r) { return r["sim"]["simulated_s"].get<double>() - 11; }, expected,
                       keys <= 5 ? 0.05 : keys == 10 ? 0.1 : 0.4}}});
  }
  // Write limit: 2,000 records/s for 100 s into one shard admit 1,000/s plus the bucket's first
  // second: 1,000 + 100 × 1,000 = 101,000 (exact up to the last refill).
  cases.push_back({"write limit 1,000 records/s", "write-limit.json", {},
                   {{"records written", at("records.written"), 101000, 0.001},
                    {"throttled = offered − admitted", [](const json& r) {
                       return r["records"]["produced"].get<double>() - r["records"]["written"].get<double>();
                     }, 99000, 0.002}}});
  // A sustained backlog drives peak concurrency to min(8 shards × PF 4, reserved 20) = 20.
  cases.push_back({"concurrency bound", "concurrency-bound.json", {},
                   {{"peak concurrency", at("concurrency.peak"), 20, 0}, {"bound", at("concurrency.limit"), 20, 0}}});
  for (auto& c : cases) c.checks.push_back(littles_law());
  return cases;
}

std::vector<ValidationRow> run_validation(const std::string& self, const std::string& root, std::size_t jobs) {
  const auto cases = validation_cases();
  char pattern[] = "/tmp/shardsim-validation-XXXXXX";
  if (!mkdtemp(pattern)) throw std::runtime_error("cannot create a temporary directory");
  const std::filesystem::path tmp = pattern;
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  // Each case in its own process; at most `jobs` at once.
  std::vector<pid_t> running;
  std::vector<int> exit_codes(cases.size(), -1);
  std::vector<pid_t> pids(cases.size(), 0);
  std::size_t next = 0;
  while (next < cases.size() || !running.empty()) {
    while (running.size() < jobs && next < cases.size()) {
      const auto& c = cases[next];
      std::vector<std::string> args{self, "run", (std::filesystem::path(root) / "scenarios/validation" / c.scenario).string(),
                                    "--quiet", "--json", (tmp / (std::to_string(next) + ".json")).string()};
      for (const auto& s : c.overrides) args.insert(args.end(), {"--set", s});
      const pid_t pid = fork();
      if (pid == 0) {
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        std::freopen("/dev/null", "w", stderr);
        execv(self.c_str(), argv.data());
        _exit(127);
      }
      pids[next++] = pid;
      running.push_back(pid);
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) break;
    running.erase(std::remove(running.begin(), running.end(), pid), running.end());
    for (std::size_t i = 0; i < cases.size(); ++i)
      if (pids[i] == pid) exit_codes[i] = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  }
  std::vector<ValidationRow> rows;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    std::ifstream in(tmp / (std::to_string(i) + ".json"));
    const json result = json::parse(in, nullptr, false);
    for (const auto& check : cases[i].checks) {
      ValidationRow row{cases[i].name, check.what, check.expected, std::nan(""), 0, check.tolerance, false};
      if (exit_codes[i] == 0 && !result.is_discarded()) {
        row.simulated = check.measure(result);
        if (std::isnan(row.expected)) {  // Little's law: expected from the same run
          const auto& c = result["consumers"][0];
          row.expected = c["invocations"]["count"].get<double>() * c["handler_duration_s"]["mean"].get<double>() /
                         result["sim"]["simulated_s"].get<double>();
        }
        row.error = row.expected != 0 ? (row.simulated - row.expected) / row.expected : row.simulated;
        row.pass = std::fabs(row.error) <= row.tolerance + 1e-12;
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
  std::snprintf(line, sizeof line, "%-30s %-46s %12s %12s %8s %6s  %s\n", "case", "quantity", "expected", "simulated",
                "error", "tol.", "pass");
  out << line;
  std::size_t passed = 0;
  for (const auto& r : rows) {
    std::snprintf(line, sizeof line, "%-30s %-46s %12.5g %12.5g %7.2f%% %5.1f%%  %s\n", r.case_name.c_str(),
                  r.what.c_str(), r.expected, r.simulated, 100 * r.error, 100 * r.tolerance, r.pass ? "yes" : "NO");
    out << line;
    passed += r.pass;
  }
  out << passed << " passed, " << rows.size() - passed << " failed\n";
  return out.str();
}

}  // namespace shardsim
