#include "analysis/ordering.hpp"

#include <algorithm>

namespace shardsim {

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

void OrderingChecker::example(const char* kind, const std::string& cause, const Record& r, std::uint64_t other,
                              double now) {
  const auto same_kind = std::count_if(report_.examples.begin(), report_.examples.end(),
                                      [kind](const OrderingExample& e) { return e.kind == kind; });
  if (static_cast<std::size_t>(same_kind) < kMaxExamplesPerKind)
    report_.examples.push_back({kind, cause, keys_.name(r.order_key), r.sequence, other, now});
}

OrderingChecker::KeyState& OrderingChecker::state(KeyId key) {
  if (key >= states_.size()) states_.resize(std::max<std::size_t>(key + 1, keys_.size()));
  return states_[key];
}

void OrderingChecker::free_node(std::uint32_t node) {
  more_[node].next = free_;
  free_ = node;
}

void OrderingChecker::drop_ended(KeyState& k, double now) {
  std::uint32_t previous = kNone;
  for (std::uint32_t node = k.more; node != kNone;) {
    const std::uint32_t next = more_[node].next;
    if (more_[node].interval.end_s <= now) {
      (previous == kNone ? k.more : more_[previous].next) = next;
      free_node(node);
    } else {
      previous = node;
    }
    node = next;
  }
  if (k.running.end_s <= now && k.more != kNone) {  // the oldest still running moves up
    const std::uint32_t node = k.more;
    k.running = more_[node].interval;
    k.more = more_[node].next;
    free_node(node);
  }
}

void OrderingChecker::append(KeyState& k, const Interval& interval) {
  std::uint32_t node = free_;
  if (node != kNone) {
    free_ = more_[node].next;
  } else {
    node = static_cast<std::uint32_t>(more_.size());
    more_.emplace_back();
  }
  more_[node] = {interval, kNone};
  if (k.more == kNone) {
    k.more = node;
    return;
  }
  std::uint32_t last = k.more;
  while (more_[last].next != kNone) last = more_[last].next;
  more_[last].next = node;
}

void OrderingChecker::record_running(const Record& r, double start_s, double end_s, double now) {
  KeyState& k = state(r.order_key);
  // Intervals that ended by now cannot overlap anything that starts now or later.
  drop_ended(k, now);
  const auto overlaps = [&](const Interval& other) {
    if (!(other.end_s > now && other.start_s < end_s && start_s < other.end_s)) return false;
    ++report_.overlaps;
    // With the partition key as ordering key a mapping never runs a key twice at once; an
    // entity spread over several partition keys (shards, lanes) can be.
    const std::string cause = other.partition_key != r.key ? "entity_spans_partition_keys" : "same_partition_key";
    ++report_.causes["overlap/" + cause];
    affect(r.order_key);
    example("overlap", cause, r, other.sequence, start_s);
    return true;
  };
  bool found = overlaps(k.running);
  for (std::uint32_t node = k.more; !found && node != kNone; node = more_[node].next)
    found = overlaps(more_[node].interval);
  const Interval mine{start_s, end_s, r.sequence, r.key};
  if (k.running.end_s <= now) k.running = mine;
  else append(k, mine);
}

void OrderingChecker::record_succeeded(const Record& r, bool after_failure, double now) {
  Latest& latest = state(r.order_key).latest;
  if (r.produced_s < latest.produced_s) {
    ++report_.out_of_order;
    // A producer retry gives the retried record a later sequence number than records produced
    // after it; a failed batch's records succeed after later records did (partial batch
    // failures checkpoint past them, other lanes move on); an entity over several partition
    // keys is read by independent readers.
    const std::string cause = (r.put_attempts > 1 || latest.retried)  ? "producer_retry"
                              : (after_failure || latest.after_failure) ? "retry_after_failure"
                              : r.order_key != r.key                  ? "entity_spans_partition_keys"
                                                                      : "other";
    ++report_.causes["out_of_order/" + cause];
    affect(r.order_key);
    example("out_of_order", cause, r, latest.sequence, now);
    return;
  }
  latest = {r.produced_s, r.sequence, r.put_attempts > 1, after_failure};
}

void OrderingChecker::record_duplicated(const Record& r, double now) {
  ++report_.duplicates;
  affect(r.order_key);
  example("duplicate", "rerun_after_partial_failure", r, 0, now);
}

void OrderingChecker::record_lost(const Record& r, const char* cause, double now) {
  ++report_.lost;
  affect(r.order_key);
  example("lost", cause, r, 0, now);
}

}  // namespace shardsim
