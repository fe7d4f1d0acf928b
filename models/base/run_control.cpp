#include "models/base/run_control.hpp"

namespace shardsim {

namespace {
extern "C" void on_interrupt(int signal) {
  interrupt_requested() = 1;
  std::signal(signal, SIG_DFL);
}
}  // namespace

void handle_interrupts() {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
}

}  // namespace shardsim
