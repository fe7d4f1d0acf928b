#pragma once
// `shardsim compare`: one workload, several ways to process it. A compare file is a scenario
// plus `variants`: {"name": {"dotted.path": value, …}, …}; each variant is the base scenario with
// those overrides (any field: the stream type, the consumer, the handler's strategy), run with
// the same seed and replications, so the variants differ only where their overrides say.
#include <optional>
#include <string>
#include <vector>

#include "analysis/sweep_grid.hpp"
#include "sim/scenario/diagnostics.hpp"

namespace shardsim {

struct CompareSpec {
  std::vector<std::string> names;  // the variants, in the file's order
  SweepGrid runs;                  // one point per variant (its overrides), with the replications
};

// The scenario's `variants` block, every variant checked as a full scenario; problems go to
// `diagnostics`, naming the variant and field.
std::optional<CompareSpec> load_compare(const std::string& file, const std::vector<std::string>& overrides,
                                        Diagnostics& diagnostics);

}  // namespace shardsim
