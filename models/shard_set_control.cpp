#include "models/shard_set_control.hpp"

#include <simgrid/s4u.hpp>

namespace shardsim {

void ShardSetControl::operator()() {
  for (const double at : stream_.scheduled_change_times()) {
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
