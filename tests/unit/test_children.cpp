// Child processes started from a fork of this process (this program's own commands) must behave
// as if started anew: their own streams, folder and signal handlers, the parent's pending output
// not written twice, the parent's close-on-exec descriptors closed, nothing of the parent's stream
// formatting. Here the test binary is "this program": its entry below stands in for main.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "models/base/run_control.hpp"
#include "sim/studies/children.hpp"
#include "tests/support/scratch.hpp"

using namespace shardsim;

namespace {

// Set in the parent just before a child starts: a fork sees it, a program started anew would not.
int parent_marker = 0;

// The children's main: its first word after the program says what to do.
int entry(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "";
  if (what == "words") {
    for (int i = 2; i < argc; ++i) std::cout << argv[i] << (i + 1 < argc ? " " : "\n");
    std::cerr << "to standard error\n";
    return 7;
  }
  if (what == "marker") std::cout << parent_marker << "\n";
  if (what == "format") std::cout << 255 << " " << 1.0 / 3 << "\n";
  if (what == "cwd") std::cerr << std::filesystem::current_path().string() << "\n";
  if (what == "fd") std::cout << (fcntl(std::atoi(argv[2]), F_GETFD) < 0 ? "closed" : "open") << "\n";
  if (what == "flag") std::cout << "interrupt flag " << interrupt_requested() << "\n";
  if (what == "terminate") {
    sigset_t term;  // in case whoever started the tests blocks it
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &term, nullptr);
    std::raise(SIGTERM);  // with the default handler this ends the process: 128 + 15
    std::cout << "still running\n";
  }
  return 0;
}

std::string own() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("this program's own command runs in a fork with its words, output and exit code") {
  start_own_commands_in_forks(entry);
  parent_marker = 4242;
  CHECK(run_captured({own(), "marker"}).output == "4242\n");  // a fork: it sees the parent's memory
  const CapturedRun run = run_captured({own(), "words", "a b", "c"});
  CHECK(run.code == 7);
  CHECK(run.output == "a b c\nto standard error\n");
}

TEST_CASE("a forked child writes its standard error to the given file, in the given folder, and nothing of the parent's pending output") {
  start_own_commands_in_forks(entry);
  const std::string dir = test_scratch::folder("shardsim-children");
  std::fputs("pending in the parent\n", stdout);  // buffered, not yet written
  const std::string log = dir + "/child.log";
  CHECK(wait_child(spawn_child({own(), "cwd"}, log, dir)) == 0);
  CHECK(read_file(log) == std::filesystem::canonical(dir).string() + "\n");
  std::fputs("pending in the parent\n", stdout);
  CHECK(run_captured({own(), "format"}).output == "255 0.333333\n");  // no copy of the line above
}

TEST_CASE("a forked child starts with the default stream formatting, signal handlers and interrupt flag") {
  start_own_commands_in_forks(entry);
  std::cout << std::hex << std::setprecision(2);
  const CapturedRun format = run_captured({own(), "format"});
  std::cout << std::dec << std::setprecision(6);
  CHECK(format.output == "255 0.333333\n");
  handle_interrupts();  // the parent catches SIGTERM; exec would reset that, and so must the fork
  interrupt_requested() = 1;
  const CapturedRun terminated = run_captured({own(), "terminate"});
  const CapturedRun flag = run_captured({own(), "flag"});
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGINT, SIG_DFL);
  interrupt_requested() = 0;
  CHECK(terminated.code == 128 + SIGTERM);
  CHECK(terminated.output.empty());
  CHECK(flag.output == "interrupt flag 0\n");
}

TEST_CASE("a forked child does not inherit the parent's close-on-exec descriptors, and keeps the others") {
  start_own_commands_in_forks(entry);
  const int closing = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int kept = open("/dev/null", O_RDONLY);
  REQUIRE(closing > 2);
  REQUIRE(kept > 2);
  CHECK(run_captured({own(), "fd", std::to_string(closing)}).output == "closed\n");
  CHECK(run_captured({own(), "fd", std::to_string(kept)}).output == "open\n");
  close(closing);
  close(kept);
}

TEST_CASE("another program is started anew") {
  start_own_commands_in_forks(entry);
  const CapturedRun run = run_captured({"/bin/sh", "-c", "echo started; exit 3"});
  CHECK(run.code == 3);
  CHECK(run.output == "started\n");
}
