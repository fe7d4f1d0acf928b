#pragma once
// Kinesis on-demand capacity mode (Kinesis developer guide, "Choose the data stream capacity
// mode"): the stream sizes itself. It serves up to twice the highest write rate it has seen (the
// previous peak); when a new peak needs more, shards are added in the background, which takes up
// to 15 minutes, and traffic that more than doubles the previous peak within that time is
// throttled by the shards open meanwhile.
//
// The model: accepted writes are metered per second of put time in shard units (the larger of
// records / the records limit and bytes / the bytes limit of one shard). At the end of each
// second (capped at what the shards open then sustain), when twice the peak second so far needs
// more shards than the stream will have, the stream splits shards in the middle `scale_delay_s`
// later (OnDemandScaler::grow; a scale-up due after the last put of the run does not happen) until no shard's hash
// key range is wider than 1/needed of the space: traffic spread evenly over the keys then finds
// twice the peak seen by t − scale_delay_s at every time t. From 4 shards the count stays a power
// of two. A split spreads keys, never isolates one: a hot key's traffic stays on one shard.
// Besides, a shard that took more than 500 KB of writes in a second (AWS: "within 15 minutes")
// splits in the middle `scale_delay_s` later (Stream::split_in_middle), whatever the peak.
// Shards are never merged back (capacity only grows in a run; AWS documents no timing for
// scaling down).
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace shardsim {

struct OnDemandParams {
  double scale_delay_s = 900;   // a new peak's shards open this long after the second that set it
  std::int64_t max_shards = 200;  // the stream's write ceiling in shards (AWS: 200 MB/s by default)
};

class OnDemandMeter {
public:
  OnDemandMeter(double records_per_shard_s, double bytes_per_shard_s)
      : records_per_shard_s_(records_per_shard_s), bytes_per_shard_s_(bytes_per_shard_s) {}

  // An accepted write at put time t (writes come in time order) while `open_shards` are open.
  // When t ends a metered second, returns the shards twice the peak second so far needs;
  // otherwise 0. A second counts for what the open shards sustain: the first second of a jump
  // can take twice that (each shard's one-second burst on top of its rate), which is not a rate
  // the stream served.
  std::size_t written(double t, std::uint32_t bytes, std::size_t open_shards) {
    std::size_t needed = 0;
    if (t >= second_end_) {
      const double units = std::max(records_ / records_per_shard_s_, bytes_ / bytes_per_shard_s_);
      peak_units_ = std::max(peak_units_, std::min(units, static_cast<double>(open_shards_)));
      needed = static_cast<std::size_t>(std::ceil(2 * peak_units_ - 1e-9));
      second_end_ = std::floor(t) + 1;
      records_ = 0;
      bytes_ = 0;
    }
    open_shards_ = open_shards;
    ++records_;
    bytes_ += bytes;
    return needed;
  }

private:
  double records_per_shard_s_, bytes_per_shard_s_;
  double second_end_ = 0;  // the metered second ends here
  double records_ = 0, bytes_ = 0;
  double peak_units_ = 0;
  std::size_t open_shards_ = 0;  // during the metered second
};

}  // namespace shardsim
