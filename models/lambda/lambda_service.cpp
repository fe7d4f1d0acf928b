#include "models/lambda/lambda_service.hpp"

#include <cmath>

#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(lambda, shardsim, "lambda: throttled invocations (concurrency, scaling rate)");

namespace shardsim {

LambdaService::LambdaService(std::int64_t account_concurrency, double scaling_limit_per_10s,
                             std::vector<FunctionLimits> functions, EventSink& sink)
    : sink_(sink) {
  std::int64_t reserved_total = 0;
  for (const auto& f : functions) {
    if (f.reserved > 0) reserved_total += f.reserved;
    functions_.push_back({f, 0, {}, TokenBucket(scaling_limit_per_10s / 10, scaling_limit_per_10s), 0, 0, 0});
  }
  unreserved_pool_ = account_concurrency - reserved_total;
  if (unreserved_pool_ < 0) unreserved_pool_ = 0;
}

std::int64_t LambdaService::limit(std::size_t function) const {
  const auto reserved = functions_[function].limits.reserved;
  return reserved >= 0 ? reserved : unreserved_pool_;
}

LambdaService::Start LambdaService::try_start(std::size_t function, double now) {
  Function& f = functions_[function];
  const bool reserved = f.limits.reserved >= 0;
  if (reserved ? f.in_flight >= f.limits.reserved : unreserved_in_flight_ >= unreserved_pool_) {
    XBT_VERB("function %zu throttled at %.6f s: %s concurrency full (%d in flight)", function, now,
             reserved ? "its reserved" : "the account's unreserved", reserved ? f.in_flight : static_cast<int>(unreserved_in_flight_));
    return Start::throttled_concurrency;
  }
  // Environments idle longer than keep_warm_s are gone (the oldest are at the front).
  while (!f.idle_since.empty() && f.idle_since.front() < now - f.limits.keep_warm_s) f.idle_since.pop_front();
  Start start = Start::warm;
  if (f.provisioned_busy < f.limits.provisioned) {
    ++f.provisioned_busy;
    start = Start::provisioned;
  } else if (f.idle_since.empty()) {
    if (!f.new_environments.try_take(now, 1)) {
      XBT_VERB("function %zu throttled at %.6f s: no warm environment and no new one allowed yet (scaling rate)", function, now);
      return Start::throttled_scaling;
    }
    start = Start::cold;
  } else {
    f.idle_since.pop_back();
  }
  ++f.in_flight;
  if (!reserved) ++unreserved_in_flight_;
  ++account_in_flight_;
  sink_.concurrency_changed(function, f.in_flight, account_in_flight_, now);
  return start;
}

void LambdaService::finish(std::size_t function, double started_s, double now, Start how) {
  Function& f = functions_[function];
  // Lambda bills each invocation's duration rounded up to the millisecond, init included.
  const double billed_s = std::ceil((now - started_s) * 1000 - 1e-6) / 1000;
  f.gb_seconds += billed_s * f.limits.memory_gb;
  --f.in_flight;
  if (f.limits.reserved < 0) --unreserved_in_flight_;
  --account_in_flight_;
  if (how == Start::provisioned) {
    --f.provisioned_busy;
    f.provisioned_gb_seconds += billed_s * f.limits.memory_gb;
  } else {
    f.idle_since.push_back(now);
  }
  sink_.concurrency_changed(function, f.in_flight, account_in_flight_, now);
}

}  // namespace shardsim
