#include "models/stream/shard_set_control.hpp"

#include <cmath>

namespace shardsim {

ShardSetControl::ShardSetControl(Stream& stream, RunControl& control, std::function<void(std::size_t shard)> on_open)
    : stream_(stream), control_(control), on_open_(std::move(on_open)), known_(stream.shard_count()),
      changed_(simgrid::s4u::Semaphore::create(0)) {
  stream_.on_change_scheduled([changed = changed_] { changed->release(); });
}

void ShardSetControl::operator()() {
  namespace s4u = simgrid::s4u;
  for (;;) {
    // Producers run ahead of the clock and may have applied a change already: its shards are
    // handed out at their opening time all the same.
    if (known_ < stream_.shard_count()) {
      const double opened = stream_.shard(known_).opened_s();
      if (control_.must_stop(opened)) break;
      if (opened > s4u::Engine::get_clock()) {
        s4u::this_actor::sleep_until(opened);
        ++control_.wakeups;
      }
      on_open_(known_++);
      continue;
    }
    const double at = stream_.next_change_s();
    if (std::isinf(at)) {
      // An on-demand stream and a table schedule their changes as puts come, until production ends.
      if (!stream_.driven() || stream_.production_complete() || control_.aborted()) break;
      changed_->acquire();
      continue;
    }
    if (control_.must_stop(at)) break;
    if (at > s4u::Engine::get_clock()) {
      s4u::this_actor::sleep_until(at);
      ++control_.wakeups;
    }
    stream_.apply_changes_through(at);
  }
}

}  // namespace shardsim
