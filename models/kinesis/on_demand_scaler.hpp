#pragma once
// An on-demand stream's scaler (models/kinesis/on_demand.hpp has the rules): meters the accepted
// writes and splits shards scale_delay_s after a new peak needs more, or after a shard took more
// than 500 KB in a second. Scale-ups are scheduled once a put reaches their time, so that none
// comes after production (the stream does not know when that ends until it has).
#include <deque>
#include <vector>

#include "models/kinesis/on_demand.hpp"
#include "models/stream/stream.hpp"

namespace shardsim {

class OnDemandScaler : public ShardSetDriver {
public:
  OnDemandScaler(const OnDemandParams& params, const ShardLimits& limits)
      : params_(params), meter_(limits.write_records_per_s, limits.write_bytes_per_s) {}

  void before_put(Stream& stream, double t) override;
  void accepted(const Stream& stream, const Record& record, std::size_t shard, std::uint32_t counted) override;
  void production_complete() override { pending_.clear(); }

private:
  // Splits the shards open after the changes at their middle at `at` until none is wider than
  // 1/needed of the hash key space or max_shards are open (a shard split more than once at one
  // time has children that open and close at that instant).
  void grow(Stream& stream, std::size_t needed, double at) const;

  OnDemandParams params_;
  OnDemandMeter meter_;
  // Scale-ups, in time order: grow to `needed` shards, or split a hot shard.
  struct PendingScale {
    double at_s;
    std::size_t needed;  // grow; 0 for a hot shard's split
    std::size_t hot_shard;
  };
  std::deque<PendingScale> pending_;
  std::vector<double> hot_bytes_;  // bytes written to each shard in the current second
  double hot_second_end_ = 1;
};

}  // namespace shardsim
