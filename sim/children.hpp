#pragma once
// Child processes of this binary, a few at a time: validation cases and the question catalog run
// each scenario in its own process (SimGrid allows one engine per process).
#include <cstddef>
#include <string>
#include <vector>

namespace shardsim {

// Runs each command (its first word the program's path) with standard output and error
// discarded, at most `jobs` at once (0: the number of cores); returns each one's exit code, in
// order (128 + the signal for one that was killed).
std::vector<int> run_children(const std::vector<std::vector<std::string>>& commands, std::size_t jobs);

}  // namespace shardsim
