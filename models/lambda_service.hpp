#pragma once
// The account's Lambda service: concurrency limits, scaling rate and execution environments.
//   concurrency  a function with reserved concurrency runs at most that many invocations at
//                once (and the pool is kept for it); the others share what is left of the
//                account limit.
//   scaling      each function may create scaling_limit_per_10s new execution environments per
//                10 s, refilled continuously, not banked beyond that.
//   environments a finished invocation leaves its environment warm for keep_warm_s; an
//                invocation that finds none warm starts a new one: a cold start, which first
//                runs the init phase.
// An invocation refused by either limit is throttled (429) and the caller retries.
// Sources: Lambda developer guide, "Lambda function scaling", "Configuring reserved
// concurrency", "Lambda execution environment lifecycle".
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "models/events.hpp"
#include "models/token_bucket.hpp"

namespace shardsim {

struct FunctionLimits {
  std::int64_t reserved = -1;  // -1: none
  double keep_warm_s = 600;
};

class LambdaService {
public:
  enum class Start { warm, cold, throttled_concurrency, throttled_scaling };

  LambdaService(std::int64_t account_concurrency, double scaling_limit_per_10s, std::vector<FunctionLimits> functions,
                EventSink& sink);

  Start try_start(std::size_t function, double now);
  void finish(std::size_t function, double now);

  int in_flight(std::size_t function) const { return functions_[function].in_flight; }
  int account_in_flight() const { return account_in_flight_; }
  // The most invocations `function` can ever have in flight.
  std::int64_t limit(std::size_t function) const;
  std::int64_t unreserved_pool() const { return unreserved_pool_; }

private:
  struct Function {
    FunctionLimits limits;
    int in_flight = 0;
    std::deque<double> idle_since;  // warm environments, most recently used at the back
    TokenBucket new_environments;
  };
  std::vector<Function> functions_;
  std::int64_t unreserved_pool_;
  int unreserved_in_flight_ = 0;
  int account_in_flight_ = 0;
  EventSink& sink_;
};

}  // namespace shardsim
