// A child process owned by a test: spawned from an argv (optionally inside a
// named network namespace), output to files, signalled and waited for with a
// bound, and killed (with its whole process group) when the owner goes away, so
// a failing assertion never leaves a daemon running.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kr::test {

// How a process ended.
struct ExitStatus {
  int code = -1;   // exit code when the process exited, else -1
  int signal = 0;  // terminating signal when it was killed, else 0

  bool success() const { return code == 0; }
  std::string describe() const;  // "exit 3" or "signal 9 (Killed)"
};

// How a network namespace is entered.
enum class NetnsEntry {
  kSetns,        // setns(2) on /var/run/netns/NAME in the child: cheap, shares /sys with the host
  kIpNetnsExec,  // `ip netns exec NAME`: also remounts /sys and binds /etc/netns/NAME
};

struct SpawnOptions {
  std::vector<std::string> env;  // "KEY=VALUE" entries added to (or replacing in) the inherited env
  bool clear_env = false;        // start from an empty environment instead of the inherited one
  std::string netns;             // run inside this named network namespace when non-empty
  NetnsEntry netns_entry = NetnsEntry::kSetns;
  std::filesystem::path cwd;          // working directory; empty keeps the current one
  std::filesystem::path stdin_path;   // empty: /dev/null
  std::filesystem::path stdout_path;  // empty: inherit the test's stdout
  std::filesystem::path stderr_path;  // empty: inherit the test's stderr
  // Kill the child when the spawning thread dies (prctl PR_SET_PDEATHSIG), so
  // a crashed test does not leak daemons.
  bool die_with_parent = true;
};

class Subprocess {
 public:
  // Starts argv[0] (looked up in PATH when it has no '/'). Throws
  // std::system_error naming the program when it cannot be started (not found,
  // namespace missing, exec failure): the error is reported by the child
  // through a close-on-exec pipe, so it surfaces here and not as exit 127.
  explicit Subprocess(std::vector<std::string> argv, const SpawnOptions& options = {});
  ~Subprocess();  // SIGKILLs the process group if still running and reaps it

  Subprocess(Subprocess&& other) noexcept;
  Subprocess& operator=(Subprocess&& other) noexcept;
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  const std::vector<std::string>& argv() const { return argv_; }

  // True until the process has exited (reaps it if it just did).
  bool running();
  // Sends sig to the process (or to its whole process group).
  void signal(int sig, bool whole_group = false);
  // Waits up to timeout for the exit; nullopt if still running.
  std::optional<ExitStatus> wait_for(std::chrono::milliseconds timeout);
  ExitStatus wait();
  // SIGTERM, up to grace for a clean exit, then SIGKILL to the group.
  ExitStatus stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
  // The status once the process has been reaped.
  std::optional<ExitStatus> exit_status() const { return status_; }

 private:
  void reap_blocking();
  void release();

  std::vector<std::string> argv_;
  pid_t pid_ = -1;
  int pidfd_ = -1;  // becomes readable when the child exits
  std::optional<ExitStatus> status_;
};

// Full path of an executable found in PATH (or the name itself when it holds a
// '/' and is executable); empty when there is none.
std::filesystem::path find_executable(const std::string& name);

// Whether `pid` has exited and waits for its parent to reap it (state Z in /proc/PID/stat):
// for a child of the code under test, which that code reaps in its own time.
bool is_zombie(pid_t pid);

}  // namespace kr::test
