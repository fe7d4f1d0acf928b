#include "models/base/run_control.hpp"

#include <xbt/log.h>

// The project's log category; each part logs its decisions under its own subcategory
// (producers, stream, kinesis, dynamodb, reader, lambda, kcl, sqs), shown with --log=PART.thres:verbose.
XBT_LOG_NEW_CATEGORY(shardsim, "shardsim: the model's decisions, per part");

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
