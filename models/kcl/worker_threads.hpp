#pragma once
// The processing capacity of a KCL application's workers: each worker runs at most `threads`
// batches at once (its cores, for a CPU-bound record processor); a shard whose batch finds them
// all busy waits, first come first served, for one to free. The KCL itself sets no limit (its
// record processors run on a pool that grows a thread per busy shard: SchedulerCoordinatorFactory,
// a ThreadPoolExecutor of 0 to Integer.MAX_VALUE threads), so without this object there is none.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <simgrid/s4u/Semaphore.hpp>

namespace shardsim {

class WorkerThreads {
public:
  // Made inside the simulation (SimGrid semaphores).
  WorkerThreads(std::size_t workers, unsigned threads);
  // Takes one of `worker`'s threads, waiting at most until `deadline`; false when it came first.
  bool acquire(std::size_t worker, double deadline);
  void release(std::size_t worker);
  std::uint64_t waits() const { return waits_; }   // batches that found every thread busy
  double wait_s() const { return wait_s_; }        // how long they waited in all

private:
  std::vector<simgrid::s4u::SemaphorePtr> threads_;
  std::uint64_t waits_ = 0;
  double wait_s_ = 0;
};

}  // namespace shardsim
