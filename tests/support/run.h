// Run a command to completion and capture what it printed: the workhorse for
// driving `ip`, CNI plugins, curl and scripts from tests.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "support/subprocess.h"

namespace kr::test {

struct RunOptions {
  std::vector<std::string> env;  // "KEY=VALUE" added to the inherited environment
  std::string netns;             // run inside this named network namespace when non-empty
  NetnsEntry netns_entry = NetnsEntry::kSetns;
  std::string stdin_data;  // fed to the command's stdin
  std::filesystem::path cwd;
  // Bound on the whole run; the command (and its process group) is killed when
  // it is exceeded. A safety net against hangs, not a performance assertion.
  std::chrono::milliseconds timeout = std::chrono::minutes(2);
};

struct RunResult {
  ExitStatus status;
  std::string out;
  std::string err;
  bool timed_out = false;

  bool ok() const { return !timed_out && status.success(); }
  // "cmd args: exit 1 / stderr: ..." for assertion messages.
  std::string describe(const std::vector<std::string>& argv) const;
};

// Runs argv and returns its status and output. Throws std::system_error only
// when the command cannot be started at all.
RunResult run(const std::vector<std::string>& argv, const RunOptions& options = {});

// Runs argv and returns its stdout; throws std::runtime_error with the command,
// its status and stderr when it does not succeed.
std::string check_output(const std::vector<std::string>& argv, const RunOptions& options = {});

// Joins argv into one shell-readable line for messages.
std::string join_argv(const std::vector<std::string>& argv);

}  // namespace kr::test
