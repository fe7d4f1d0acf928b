#pragma once
// A fixed pool of workers as an executor: at most `workers` invocations at once, no cold starts
// and no scaling rate; an invocation beyond the pool is refused (throttled_concurrency) and
// retried by the reader. What a KCL application or a container service gives a consumer.
#include <cstdint>

#include "models/core/executor.hpp"

namespace shardsim {

class WorkerPool : public Executor {
public:
  explicit WorkerPool(std::int64_t workers) : workers_(workers) {}
  Start try_start(double) override {
    if (busy_ >= workers_) return Start::throttled_concurrency;
    ++busy_;
    if (busy_ > peak_) peak_ = busy_;
    return Start::warm;
  }
  void finish(double, double, Start) override { --busy_; }
  std::int64_t busy() const { return busy_; }
  std::int64_t peak() const { return peak_; }

private:
  std::int64_t workers_;
  std::int64_t busy_ = 0;
  std::int64_t peak_ = 0;
};

}  // namespace shardsim
