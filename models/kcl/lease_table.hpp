#pragma once
// The leases of a Kinesis Client Library application (and of the DynamoDB Streams Kinesis
// Adapter, which runs on the KCL): one lease per shard, held by one worker at a time, in a lease
// table. Library defaults and behaviour read from the KCL's source (shared/aws-facts.md):
//   - a new shard's lease goes to the live worker holding the fewest leases (under
//     max_leases_per_worker), so leases stay balanced;
//   - a worker that fails stops renewing its leases; failover_s later (failoverTimeMillis,
//     10 s) they have expired and other live workers take them, balanced the same way;
//   - the new holder resumes after the lease's last checkpoint, so what the failed worker
//     processed after it is processed again.
//   - expired leases are taken by the lease taker, which runs every taker_interval_s (the KCL's
//     2 × (failoverTimeMillis + 25 ms), 20.05 s): a lost lease moves at the taker's first run
//     after it expired, failover_s to failover_s + taker_interval_s after the failure.
//   - a child shard's lease is created when its parents reach SHARD_END (KCL 2.x and later; the
//     KCL 1.x also created it at the first shard sync after the shard opened, every
//     shardSyncIntervalMillis, 60 s); a worker's lease taker takes it at its next run, and a
//     holder whose parents are not done looks again every parentShardPollIntervalMillis (10 s).
// The model's simplifications: every worker's taker runs at the application's start, then every
// taker_interval_s (the workers start together); a lease expires exactly failover_s after its
// holder failed (renewals are not modelled); leases are not stolen to rebalance after a worker
// recovers (a recovered worker takes new and expired leases).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace shardsim {

struct WorkerFailure {
  double at_s = 0;
  std::int64_t worker = 0;
  double recover_after_s = -1;  // -1: never recovers
};

struct LeaseCounts {
  std::uint64_t taken = 0;      // leases taken (a new shard's, or an expired one's)
  std::uint64_t moves = 0;      // leases taken by a worker other than their previous holder
  std::uint64_t failovers = 0;  // leases lost with their worker
  std::uint64_t checkpoints = 0;  // checkpoints written
};

class LeaseTable {
public:
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

  // The KCL's timing margin (epsilonMillis, 25 ms) in its lease coordinator's intervals.
  static constexpr double kEpsilonS = 0.025;
  // The KCL's lease taker interval for a failover time: (failover + epsilon) × 2.
  static double default_taker_interval_s(double failover_s) { return 2 * (failover_s + kEpsilonS); }
  // How often a worker renews each lease it holds: failover / 3 − epsilon (at least 1 ms).
  double renewal_interval_s() const { return std::max(failover_s_ / 3 - kEpsilonS, 1e-3); }

  // origin_s: when the application starts (its lease takers and shard syncs run from then).
  LeaseTable(std::size_t workers, std::size_t max_leases_per_worker, double failover_s, std::vector<WorkerFailure> failures,
             double taker_interval_s, double origin_s = 0)
      : max_leases_(max_leases_per_worker ? max_leases_per_worker : kNone),
        failover_s_(failover_s),
        taker_interval_s_(taker_interval_s),
        origin_s_(origin_s),
        failures_(std::move(failures)),
        load_(workers, 0) {}

  double failover_s() const { return failover_s_; }
  double taker_interval_s() const { return taker_interval_s_; }
  std::size_t workers() const { return load_.size(); }
  void checkpointed() { ++counts_.checkpoints; }
  double origin_s() const { return origin_s_; }
  // The lease taker's first run at or after t.
  double next_taker_run(double t) const {
    return origin_s_ + std::ceil((t - origin_s_) / taker_interval_s_ - 1e-9) * taker_interval_s_;
  }
  bool alive(std::size_t worker, double t) const {
    for (const auto& f : failures_)
      if (f.worker == static_cast<std::int64_t>(worker) && t >= f.at_s && (f.recover_after_s < 0 || t < f.at_s + f.recover_after_s)) return false;
    return true;
  }
  // The shard's lease to the live worker with the fewest leases (the lowest index on a tie) at
  // `now`; kNone when no live worker has room.
  std::size_t take(std::size_t shard, double now) {
    std::size_t best = kNone;
    for (std::size_t w = 0; w < load_.size(); ++w)
      if (alive(w, now) && load_[w] < max_leases_ && (best == kNone || load_[w] < load_[best])) best = w;
    if (best == kNone) return kNone;
    if (shard >= holder_.size()) {
      holder_.resize(shard + 1, kNone);
      previous_.resize(shard + 1, kNone);
    }
    ++load_[best];
    ++counts_.taken;
    if (previous_[shard] != kNone && previous_[shard] != best) ++counts_.moves;
    holder_[shard] = previous_[shard] = best;
    return best;
  }
  // The lease is given up: at the shard's end, or lost with its worker (`failed`).
  void drop(std::size_t shard, bool failed) {
    const std::size_t w = holder_[shard];
    if (w == kNone) return;
    --load_[w];
    holder_[shard] = kNone;
    if (failed) ++counts_.failovers;
  }
  // The first failure of the shard's holder at or after `after`, or +inf.
  double holder_fails_at(std::size_t shard, double after) const {
    double at = std::numeric_limits<double>::infinity();
    if (shard >= holder_.size() || holder_[shard] == kNone) return at;
    for (const auto& f : failures_)
      if (f.worker == static_cast<std::int64_t>(holder_[shard]) && f.at_s >= after) at = std::min(at, f.at_s);
    return at;
  }
  std::size_t holder(std::size_t shard) const { return shard < holder_.size() ? holder_[shard] : kNone; }
  const LeaseCounts& counts() const { return counts_; }

private:
  std::size_t max_leases_;
  double failover_s_;
  double taker_interval_s_;
  double origin_s_;
  std::vector<WorkerFailure> failures_;
  std::vector<std::size_t> load_;
  std::vector<std::size_t> holder_, previous_;  // by shard index
  LeaseCounts counts_;
};

}  // namespace shardsim
