#pragma once
// Child processes: sweeps, plans, comparisons, validation cases and the question catalog run each
// simulation in its own process (SimGrid allows one engine per process), and the command line
// tries SimGrid's options in one. Every program this project starts is started here, with no
// shell: this program's own commands from a fork of this process (start_own_commands_in_forks),
// any other program with posix_spawn.
#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

namespace shardsim {

// From now on, a command whose first word is this program's own file runs in a fork of this
// process that calls `entry` (main's body) with the command's words and exits with what it
// returns, instead of starting the program anew. The child's streams, folder and signal handlers
// are set as exec would set them. It skips loading and initializing SimGrid and the ns-3 libraries
// it links: about 50 ms of CPU per child, as long as a short run itself. Only while this process
// has no SimGrid engine (one engine per process); otherwise, and for other programs, posix_spawn.
void start_own_commands_in_forks(int (*entry)(int, char**));

// Starts `command` (its first word a program, looked up on the PATH when it has no slash) with
// standard output discarded and standard error to `stderr_path` (created; "/dev/null" to
// discard), in the folder `cwd` (empty: this process's); no shell is involved. Returns its pid.
// Throws std::runtime_error when it cannot start.
pid_t spawn_child(std::vector<std::string> command, const std::string& stderr_path = "/dev/null",
                  const std::string& cwd = "");

// Waits for the child to end; its exit code (128 + the signal for one that was killed).
int wait_child(pid_t pid);

// Runs `command` (no shell) with this process's standard output and error, and waits for it:
// its exit code. Throws std::runtime_error when it cannot start.
int run_attached(std::vector<std::string> command);

// Runs `command` (no shell) and waits for it: its exit code and what it wrote to standard output
// and error (one stream, in the order written). Throws std::runtime_error when it cannot start.
struct CapturedRun {
  int code = -1;
  std::string output;
};
CapturedRun run_captured(std::vector<std::string> command);

// Runs each command (its first word the program's path) with standard output and error
// discarded, at most `jobs` at once (0: the number of cores); returns each one's exit code, in
// order (128 + the signal for one that was killed).
std::vector<int> run_children(const std::vector<std::vector<std::string>>& commands, std::size_t jobs);

}  // namespace shardsim
