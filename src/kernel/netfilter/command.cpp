#include "kernel/netfilter/command.h"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>

#include "kernel/netfilter/child_process.h"

namespace kr::netfilter {

CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options) {
  CommandResult result;
  std::string error;
  Child child = start_child(argv, options.netns_path, error);
  if (child.pid < 0) {
    result.err = std::move(error);
    return result;
  }
  Fd& in_parent = child.in;
  const Fd& out_parent = child.out;
  const Fd& err_parent = child.err;
  const pid_t pid = child.pid;
  std::string_view pending = options.stdin_data;
  if (pending.empty()) {
    in_parent.reset();
  }
  const auto deadline = std::chrono::steady_clock::now() + kToolDeadline;
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
                      std::chrono::duration_cast<std::chrono::seconds>(kToolDeadline).count());
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
  result.exit_code = reap(pid);
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
