#pragma once
// What a stream kind and a consumer kind add to a scenario: the defaults that depend on the kind
// and the checks across fields that only it knows. The kinds are in sim/scenario/kinds/ (the
// run's side of each in sim/run/kinds/); scenario_stream_kind and scenario_consumer_kind, defined
// there, are the one place that maps stream.type and consumers[].type to their scenario parts.
#include <functional>

#include "sim/scenario/diagnostics.hpp"
#include "sim/scenario/json_source.hpp"
#include "sim/scenario/reshard.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/static_estimate.hpp"

namespace shardsim {

// Whether an object in the file (the stream's, a consumer's) names `field`.
using GivenField = std::function<bool(const char* field)>;

class ScenarioStreamKind {
public:
  virtual ~ScenarioStreamKind() = default;
  // The stream's fields that follow from its kind (shards, retention); given: the stream's
  // object in the file names the field.
  virtual void stream_defaults(StreamConfig&, const GivenField&) const {}
  // The producers' ordering key when they name none and have no entity.
  virtual ProducerConfig::OrderBy default_order() const { return ProducerConfig::OrderBy::partition_key; }
  // How often a Lambda mapping polls each shard when the scenario does not say (0: its default).
  virtual double lambda_poll_interval_s() const { return 0; }
  // A consumer's defaults on this kind of stream.
  virtual void consumer_defaults(ConsumerConfig&, const GivenField&) const {}
  // The checks across fields this kind needs: producers', consumers', the stream's own.
  virtual void check(const Scenario& s, const JsonSource& source, Diagnostics& d) const = 0;
  // Its reshard operations as the stream will meet them (a provisioned stream's by default).
  virtual ReshardSchedule reshards(const StreamConfig& stream, bool what_if) const {
    return schedule_shard_operations(stream, what_if);
  }
  // What a calculator says that depends on the kind, after the generic estimate.
  virtual void estimate(const Scenario&, StaticEstimate&) const {}
};

class ScenarioConsumerKind {
public:
  virtual ~ScenarioConsumerKind() = default;
  // The default name's suffix after the function's ("-mapping").
  virtual const char* name_suffix() const = 0;
  // Its defaults on `stream` (after the stream kind's).
  virtual void defaults(ConsumerConfig&, const GivenField&, const ScenarioStreamKind&) const {}
};

const ScenarioStreamKind& scenario_stream_kind(StreamConfig::Type type);
const ScenarioConsumerKind& scenario_consumer_kind(ConsumerConfig::Type type);

}  // namespace shardsim
