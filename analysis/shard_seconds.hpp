#pragma once
// What each shard took in each whole second of the run, in two measures (records and bytes
// written; calls and bytes read), reduced as it goes to each measure's busiest shard-second and
// total: a limit's peak utilization is the busiest second against its per-shard capacity.
// Memory: one slot per shard.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace shardsim {

class ShardSeconds {
public:
  void add_shard() { slots_.push_back({}); }
  // `count` and `bytes` taken by `shard` at `t` (times come in order for each shard).
  void add(std::size_t shard, double t, double count, double bytes) {
    Slot& s = slots_[shard];
    if (t >= s.end || t < s.end - 1) {
      busiest_count_ = std::max(busiest_count_, s.count);
      busiest_bytes_ = std::max(busiest_bytes_, s.bytes);
      s.end = std::floor(t) + 1;
      s.count = s.bytes = 0;
    }
    s.count += count;
    s.bytes += bytes;
    total_count_ += count;
    total_bytes_ += bytes;
    last_ = t > last_ ? t : last_;
  }
  double busiest_count() const { return busiest(&Slot::count, busiest_count_); }
  double busiest_bytes() const { return busiest(&Slot::bytes, busiest_bytes_); }
  double total_count() const { return total_count_; }
  double total_bytes() const { return total_bytes_; }
  double last() const { return last_; }  // the latest time anything was taken

private:
  struct Slot {
    double end = 0;  // the current second is [end - 1, end)
    double count = 0, bytes = 0;
  };
  double busiest(double Slot::*measure, double closed) const {
    for (const Slot& s : slots_) closed = std::max(closed, s.*measure);
    return closed;
  }
  std::vector<Slot> slots_;
  double busiest_count_ = 0, busiest_bytes_ = 0, total_count_ = 0, total_bytes_ = 0, last_ = 0;
};

}  // namespace shardsim
