#pragma once
// A distributed lock per entity, as teams build one in the handler instead of relying on the
// stream's order (shared/aws-facts.md: a conditional write to a lock table, released by a
// delete; defaults from AWS's DynamoDB Lock Client: a 20 s lease, an acquirer re-reads every 1 s
// and waits up to the lease + 1 s). Every invocation of a function shares the table, across
// shards and lanes: it serialises an entity, but does not order it (whoever tries first when
// the lock is free takes it).
//
// The handler lays out an invocation's records when the invocation starts, so holds are
// reservations made ahead of their time: a request at t takes the lock at the first attempt
// (t, then every acquire + retry_s) at which the whole hold fits between the holds already
// reserved, a hold counting until it ends or its lease expires (ttl_s after it began), whichever
// comes first. A hold longer than its lease expires under its holder and the next acquirer can
// take the lock while it still runs (mutual exclusion lost: an overlap of cause lock_expired).
// An acquirer that would wait longer than max_wait_s gives up at that time. Waits are computed,
// not polled: no actor wakes per retry.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "models/keys.hpp"

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
  struct Grant {
    double at = 0;               // when the lock was taken (or, given up, when the acquirer gave up)
    bool gave_up = false;
    bool took_expired = false;   // taken while an earlier hold still ran past its lease
  };

  explicit LockTable(LockParams params) : p_(params) {}
  // A request at `request_s` for `key`'s lock, to hold it `hold_s` (the acquire round trip, the
  // work, the release); each attempt costs `attempt_s` (a round trip). Requests come at or after
  // `now` (holds ending before it are forgotten).
  Grant acquire(KeyId key, double request_s, double attempt_s, double hold_s, double now);
  const LockCounts& counts() const { return counts_; }

private:
  struct Hold {
    double start, end;  // end: when the lock is free again (the hold's end or its lease's)
    double runs_until;  // the hold's own end
  };
  LockParams p_;
  std::unordered_map<KeyId, std::vector<Hold>> holds_;  // by start
  LockCounts counts_;
};

inline LockTable::Grant LockTable::acquire(KeyId key, double request_s, double attempt_s, double hold_s, double now) {
  // A key's holds never overlap in [start, end) (each was placed in a gap), so they are sorted by
  // end as well as by start: the search walks them once from the first that may be in the way.
  std::vector<Hold>& holds = holds_[key];
  std::size_t done = 0;
  while (done < holds.size() && holds[done].runs_until <= now && holds[done].end <= now) ++done;
  holds.erase(holds.begin(), holds.begin() + static_cast<std::ptrdiff_t>(done));
  const double step = attempt_s + p_.retry_s;
  const double lease = std::min(hold_s, p_.ttl_s);
  double at = request_s;
  auto it = std::upper_bound(holds.begin(), holds.end(), at, [](double t, const Hold& h) { return t < h.end; });
  for (; it != holds.end() && it->start < at + lease; ++it)
    at = request_s + std::ceil((it->end - request_s) / step - 1e-9) * step;  // the first attempt after it frees
  Grant g;
  if (at - request_s > p_.max_wait_s) {
    g.at = request_s + p_.max_wait_s;
    g.gave_up = true;
    ++counts_.gave_up;
    counts_.wait_s_total += p_.max_wait_s;
    return g;
  }
  g.at = at;
  g.took_expired = std::any_of(holds.begin(), it, [at](const Hold& h) { return h.end <= at && at < h.runs_until; });
  if (hold_s > p_.ttl_s) ++counts_.expired;
  ++counts_.acquired;
  if (at > request_s) ++counts_.contended;
  counts_.wait_s_total += at - request_s;
  holds.insert(it, Hold{at, at + lease, at + hold_s});
  return g;
}

}  // namespace shardsim
