#pragma once
// Who runs a consumer's batches: an executor admits an invocation or refuses it (throttles), and
// is told when it ends. Lambda's concurrency service is one (models/lambda/lambda_service.hpp); a
// fixed pool of workers is another (models/kcl/worker_pool.hpp). The reader retries a refused
// invocation after its backoff; a cold start makes the invocation run its init phase first.
namespace shardsim {

class Executor {
public:
  // provisioned: warm, on one of a function's pre-initialised (provisioned concurrency) environments.
  enum class Start { warm, cold, provisioned, throttled_concurrency, throttled_scaling };
  static bool admitted(Start s) { return s == Start::warm || s == Start::cold || s == Start::provisioned; }

  virtual ~Executor() = default;
  virtual Start try_start(double now) = 0;
  // The invocation admitted at `started_s` (as `how`) ends at `now`.
  virtual void finish(double started_s, double now, Start how) = 0;
};

}  // namespace shardsim
