#pragma once
// The control actor of a stream's shard set: at each scheduled change's time it makes sure the
// change is applied (producers apply it as soon as their puts reach that time) and hands every
// shard the change opened to `on_open`, which starts the consumers' readers for it.
#include <cstddef>
#include <functional>

#include "models/base/run_control.hpp"
#include "models/stream.hpp"

namespace shardsim {

class ShardSetControl {
public:
  ShardSetControl(Stream& stream, RunControl& control, std::function<void(std::size_t shard)> on_open)
      : stream_(stream), control_(control), on_open_(std::move(on_open)), known_(stream.shard_count()) {}
  // The actor's body.
  void operator()();

private:
  Stream& stream_;
  RunControl& control_;
  std::function<void(std::size_t)> on_open_;
  std::size_t known_;  // shards handed out (or there from the start)
};

}  // namespace shardsim
