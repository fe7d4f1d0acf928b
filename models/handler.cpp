#include "models/handler.hpp"

namespace shardsim {

double Handler::duration(const std::vector<Record>& batch) {
  double total = config_.duration.per_invocation.sample(rng_);
  const Distribution& per_record = config_.duration.per_record;
  if (per_record.is_constant()) return total + per_record.value * static_cast<double>(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) total += per_record.sample(rng_);
  return total;
}

}  // namespace shardsim
