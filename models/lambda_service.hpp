#pragma once
// The account's Lambda concurrency: each function with reserved concurrency may run at most
// that many invocations at once (and the pool is kept for it); the others share what is left of
// the account limit. An invocation that finds no room is throttled (429) and the caller retries.
// Source: Lambda developer guide, "Lambda function scaling" and "Configuring reserved concurrency".
#include <cstdint>
#include <string>
#include <vector>

#include "models/events.hpp"

namespace shardsim {

class LambdaService {
public:
  // reserved[i] is function i's reserved concurrency, or -1 for none.
  LambdaService(std::int64_t account_concurrency, std::vector<std::int64_t> reserved, EventSink& sink);

  bool try_start(std::size_t function, double now);
  void finish(std::size_t function, double now);

  int in_flight(std::size_t function) const { return in_flight_[function]; }
  int account_in_flight() const { return account_in_flight_; }
  // The most invocations `function` can ever have in flight.
  std::int64_t limit(std::size_t function) const;
  std::int64_t unreserved_pool() const { return unreserved_pool_; }

private:
  std::vector<std::int64_t> reserved_;
  std::vector<int> in_flight_;
  std::int64_t unreserved_pool_;
  int unreserved_in_flight_ = 0;
  int account_in_flight_ = 0;
  EventSink& sink_;
};

}  // namespace shardsim
