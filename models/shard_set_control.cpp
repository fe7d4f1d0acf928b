#include "models/shard_set_control.hpp"

#include <cmath>

namespace shardsim {

ShardSetControl::ShardSetControl(Stream& stream, RunControl& control, std::function<void(std::size_t shard)> on_open)
    : stream_(stream), control_(control), on_open_(std::move(on_open)), known_(stream.shard_count()),
      changed_(simgrid::s4u::Semaphore::create(0)) {
  stream_.on_change_scheduled([changed = changed_] { changed->release(); });
}

void ShardSetControl::operator()() {
  for (;;) {
    const double at = stream_.next_change_s();
    if (std::isinf(at)) {
      // An on-demand stream schedules its changes as puts come, until production ends.
      if (!stream_.on_demand() || stream_.production_complete() || control_.aborted()) break;
      changed_->acquire();
      continue;
    }
    if (control_.must_stop(at)) break;
    if (at > simgrid::s4u::Engine::get_clock()) {
      simgrid::s4u::this_actor::sleep_until(at);
      ++control_.wakeups;
    }
    stream_.apply_changes_through(at);
    for (; known_ < stream_.shard_count(); ++known_) on_open_(known_);
  }
}

}  // namespace shardsim
