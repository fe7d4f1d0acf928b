#include "models/handler.hpp"

#include <algorithm>

namespace shardsim {

bool Handler::record_fails(const Record& record) {
  if (!poison_.empty() && std::binary_search(poison_.begin(), poison_.end(), record.key)) return true;
  const double p = config_.errors.record_failure_probability;
  return p > 0 && rng_.uniform01() < p;
}

HandlerOutcome Handler::run(const std::vector<Record>& batch, bool report_item_failures) {
  HandlerOutcome out;
  const double timeout = config_.timeout_s;
  double t = config_.duration.per_invocation.sample(rng_);
  const double p_invocation = config_.errors.invocation_failure_probability;
  if (p_invocation > 0 && rng_.uniform01() < p_invocation) {
    out.function_error = true;
    out.duration_s = std::min(t, timeout);
    out.timed_out = t > timeout;
    return out;
  }
  const Distribution& per_record = config_.duration.per_record;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const double start = t;
    t += per_record.is_constant() ? per_record.value : per_record.sample(rng_);
    if (t > timeout) break;
    ++out.records_run;
    out.record_start_s.push_back(start);
    out.record_end_s.push_back(t);
    if (record_fails(batch[i])) {
      if (!report_item_failures) {
        out.function_error = true;
        out.duration_s = t;
        return out;
      }
      out.failed.push_back(i);
    }
  }
  if (t > timeout) {
    out.function_error = out.timed_out = true;
    out.failed.clear();
    out.duration_s = timeout;
    return out;
  }
  out.duration_s = t;
  return out;
}

}  // namespace shardsim
