#include "models/kcl/worker_threads.hpp"

#include <simgrid/s4u/Engine.hpp>

#include <xbt/log.h>

XBT_LOG_NEW_SUBCATEGORY(kcl, shardsim, "kcl: leases taken and lost with their workers");

namespace shardsim {

WorkerThreads::WorkerThreads(std::size_t workers, unsigned threads) {
  for (std::size_t w = 0; w < workers; ++w) threads_.push_back(simgrid::s4u::Semaphore::create(threads));
}

bool WorkerThreads::acquire(std::size_t worker, double deadline) {
  simgrid::s4u::Semaphore& s = *threads_.at(worker);
  if (!s.would_block()) {
    s.acquire();
    return true;
  }
  const double since = simgrid::s4u::Engine::get_clock();
  const bool timed_out = deadline <= since || s.acquire_timeout(deadline - since);
  ++waits_;
  wait_s_ += simgrid::s4u::Engine::get_clock() - since;
  return !timed_out;
}

void WorkerThreads::release(std::size_t worker) { threads_.at(worker)->release(); }

}  // namespace shardsim
