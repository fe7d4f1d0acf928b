#pragma once
// The control actor of a stream's shard set: at each scheduled change's time it makes sure the
// change is applied (producers apply it as soon as their puts reach that time) and hands every
// shard the change opened to `on_open`, which starts the consumers' readers for it. For an
// on-demand stream and a DynamoDB table it waits for the changes the stream schedules itself,
// until production ends.
#include <cstddef>
#include <functional>

#include <simgrid/s4u.hpp>

#include "models/base/run_control.hpp"
#include "models/stream/stream.hpp"

namespace shardsim {

class ShardSetControl {
public:
  ShardSetControl(Stream& stream, RunControl& control, std::function<void(std::size_t shard)> on_open);
  // The actor's body.
  void operator()();

private:
  Stream& stream_;
  RunControl& control_;
  std::function<void(std::size_t)> on_open_;
  std::size_t known_;  // shards handed out (or there from the start)
  simgrid::s4u::SemaphorePtr changed_;  // released when the stream schedules a change or production ends
};

}  // namespace shardsim
