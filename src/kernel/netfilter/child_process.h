// Starting a netfilter tool as a child process with its stdin, stdout and stderr connected to
// the caller, optionally inside another network namespace. Shared by the one-shot runner
// (command.h) and the long-lived restore sessions (restore_session.h).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace kr::netfilter {

// A tool that hangs (a stuck xtables lock holder, say) must not wedge the controller forever;
// the reconcile loop retries after a failure.
inline constexpr auto kToolDeadline = std::chrono::minutes(2);

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// A running child: its pid and the parent's ends of its standard streams, all non-blocking.
// stdin is a socket, so a write to a child that exited gives EPIPE (sent with MSG_NOSIGNAL)
// instead of SIGPIPE.
struct Child {
  pid_t pid = -1;
  Fd in, out, err;
};

// Starts argv[0] (searched in PATH), entering the network namespace file `netns_path` first
// unless it is empty, with this process's environment plus `env` ("NAME=value" entries that
// replace any of the same name). On failure returns a Child with pid -1 and sets `error`.
Child start_child(const std::vector<std::string>& argv, const std::string& netns_path,
                  std::string& error, const std::vector<std::string>& env = {});

// Waits for the child to exit; its exit code, or -1 when a signal ended it.
int reap(pid_t pid);

// Appends what the non-blocking `fd` has now to `into`; false once it reached end of file (or
// failed), true when it is only empty for now.
bool read_available(int fd, std::string& into);

// Sends as much of `pending` to the child's stdin socket as it takes now and drops that from
// `pending`; false when the child stopped reading.
bool write_available(int fd, std::string_view& pending);

}  // namespace kr::netfilter
