#include "support/run.h"

#include <csignal>
#include <stdexcept>

#include "support/temp_dir.h"

namespace kr::test {

std::string join_argv(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) {
    if (!line.empty()) line += ' ';
    const bool plain = !arg.empty() && arg.find_first_of(" \t\n'\"\\$`") == std::string::npos;
    line += plain ? arg : "'" + arg + "'";
  }
  return line;
}

std::string RunResult::describe(const std::vector<std::string>& argv) const {
  std::string text = join_argv(argv) + ": " + (timed_out ? "timed out" : status.describe());
  if (!err.empty()) text += "\nstderr: " + err;
  if (!out.empty()) text += "\nstdout: " + out;
  return text;
}

RunResult run(const std::vector<std::string>& argv, const RunOptions& options) {
  // Output goes through files rather than pipes: no deadlock on large output,
  // and nothing to drain while waiting.
  TempDir scratch("run");
  SpawnOptions spawn;
  spawn.env = options.env;
  spawn.netns = options.netns;
  spawn.netns_entry = options.netns_entry;
  spawn.cwd = options.cwd;
  spawn.stdin_path = scratch.write("stdin", options.stdin_data);
  spawn.stdout_path = scratch.file("stdout");
  spawn.stderr_path = scratch.file("stderr");

  RunResult result;
  Subprocess process(argv, spawn);
  if (auto status = process.wait_for(options.timeout)) {
    result.status = *status;
  } else {
    result.timed_out = true;
    process.signal(SIGKILL, /*whole_group=*/true);
    result.status = process.wait();
  }
  result.out = read_file(spawn.stdout_path);
  result.err = read_file(spawn.stderr_path);
  return result;
}

std::string check_output(const std::vector<std::string>& argv, const RunOptions& options) {
  RunResult result = run(argv, options);
  if (!result.ok()) throw std::runtime_error(result.describe(argv));
  return std::move(result.out);
}

}  // namespace kr::test
