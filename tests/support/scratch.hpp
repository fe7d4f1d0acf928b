#pragma once
// Scratch folders for tests: made under /tmp and removed, with everything in them, when the test
// process exits (ctest runs each test case in its own process), so a test run leaves nothing
// behind in the system's temporary folder.
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace test_scratch {

inline std::vector<std::string>& made() {
  static std::vector<std::string> dirs;
  return dirs;
}

struct Cleanup {
  ~Cleanup() {
    std::error_code ignored;
    for (const auto& dir : made()) std::filesystem::remove_all(dir, ignored);
  }
};

// A new empty folder /tmp/<prefix>-XXXXXX.
inline std::string folder(const std::string& prefix) {
  auto& dirs = made();       // constructed before `cleanup`, so destroyed after it
  static Cleanup cleanup;
  std::string pattern = "/tmp/" + prefix + "-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot make a scratch folder " + pattern);
  dirs.push_back(pattern);
  return pattern;
}

}  // namespace test_scratch
