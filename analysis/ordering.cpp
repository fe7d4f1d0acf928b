#include "analysis/ordering.hpp"

#include <algorithm>

namespace shardsim {

const std::vector<std::string>& ordering_cause_names() {
  static const std::vector<std::string> names{
      "overlap/same_partition_key",      "overlap/entity_spans_partition_keys",      "overlap/per_item_order",
      "overlap/lock_expired",            "overlap/lineage",                          "overlap/repartition",
      "overlap/unordered_queue",
      "out_of_order/producer_retry",     "out_of_order/retry_after_failure",
      "out_of_order/entity_spans_partition_keys", "out_of_order/per_item_order",      "out_of_order/lineage",
      "out_of_order/repartition",
      "out_of_order/unordered_queue",    "out_of_order/other",
      "duplicate/rerun_after_partial_failure",    "duplicate/failover_redelivery",    "duplicate/at_least_once",
      "lost/dropped_by_producer",        "lost/expired",                             "lost/discarded_after_failures",
      "lost/dead_letter"};
  return names;
}

OrderingReport& OrderingReport::operator+=(const OrderingReport& o) {
  overlaps += o.overlaps;
  out_of_order += o.out_of_order;
  duplicates += o.duplicates;
  lost += o.lost;
  keys_affected += o.keys_affected;
  for (const auto& [cause, n] : o.causes) causes[cause] += n;
  for (const auto& e : o.examples) {
    const auto same_kind = std::count_if(examples.begin(), examples.end(),
                                        [&e](const OrderingExample& x) { return x.kind == e.kind; });
    if (static_cast<std::size_t>(same_kind) < OrderingChecker::kMaxExamplesPerKind) examples.push_back(e);
  }
  return *this;
}

void OrderingChecker::affect(KeyId key) {
  if (key >= affected_.size()) affected_.resize(key + 1, false);
  if (!affected_[key]) {
    affected_[key] = true;
    ++report_.keys_affected;
  }
}

namespace {
const char* const kKindNames[] = {"overlap", "out_of_order", "duplicate", "lost"};
}

void OrderingChecker::found(Kind kind, OrderingCause cause, const Record& r, std::uint64_t other, double now) {
  ++counts_[kind][static_cast<std::size_t>(cause)];
  if (!keys_.keyless(r.order_key)) affect(r.order_key);
  const char* name = kKindNames[kind];
  const auto same_kind = std::count_if(report_.examples.begin(), report_.examples.end(),
                                      [name](const OrderingExample& e) { return e.kind == name; });
  if (static_cast<std::size_t>(same_kind) < kMaxExamplesPerKind)
    report_.examples.push_back({name, ordering_cause_name(cause), keys_.name(r.order_key), r.sequence, other, now});
}

OrderingReport OrderingChecker::report() const {
  OrderingReport r = report_;
  for (std::size_t kind = 0; kind < kinds; ++kind)
    for (std::size_t cause = 0; cause < kOrderingCauses; ++cause)
      if (counts_[kind][cause])
        r.causes[std::string(kKindNames[kind]) + "/" + ordering_cause_name(static_cast<OrderingCause>(cause))] = counts_[kind][cause];
  return r;
}

OrderingChecker::KeyState& OrderingChecker::grow_to(KeyId key) {
  const std::size_t known = states_.size();
  states_.resize(std::max<std::size_t>(key + 1, keys_.size()));
  for (std::size_t k = known; k < states_.size(); ++k)
    if (keys_.keyless(static_cast<KeyId>(k))) states_[k].keyless = true;
  return states_[key];
}

namespace {
std::uint64_t lane_key(std::size_t shard, std::size_t lane) { return (static_cast<std::uint64_t>(shard) << 32) | lane; }
}  // namespace

void OrderingChecker::invocation_started(std::size_t shard, std::size_t lane, double now) {
  const auto [it, fresh] = lane_index_.try_emplace(lane_key(shard, lane), static_cast<std::uint32_t>(lanes_.size()));
  if (fresh) lanes_.emplace_back().shard = static_cast<std::uint32_t>(shard);
  lane_ = it->second;
  now_ = now;
  LaneIntervals& l = lanes_[lane_];
  l.intervals.clear();  // the lane's previous invocation has ended, and so have its intervals
  ++l.invocation;
}

void OrderingChecker::reserve(std::size_t records) { lanes_[lane_].intervals.reserve(records); }

void OrderingChecker::invocation_finished(std::size_t shard, std::size_t lane) {
  const auto it = lane_index_.find(lane_key(shard, lane));
  if (it == lane_index_.end()) return;
  LaneIntervals& l = lanes_[it->second];
  ++l.invocation;  // references to its intervals find nothing from now on, as they would (all ended)
  std::vector<Interval>().swap(l.intervals);
}

void OrderingChecker::invocation_resumed(std::size_t shard, std::size_t lane, double now) {
  lane_ = lane_index_.at(lane_key(shard, lane));
  now_ = now;
}

const OrderingChecker::Interval* OrderingChecker::overlapping(IntervalRef ref, double start_s, double end_s) const {
  const LaneIntervals& l = lanes_[ref.lane];
  if (l.invocation != ref.invocation) return nullptr;  // that invocation has ended
  for (std::uint32_t i = ref.index; i != kNone; i = l.intervals[i].previous) {
    const Interval& other = l.intervals[i];
    if (other.end_s > now_ && other.start_s < end_s && start_s < other.end_s) return &other;
  }
  return nullptr;
}

void OrderingChecker::record_running(const Record& r, double start_s, double end_s, bool took_expired_lock) {
  KeyState& k = state(r.order_key);
  if (k.keyless) return;
  LaneIntervals& lane = lanes_[lane_];
  const bool same_invocation = k.running.lane == lane_ && k.running.invocation == lane.invocation;
  if (k.running_until <= now_) {  // nothing of this key runs any more
    if (k.in_older) older_.erase(r.order_key);
    k.in_older = false;
  } else if (start_s < k.running_until) {
    // Something of this key may run during [start_s, end_s): look at each interval that may.
    // (Usually the key's earlier intervals end before this one starts and nothing is looked at.)
    IntervalRef hit = k.running;
    const Interval* other = overlapping(hit, start_s, end_s);
    if (!other && k.in_older)
      for (const IntervalRef& ref : older_[r.order_key])
        if ((other = overlapping(ref, start_s, end_s))) {
          hit = ref;
          break;
        }
    if (other) {
      ++report_.overlaps;
      // With the partition key as ordering key a mapping never runs a key twice at once on one
      // shard; an entity spread over several partition keys (shards, lanes) can be, and so can a
      // partition key read from a parent and its child at once (a reshard, lineage ignored).
      // On DynamoDB, two items of one partition key are ordered apart (lanes go by item).
      const bool items = other->partition_key != r.key && keys_.partition_key(other->partition_key) == keys_.partition_key(r.key);
      using C = OrderingCause;
      const C cause = took_expired_lock                                 ? C::lock_expired
                      : items                                             ? C::per_item_order
                      : other->partition_key != r.key                 ? C::entity_spans_partition_keys
                      : lanes_[hit.lane].shard != lanes_[lane_].shard ? moved_
                      : unordered_                                    ? C::unordered_queue
                                                                      : C::same_partition_key;
      found(overlap, cause, r, other->sequence, start_s);
    }
  }
  if (!same_invocation && k.running_until > now_ && k.running.lane != kNone &&
      lanes_[k.running.lane].invocation == k.running.invocation) {
    // Intervals of another invocation, still going, may still run: keep them in reach (and
    // forget those of invocations that have ended since).
    auto& refs = older_[r.order_key];
    refs.erase(std::remove_if(refs.begin(), refs.end(),
                              [this](const IntervalRef& ref) { return lanes_[ref.lane].invocation != ref.invocation; }),
               refs.end());
    refs.push_back(k.running);
    k.in_older = true;
  }
  const std::uint32_t previous = same_invocation ? k.running.index : kNone;
  k.running = {lane_, lane.invocation, static_cast<std::uint32_t>(lane.intervals.size())};
  lane.intervals.push_back({start_s, end_s, r.sequence, r.key, previous});
  k.running_until = std::max(k.running_until, end_s);
}

void OrderingChecker::record_succeeded(const Record& r, bool after_failure, std::size_t shard, double now) {
  KeyState& k = state(r.order_key);
  if (k.keyless) return;
  Latest& latest = k.latest;
  if (r.produced_s < latest.produced_s) {
    ++report_.out_of_order;
    // A producer retry gives the retried record a later sequence number than records produced
    // after it; a failed batch's records succeed after later records did (partial batch
    // failures checkpoint past them, other lanes move on); an entity over several partition
    // keys is read by independent readers (on DynamoDB, so are the items of one partition key
    // when order is checked per partition key); a partition key read from two shards was resharded,
    // and the child was read before its parent was drained (or, on a Kafka topic, it moved to
    // another partition when partitions were added).
    using C = OrderingCause;
    const C cause = (r.put_attempts > 1 || latest.retried)  ? C::producer_retry
                    : (after_failure || latest.after_failure) ? C::retry_after_failure
                    : r.order_key != r.key && keys_.partition_key(r.key) == r.order_key ? C::per_item_order
                    : r.order_key != r.key                  ? C::entity_spans_partition_keys
                    : latest.shard != shard                 ? moved_
                    : unordered_                            ? C::unordered_queue
                                                            : C::other;
    found(out_of_order, cause, r, latest.sequence, now);
    return;
  }
  latest = {r.produced_s, r.sequence, r.put_attempts > 1, after_failure, static_cast<std::uint32_t>(shard)};
}

void OrderingChecker::record_duplicated(const Record& r, OrderingCause cause, double now) {
  ++report_.duplicates;
  found(duplicate, cause, r, 0, now);
}

void OrderingChecker::record_lost(const Record& r, OrderingCause cause, double now) {
  ++report_.lost;
  found(lost, cause, r, 0, now);
}

}  // namespace shardsim
