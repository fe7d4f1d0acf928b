#include "models/lambda_service.hpp"

namespace shardsim {

LambdaService::LambdaService(std::int64_t account_concurrency, std::vector<std::int64_t> reserved, EventSink& sink)
    : reserved_(std::move(reserved)), in_flight_(reserved_.size(), 0), sink_(sink) {
  std::int64_t reserved_total = 0;
  for (auto r : reserved_)
    if (r > 0) reserved_total += r;
  unreserved_pool_ = account_concurrency - reserved_total;
  if (unreserved_pool_ < 0) unreserved_pool_ = 0;
}

std::int64_t LambdaService::limit(std::size_t function) const {
  return reserved_[function] >= 0 ? reserved_[function] : unreserved_pool_;
}

bool LambdaService::try_start(std::size_t function, double now) {
  const bool reserved = reserved_[function] >= 0;
  if (reserved ? in_flight_[function] >= reserved_[function] : unreserved_in_flight_ >= unreserved_pool_)
    return false;
  ++in_flight_[function];
  if (!reserved) ++unreserved_in_flight_;
  ++account_in_flight_;
  sink_.concurrency_changed(function, in_flight_[function], account_in_flight_, now);
  return true;
}

void LambdaService::finish(std::size_t function, double now) {
  --in_flight_[function];
  if (reserved_[function] < 0) --unreserved_in_flight_;
  --account_in_flight_;
  sink_.concurrency_changed(function, in_flight_[function], account_in_flight_, now);
}

}  // namespace shardsim
