#pragma once
// What each shard took in each whole second of the run (records or bytes written), reduced as it
// goes to the busiest shard-second and the total: a limit's peak utilization is the busiest
// second against its per-shard capacity. Memory: one slot per shard.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace shardsim {

class ShardSeconds {
public:
  void add_shard() { slots_.push_back({}); }
  void add(std::size_t shard, double t, double amount) {
    Slot& s = slots_[shard];
    const double second = std::floor(t);
    if (second != s.second) {
      busiest_ = std::max(busiest_, s.amount);
      s.second = second;
      s.amount = 0;
    }
    s.amount += amount;
    total_ += amount;
  }
  double busiest() const {
    double most = busiest_;
    for (const Slot& s : slots_) most = std::max(most, s.amount);
    return most;
  }
  double total() const { return total_; }

private:
  struct Slot {
    double second = -1;
    double amount = 0;
  };
  std::vector<Slot> slots_;
  double busiest_ = 0, total_ = 0;
};

}  // namespace shardsim
