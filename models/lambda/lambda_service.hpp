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
//   provisioned  a function's provisioned concurrency is that many environments initialised
//                before the run and kept: an invocation takes a free one first (no cold start,
//                no scaling token), and spills over to on-demand environments beyond them
//                ("Configuring provisioned concurrency"). It counts against the function's
//                concurrency like any invocation.
//   billing      each invocation is billed its duration rounded up to the millisecond, init
//                included, times the function's memory (GB-seconds); on a provisioned
//                environment at the provisioned duration price (provisioned_gb_seconds).
// Sources: Lambda developer guide, "Lambda function scaling", "Configuring reserved
// concurrency", "Lambda execution environment lifecycle".
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "models/core/events.hpp"
#include "models/core/executor.hpp"
#include "models/core/token_bucket.hpp"

namespace shardsim {

struct FunctionLimits {
  std::int64_t reserved = -1;  // -1: none
  double keep_warm_s = 600;
  double memory_gb = 0.125;
  std::int64_t provisioned = 0;  // provisioned concurrency: environments kept initialised
};

class LambdaService {
public:
  using Start = Executor::Start;

  LambdaService(std::int64_t account_concurrency, double scaling_limit_per_10s, std::vector<FunctionLimits> functions,
                EventSink& sink);

  Start try_start(std::size_t function, double now);
  // The invocation started at `started_s` (as `how`) ends at `now`.
  void finish(std::size_t function, double started_s, double now, Start how);

  int in_flight(std::size_t function) const { return functions_[function].in_flight; }
  int account_in_flight() const { return account_in_flight_; }
  // The most invocations `function` can ever have in flight.
  std::int64_t limit(std::size_t function) const;
  // Its reserved concurrency (-1: none).
  std::int64_t reserved(std::size_t function) const { return functions_[function].limits.reserved; }
  // Billed GB-seconds of `function` so far.
  double gb_seconds(std::size_t function) const { return functions_[function].gb_seconds; }
  // The part of them run on provisioned environments.
  double provisioned_gb_seconds(std::size_t function) const { return functions_[function].provisioned_gb_seconds; }

private:
  struct Function {
    FunctionLimits limits;
    int in_flight = 0;
    std::deque<double> idle_since;  // warm environments, most recently used at the back
    TokenBucket new_environments;
    double gb_seconds = 0;
    int provisioned_busy = 0;
    double provisioned_gb_seconds = 0;
  };
  std::vector<Function> functions_;
  std::int64_t unreserved_pool_;
  int unreserved_in_flight_ = 0;
  int account_in_flight_ = 0;
  EventSink& sink_;
};

// One function of the service as the executor of a consumer's invocations.
class LambdaFunction : public Executor {
public:
  LambdaFunction(LambdaService& service, std::size_t function) : service_(service), function_(function) {}
  Start try_start(double now) override { return service_.try_start(function_, now); }
  void finish(double started_s, double now, Start how) override { service_.finish(function_, started_s, now, how); }

private:
  LambdaService& service_;
  std::size_t function_;
};

}  // namespace shardsim
