// Runs a command line and captures its combined output (integration tests only).
#pragma once

#include <string>
#include <vector>

namespace kr::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr, interleaved
};

// argv[0] is looked up in PATH. No shell is involved.
CommandResult run_command(const std::vector<std::string>& argv);
// Whether `program` is an executable in PATH.
bool in_path(const std::string& program);

}  // namespace kr::testing
