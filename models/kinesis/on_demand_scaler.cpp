#include "models/kinesis/on_demand_scaler.hpp"

#include <algorithm>
#include <cmath>

#include <xbt/log.h>

#include "models/kinesis/kinesis_limits.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(kinesis, shardsim, "kinesis: on-demand scale-ups");

namespace shardsim {

void OnDemandScaler::before_put(Stream& stream, double t) {
  const auto max_shards = static_cast<std::size_t>(params_.max_shards);
  while (!pending_.empty() && pending_.front().at_s <= t) {
    const PendingScale p = pending_.front();
    pending_.pop_front();
    if (stream.open_after_changes().size() >= max_shards) continue;
    const double at = std::max(p.at_s, stream.horizon());
    if (p.needed == 0) {
      if (stream.split_in_middle(p.hot_shard, at))
        XBT_VERB("on demand: shard %zu took more than 500 KB in a second; it splits at %.6f s", p.hot_shard, at);
    } else if (p.needed > stream.open_after_changes().size()) {
      grow(stream, p.needed, at);
    }
  }
}

void OnDemandScaler::accepted(const Stream& stream, const Record& record, std::size_t shard, std::uint32_t) {
  const double due = record.arrival_s + params_.scale_delay_s;
  if (record.arrival_s >= hot_second_end_) {  // a second of writes ended: its hot shards split later
    for (std::size_t s = 0; s < hot_bytes_.size(); ++s)
      if (hot_bytes_[s] > kinesis::kOnDemandHotShardBytesPerS) pending_.push_back({due, 0, s});
    std::fill(hot_bytes_.begin(), hot_bytes_.end(), 0.0);
    hot_second_end_ = std::floor(record.arrival_s) + 1;
  }
  if (shard >= hot_bytes_.size()) hot_bytes_.resize(shard + 1, 0.0);
  hot_bytes_[shard] += record.bytes;
  const std::size_t needed = meter_.written(record.arrival_s, record.bytes, stream.open_shard_count());
  if (needed > 0) pending_.push_back({due, needed, 0});
}

void OnDemandScaler::grow(Stream& stream, std::size_t needed, double at) const {
  // Traffic spread evenly over the hash key space loads a shard in proportion to its range, so
  // `needed` shards' capacity means no range wider than 1/needed of the space. One change per
  // round of splits (a shard splits at most once in a change), at most max_shards open.
  const auto width = [](const HashKeyRange& r) { return r.ending_hash_key - r.starting_hash_key; };
  const HashKey widest_allowed = kMaxHashKey / needed + needed;  // + rounding of uneven layouts
  const auto max_shards = static_cast<std::size_t>(params_.max_shards);
  for (;;) {
    ShardSetChange change;
    change.at_s = at;
    const auto& open = stream.open_after_changes();
    for (const auto& [range, index] : open) {
      if (width(range) <= widest_allowed || open.size() + change.close.size() >= max_shards) continue;
      change.close.push_back(index);
      change.open.push_back({{range.starting_hash_key, range.middle() - 1}, index, std::nullopt});
      change.open.push_back({{range.middle(), range.ending_hash_key}, index, std::nullopt});
    }
    if (change.close.empty()) return;
    XBT_VERB("on demand: %zu shards needed from %.6f s; %zu split in the middle", needed, at, change.close.size());
    stream.schedule(std::move(change));
  }
}

}  // namespace shardsim
