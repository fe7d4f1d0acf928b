#pragma once
// What a run asks of a consumer's actor: its body, and after the simulation the records it had
// not finished with (unread, buffered, or in a batch that never completed). A stream's consumer
// has one per shard (models/reader/shard_reader.hpp); a queue's mapping is one (models/sqs/queue_poller.hpp).
#include <cstdint>
#include <functional>

#include "models/core/record.hpp"

namespace shardsim {

class ConsumerActor {
public:
  virtual ~ConsumerActor() = default;
  virtual void operator()() = 0;
  virtual std::uint64_t unfinished() const = 0;
  virtual void for_each_unfinished(const std::function<void(const Record&)>& f) const = 0;
};

}  // namespace shardsim
