#include "sim/children.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>

extern char** environ;

namespace shardsim {

std::vector<int> run_children(const std::vector<std::vector<std::string>>& commands, std::size_t jobs) {
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  std::vector<int> codes(commands.size(), -1);
  std::vector<std::pair<pid_t, std::size_t>> running;
  std::size_t next = 0;
  while (next < commands.size() || !running.empty()) {
    while (running.size() < jobs && next < commands.size()) {
      std::vector<std::string> args = commands[next];
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      posix_spawn_file_actions_t actions;
      posix_spawn_file_actions_init(&actions);
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
      pid_t pid = 0;
      const int spawned = posix_spawn(&pid, argv.front(), &actions, nullptr, argv.data(), environ);
      posix_spawn_file_actions_destroy(&actions);
      if (spawned != 0) throw std::runtime_error("cannot start " + args.front() + ": " + std::strerror(spawned));
      running.push_back({pid, next++});
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      break;
    }
    const auto it = std::find_if(running.begin(), running.end(), [pid](const auto& r) { return r.first == pid; });
    if (it == running.end()) continue;
    codes[it->second] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    running.erase(it);
  }
  return codes;
}

}  // namespace shardsim
