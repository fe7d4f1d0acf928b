// Interrupts: a run stopped by SIGTERM writes what it has, marked interrupted, and exits 3; a
// sweep stopped mid-way keeps its finished runs, leaves no partial file, and --resume completes
// it with every run exactly once.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/cli/support.hpp"

using namespace cli_test;
namespace fs = std::filesystem;

namespace {
// Starts the binary in the source tree with `args`, output to `log`; returns its pid.
pid_t start(const std::vector<std::string>& args, const std::string& log) {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (chdir(SHARDSIM_SOURCE_DIR) != 0) _exit(127);
    if (!freopen(log.c_str(), "w", stdout) || !freopen(log.c_str(), "a", stderr)) _exit(127);
    std::vector<char*> argv{const_cast<char*>(SHARDSIM_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(SHARDSIM_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
}  // namespace

TEST_CASE("a run stopped by SIGTERM writes its result so far, marked interrupted, and exits 3") {
  // Exit 3, not 1: the books of the partial run balance (unfinished records counted in flight).
  const std::string dir = temp_dir();
  const pid_t pid = start({"run", "scenarios/bench/large.json", "--set", "duration_s=60", "--quiet", "--json", dir + "/r.json"},
                          dir + "/log");
  std::this_thread::sleep_for(std::chrono::seconds(2));  // loaded (milliseconds) and simulating
  kill(pid, SIGTERM);
  CHECK(wait_exit(pid) == 3);
  CHECK_THAT(read_file(dir + "/log"), Catch::Contains("interrupted at simulated time"));
  const auto result = nlohmann::json::parse(read_file(dir + "/r.json"));
  CHECK(result["completion"] == "interrupted");
  CHECK(result["sim"]["simulated_s"].get<double>() < 60);
}

TEST_CASE("a sweep stopped mid-way keeps what finished, leaves no partial file, and --resume completes it") {
  const std::string dir = temp_dir();
  const std::vector<std::string> sweep{"sweep", "scenarios/capacity/shards-x-pf.json", "--set", "duration_s=600",
                                       "--out", dir + "/out", "--jobs", "2"};
  const pid_t pid = start(sweep, dir + "/log");
  // Wait for the first finished run, then stop the sweep while others run.
  const fs::path points = dir + "/out/points";
  const auto finished = [&] {
    std::size_t n = 0;
    if (fs::exists(points))
      for (const auto& e : fs::directory_iterator(points)) n += e.path().extension() == ".json";
    return n;
  };
  for (int i = 0; i < 600 && finished() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  kill(pid, SIGTERM);
  CHECK(wait_exit(pid) == 3);
  CHECK_THAT(read_file(dir + "/log"), Catch::Contains("sweep interrupted"));
  const std::size_t kept = finished();
  CHECK(kept >= 1);
  CHECK(kept < 18);  // 9 points × 2 replications
  for (const auto& e : fs::directory_iterator(points)) CHECK(e.path().extension() == ".json");
  auto resumed = sweep;
  resumed.push_back("--resume");
  CHECK(wait_exit(start(resumed, dir + "/log2")) == 0);
  CHECK(finished() == 18);
  for (const auto& e : fs::directory_iterator(points)) CHECK(e.path().extension() == ".json");
}
