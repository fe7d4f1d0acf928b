#pragma once
// A distributed lock per entity, as teams build one in the handler instead of relying on the
// stream's order (shared/aws-facts.md: a conditional write to a lock table, released by a
// delete; defaults from AWS's DynamoDB Lock Client: a 20 s lease, an acquirer re-reads every 1 s
// and waits up to the lease + 1 s). Every invocation of a function shares the table, across
// shards and lanes: it serialises an entity, but does not order it (whoever tries first when
// the lock is free takes it).
//
// Attempts are decided when they happen, in simulated time, so the lock goes to whoever tries
// first once it is free, as a real one does: a request at t tries at t, then every attempt +
// retry_s, until an attempt finds the lock free or the next one would come after max_wait_s.
// A refused acquirer learns when the current hold frees the lock and sleeps until its first
// attempt after that (no actor wakes per retry); if someone took the lock in between, it looks
// again. A hold frees the lock at its release or when its lease expires (ttl_s after it was
// taken), whichever comes first; a holder whose invocation is stopped (a timeout) never
// releases, and the lock stays taken until the lease expires. A hold longer than its lease
// expires under its holder and the next acquirer can take the lock while it still runs (mutual
// exclusion lost: an overlap of cause lock_expired).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>

#include "models/core/keys.hpp"

namespace shardsim {

struct LockParams {
  double retry_s = 1;      // between failed attempts (after each attempt's round trip)
  double ttl_s = 20;       // a hold's lease
  double max_wait_s = 21;  // an acquirer gives up after waiting this long
};

struct LockCounts {
  std::uint64_t acquired = 0, contended = 0, expired = 0, gave_up = 0;
  double wait_s_total = 0;
};

class LockTable {
public:
  struct Attempt {
    bool taken = false;
    bool gave_up = false;       // no attempt within max_wait_s can succeed: it gives up at next_s
                                // (the caller says so with stopped_waiting)
    bool took_expired = false;  // taken while an earlier holder still ran past its lease
    double next_s = 0;          // not taken: the next attempt (or, given up, when it gives up)
  };

  explicit LockTable(LockParams params) : p_(params) {}
  // An attempt at `now` on `key`'s lock by a request made at `requested_s` (each attempt costs
  // `attempt_s`, a round trip). Taken, the holder runs `runs_s` from now and releases the lock
  // then if `releases`; otherwise (stopped before its release) the lock stays taken for its lease.
  Attempt attempt(KeyId key, double requested_s, double now, double attempt_s, double runs_s, bool releases);
  // An acquirer stopped waiting after `waited_s`: it gave up, or its invocation was stopped.
  void stopped_waiting(double waited_s, bool gave_up) {
    counts_.wait_s_total += waited_s;
    counts_.gave_up += gave_up;
  }
  const LockCounts& counts() const { return counts_; }

private:
  struct Lock {
    double free_s = 0;           // when the lock is free again
    double holders_run_s = 0;    // when the last of its holders stops running
  };
  LockParams p_;
  std::unordered_map<KeyId, Lock> locks_;
  LockCounts counts_;
};

inline LockTable::Attempt LockTable::attempt(KeyId key, double requested_s, double now, double attempt_s,
                                             double runs_s, bool releases) {
  Lock& lock = locks_[key];
  Attempt a;
  // The attempt found the lock free (a hair of tolerance: attempt times are computed from the
  // request, not read off the clock at which the lock freed).
  if (lock.free_s <= now + 1e-9) {
    a.taken = true;
    a.took_expired = now < lock.holders_run_s;
    lock.free_s = now + (releases ? std::min(runs_s, p_.ttl_s) : p_.ttl_s);
    lock.holders_run_s = std::max(lock.holders_run_s, now + runs_s);
    if (runs_s > p_.ttl_s) ++counts_.expired;
    ++counts_.acquired;
    if (now > requested_s) ++counts_.contended;
    counts_.wait_s_total += now - requested_s;
    return a;
  }
  const double step = attempt_s + p_.retry_s;
  a.next_s = requested_s + std::ceil((lock.free_s - requested_s) / step - 1e-9) * step;  // the first after it frees
  if (a.next_s - requested_s > p_.max_wait_s) {
    a.gave_up = true;
    a.next_s = requested_s + p_.max_wait_s;
  }
  return a;
}

}  // namespace shardsim
