#pragma once
// How a Lambda mapping's event poller reads one partition of a Kafka topic: the records are
// fetched as they become visible (a Kafka consumer's fetch returns as soon as data is there), at
// most a call's worth at a time, drawing on the byte budget of the poller that reads the
// partition (event_pollers.hpp). A partition's index is its shard index: a topic's partitions
// never close, and new ones take the next indices.
#include "models/kafka/event_pollers.hpp"
#include "models/stream/shard_source.hpp"

namespace shardsim {

class PollerSource : public SubscribeToShardSource {
public:
  PollerSource(Stream& stream, std::size_t partition, std::size_t consumer, ReadLimits per_call, double propagation_delay_s,
               EventPollers& pollers, EventSink& sink)
      : SubscribeToShardSource(stream, partition, consumer, per_call, propagation_delay_s, 0, sink), pollers_(pollers) {}

private:
  TokenBucket& budget(double now) override { return pollers_.budget(shard_, now); }
  void charge(double now, std::uint64_t bytes) override { pollers_.charge(shard_, now, bytes); }
  EventPollers& pollers_;
};

}  // namespace shardsim
