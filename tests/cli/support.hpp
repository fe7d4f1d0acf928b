#pragma once
// Helpers of the command-line tests: run the binary in a scratch folder, temporary files.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/scratch.hpp"

namespace cli_test {

struct Result {
  int exit_code;
  std::string out;  // stdout and stderr together
};

// A scratch folder of this test process (removed when it exits).
inline std::string temp_dir() { return test_scratch::folder("shardsim-cli"); }

// Where the binary runs: a scratch folder with the project's scenarios/ linked in, so relative
// scenario paths work and default outputs (compare-out/, sweep-out/) stay out of the source tree.
inline const std::string& work_dir() {
  static const std::string dir = [] {
    const std::string d = temp_dir();
    REQUIRE(symlink((std::string(SHARDSIM_SOURCE_DIR) + "/scenarios").c_str(), (d + "/scenarios").c_str()) == 0);
    return d;
  }();
  return dir;
}

inline Result shardsim(const std::string& args) {
  const std::string command = "cd '" + work_dir() + "' && '" + SHARDSIM_BINARY + "' " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::string out;
  std::array<char, 4096> buffer{};
  while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// Lines printed by a shell command run in the source tree.
inline std::vector<std::string> shardsim_list(const std::string& command) {
  FILE* pipe = popen((std::string("cd '") + SHARDSIM_SOURCE_DIR + "' && " + command).c_str(), "r");
  std::vector<std::string> lines;
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe)) {
    std::string line = buffer;
    if (!line.empty() && line.back() == '\n') line.pop_back();
    lines.push_back(line);
  }
  pclose(pipe);
  return lines;
}

inline std::string write_temp(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace cli_test
