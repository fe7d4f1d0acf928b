#include "sim/studies/children.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <thread>

#include <simgrid/s4u/Engine.hpp>

#include "models/base/run_control.hpp"

extern char** environ;

namespace shardsim {

namespace {
int exit_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

// The command's words as posix_spawn and main take them (pointing into `command`), null-terminated.
std::vector<char*> argv_of(std::vector<std::string>& command) {
  std::vector<char*> argv;
  for (auto& a : command) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}

// What a child's standard streams and folder are set to before it runs, in order (posix_spawn's
// file actions, applied by hand in a fork).
struct Setup {
  struct Action {
    enum Kind { open, dup2, close } kind;
    int fd;
    int from;          // dup2: the descriptor copied onto fd
    std::string path;  // open: the file, opened for writing
    int flags;         // open: its flags
    static Action opened(int fd, std::string path, int flags) { return {open, fd, -1, std::move(path), flags}; }
    static Action copied(int fd, int from) { return {dup2, fd, from, "", 0}; }
    static Action closed(int fd) { return {close, fd, -1, "", 0}; }
  };
  std::vector<Action> actions;
  std::string cwd;
};

// This program's main and file, when its own commands start from forks (start_own_commands_in_forks).
int (*own_entry)(int, char**) = nullptr;
std::string own_program;

// Makes this forked process what exec would have made it, then runs the command and exits.
[[noreturn]] void run_own_command(std::vector<std::string>& command, const Setup& setup) {
  for (int s : {SIGINT, SIGTERM}) std::signal(s, SIG_DFL);  // exec resets the handlers a process set
  interrupt_requested() = 0;
  if (!setup.cwd.empty() && chdir(setup.cwd.c_str()) != 0) _exit(127);
  for (const Setup::Action& a : setup.actions) {
    if (a.kind == Setup::Action::close) {
      close(a.fd);
      continue;
    }
    const int from = a.kind == Setup::Action::dup2 ? a.from : ::open(a.path.c_str(), a.flags, 0644);
    if (from < 0 || (from != a.fd && ::dup2(from, a.fd) < 0)) _exit(127);
    if (a.kind == Setup::Action::open && from != a.fd) close(from);
  }
  // Descriptors marked close-on-exec are closed, as exec would close them.
  if (DIR* fds = opendir("/proc/self/fd")) {
    const int own = dirfd(fds);
    std::vector<int> to_close;
    while (const dirent* e = readdir(fds)) {
      const int fd = std::atoi(e->d_name);
      if (fd > 2 && fd != own && (fcntl(fd, F_GETFD) & FD_CLOEXEC)) to_close.push_back(fd);
    }
    closedir(fds);
    for (int fd : to_close) close(fd);
  }
  for (std::ostream* s : {&std::cout, &std::cerr}) {  // the formatting a new process starts with
    s->clear();
    s->flags(std::ios_base::skipws | std::ios_base::dec);
    s->precision(6);
    s->width(0);
    s->fill(' ');
  }
  std::vector<char*> argv = argv_of(command);
  const int code = own_entry(static_cast<int>(command.size()), argv.data());
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  _exit(code);  // this process's copies of the parent's objects are not torn down
}

// Starts `command` with `setup`: this program's own commands from a fork when they can, anything
// else with posix_spawn (looked up on the PATH when it has no slash).
pid_t start(std::vector<std::string> command, const Setup& setup) {
  if (own_entry && !command.empty() && command.front() == own_program && !simgrid::s4u::Engine::is_initialized()) {
    std::cout.flush();  // else the child would write what this process has buffered a second time
    std::cerr.flush();
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("cannot start " + command.front() + ": " + std::strerror(errno));
    if (pid == 0) run_own_command(command, setup);
    return pid;
  }
  std::vector<char*> argv = argv_of(command);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!setup.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, setup.cwd.c_str());  // glibc ≥ 2.29
  for (const Setup::Action& a : setup.actions) switch (a.kind) {
      case Setup::Action::open: posix_spawn_file_actions_addopen(&actions, a.fd, a.path.c_str(), a.flags, 0644); break;
      case Setup::Action::dup2: posix_spawn_file_actions_adddup2(&actions, a.from, a.fd); break;
      case Setup::Action::close: posix_spawn_file_actions_addclose(&actions, a.fd); break;
    }
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv.front(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start " + command.front() + ": " + std::strerror(spawned));
  return pid;
}
}  // namespace

void start_own_commands_in_forks(int (*entry)(int, char**)) {
  own_entry = entry;
  own_program = std::filesystem::read_symlink("/proc/self/exe").string();
}

pid_t spawn_child(std::vector<std::string> command, const std::string& stderr_path, const std::string& cwd) {
  Setup setup;
  setup.cwd = cwd;
  setup.actions = {Setup::Action::opened(1, "/dev/null", O_WRONLY),
                   Setup::Action::opened(2, stderr_path, O_WRONLY | O_CREAT | O_TRUNC)};
  return start(std::move(command), setup);
}

int wait_child(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return exit_code(status);
}

int run_attached(std::vector<std::string> command) { return wait_child(start(std::move(command), {})); }

CapturedRun run_captured(std::vector<std::string> command) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error(std::string("cannot start ") + command.front() + ": " + std::strerror(errno));
  Setup setup;
  setup.actions = {Setup::Action::closed(out[0]), Setup::Action::copied(1, out[1]), Setup::Action::copied(2, out[1]),
                   Setup::Action::closed(out[1])};
  pid_t pid = 0;
  try {
    pid = start(std::move(command), setup);
  } catch (...) {
    close(out[0]);
    close(out[1]);
    throw;
  }
  close(out[1]);
  CapturedRun run;
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
