#pragma once
// The function's handler: how long an invocation runs for a batch.
// Duration = per_invocation + the sum of per_record over the batch's records.
#include <vector>

#include "models/record.hpp"
#include "sim/rng.hpp"
#include "sim/scenario.hpp"

namespace shardsim {

class Handler {
public:
  Handler(const FunctionConfig& config, Rng rng) : config_(config), rng_(rng) {}
  double duration(const std::vector<Record>& batch);

private:
  const FunctionConfig& config_;
  Rng rng_;
};

}  // namespace shardsim
