#include "sim/studies/children.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace shardsim {

namespace {
int exit_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

// The command's words as posix_spawn takes them (pointing into `command`), null-terminated.
std::vector<char*> argv_of(std::vector<std::string>& command) {
  std::vector<char*> argv;
  for (auto& a : command) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}
}  // namespace

pid_t spawn_child(std::vector<std::string> command, const std::string& stderr_path, const std::string& cwd) {
  std::vector<char*> argv = argv_of(command);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());  // glibc ≥ 2.29
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv.front(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start " + command.front() + ": " + std::strerror(spawned));
  return pid;
}

int wait_child(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return exit_code(status);
}

int run_attached(std::vector<std::string> command) {
  std::vector<char*> argv = argv_of(command);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv.front(), nullptr, nullptr, argv.data(), environ);
  if (spawned != 0) throw std::runtime_error("cannot start " + command.front() + ": " + std::strerror(spawned));
  return wait_child(pid);
}

CapturedRun run_captured(std::vector<std::string> command) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error(std::string("cannot start ") + command.front() + ": " + std::strerror(errno));
  std::vector<char*> argv = argv_of(command);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, out[1], 2);
  posix_spawn_file_actions_addclose(&actions, out[1]);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv.front(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  CapturedRun run;
  if (spawned != 0) {
    close(out[0]);
    throw std::runtime_error("cannot start " + command.front() + ": " + std::strerror(spawned));
  }
  char buffer[4096];
  for (ssize_t n; (n = read(out[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    run.output.append(buffer, static_cast<std::size_t>(n));
  }
  close(out[0]);
  run.code = wait_child(pid);
  return run;
}

std::vector<int> run_children(const std::vector<std::vector<std::string>>& commands, std::size_t jobs) {
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  std::vector<int> codes(commands.size(), -1);
  std::vector<std::pair<pid_t, std::size_t>> running;
  std::size_t next = 0;
  while (next < commands.size() || !running.empty()) {
    while (running.size() < jobs && next < commands.size()) {
      const pid_t pid = spawn_child(commands[next]);
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
    codes[it->second] = exit_code(status);
    running.erase(it);
  }
  return codes;
}

}  // namespace shardsim
