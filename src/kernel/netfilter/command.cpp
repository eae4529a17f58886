#include "kernel/netfilter/command.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>

extern char** environ;

namespace kr::netfilter {
namespace {

// A tool that hangs (a stuck xtables lock holder, say) must not wedge the controller forever;
// the reconcile loop retries after a failure.
constexpr auto kDeadline = std::chrono::minutes(2);

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = fd;
  }

 private:
  int fd_;
};

std::string find_in_path(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return name;
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/sbin:/usr/bin:/sbin:/bin";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    std::string candidate = fmt::format("{}/{}", dir.empty() ? "." : dir, name);
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
  }
  return {};
}

// Pipes the child's stdin (a socket, so a write to an exited child gives EPIPE via
// MSG_NOSIGNAL instead of SIGPIPE), stdout and stderr.
struct ChildIo {
  int stdin_fd[2] = {-1, -1};
  int stdout_fd[2] = {-1, -1};
  int stderr_fd[2] = {-1, -1};
};

pid_t start_child(const std::string& path, const std::vector<std::string>& argv, int netns_fd,
                  const ChildIo& io, std::string& error) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);

  if (netns_fd < 0) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, io.stdin_fd[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, io.stdout_fd[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, io.stderr_fd[1], STDERR_FILENO);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, path.c_str(), &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      error = std::strerror(rc);
      return -1;
    }
    return pid;
  }

  // Entering a namespace needs setns() between fork and exec, which posix_spawn cannot do.
  // vfork: the child only makes system calls before exec, and copying the page tables of a
  // large controller process for every tool run would cost more than the tool itself.
  const pid_t pid = ::vfork();
  if (pid < 0) {
    error = std::strerror(errno);
    return -1;
  }
  if (pid == 0) {
    if (::setns(netns_fd, CLONE_NEWNET) != 0 || ::dup2(io.stdin_fd[0], STDIN_FILENO) < 0 ||
        ::dup2(io.stdout_fd[1], STDOUT_FILENO) < 0 || ::dup2(io.stderr_fd[1], STDERR_FILENO) < 0) {
      ::_exit(127);
    }
    ::execve(path.c_str(), args.data(), environ);
    ::_exit(127);
  }
  return pid;
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options) {
  CommandResult result;
  if (argv.empty()) {
    result.err = "empty command";
    return result;
  }
  const std::string path = find_in_path(argv[0]);
  if (path.empty()) {
    result.err = fmt::format("{}: executable file not found in $PATH", argv[0]);
    return result;
  }
  Fd netns;
  if (!options.netns_path.empty()) {
    netns.reset(::open(options.netns_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (netns.get() < 0) {
      result.err = fmt::format("open {}: {}", options.netns_path, std::strerror(errno));
      return result;
    }
  }

  ChildIo io;
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, io.stdin_fd) != 0 ||
      ::pipe2(io.stdout_fd, O_CLOEXEC) != 0 || ::pipe2(io.stderr_fd, O_CLOEXEC) != 0) {
    result.err = fmt::format("pipe: {}", std::strerror(errno));
    for (int* p : {io.stdin_fd, io.stdout_fd, io.stderr_fd}) {
      for (int i = 0; i < 2; ++i) {
        if (p[i] >= 0) ::close(p[i]);
      }
    }
    return result;
  }
  Fd in_child(io.stdin_fd[0]), in_parent(io.stdin_fd[1]);
  Fd out_child(io.stdout_fd[1]), out_parent(io.stdout_fd[0]);
  Fd err_child(io.stderr_fd[1]), err_parent(io.stderr_fd[0]);

  std::string error;
  const pid_t pid = start_child(path, argv, netns.get(), io, error);
  in_child.reset();
  out_child.reset();
  err_child.reset();
  if (pid < 0) {
    result.err = fmt::format("{}: {}", argv[0], error);
    return result;
  }

  set_nonblocking(in_parent.get());
  set_nonblocking(out_parent.get());
  set_nonblocking(err_parent.get());
  std::string_view pending = options.stdin_data;
  if (pending.empty()) {
    in_parent.reset();
  }
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  bool out_open = true, err_open = true;
  char buffer[65536];
  while (out_open || err_open) {
    pollfd fds[3];
    nfds_t n = 0;
    if (out_open) fds[n++] = {out_parent.get(), POLLIN, 0};
    if (err_open) fds[n++] = {err_parent.get(), POLLIN, 0};
    if (in_parent.get() >= 0) fds[n++] = {in_parent.get(), POLLOUT, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      result.err +=
          fmt::format("\n{}: killed after {} s", argv[0],
                      std::chrono::duration_cast<std::chrono::seconds>(kDeadline).count());
      break;
    }
    if (::poll(fds, n, static_cast<int>(left.count())) < 0) {
      if (errno == EINTR) continue;
      ::kill(pid, SIGKILL);
      break;
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in_parent.get()) {
        const ssize_t w = ::send(in_parent.get(), pending.data(), pending.size(), MSG_NOSIGNAL);
        if (w > 0) {
          pending.remove_prefix(static_cast<size_t>(w));
        }
        if ((w < 0 && errno != EAGAIN && errno != EINTR) || pending.empty()) {
          in_parent.reset();  // EOF for the child (or it stopped reading)
        }
        continue;
      }
      const bool is_out = fds[i].fd == out_parent.get();
      const ssize_t r = ::read(fds[i].fd, buffer, sizeof buffer);
      if (r > 0) {
        (is_out ? result.out : result.err).append(buffer, static_cast<size_t>(r));
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        (is_out ? out_open : err_open) = false;
      }
    }
  }
  in_parent.reset();
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string describe_failure(const std::vector<std::string>& argv, const CommandResult& result) {
  std::string_view err = result.err;
  while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) {
    err.remove_suffix(1);
  }
  const std::string program = argv.empty() ? "" : std::filesystem::path(argv[0]).filename();
  if (result.exit_code < 0) {
    return fmt::format("{}: {}", program, err.empty() ? "did not run to completion" : err);
  }
  return fmt::format("{}: exit {}: {}", program, result.exit_code, err);
}

}  // namespace kr::netfilter
