#include "kernel/netfilter/command.h"

#include <fmt/format.h>
#include <poll.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>

#include "kernel/netfilter/child_process.h"

namespace kr::netfilter {

CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options) {
  std::string error;
  Child child = start_child(argv, options.netns_path, error);
  if (child.pid < 0) {
    CommandResult result;
    result.err = std::move(error);
    return result;
  }
  return complete_command(std::move(child), options.stdin_data, argv[0]);
}

CommandResult complete_command(Child child, std::string_view stdin_data, std::string_view program) {
  CommandResult result;
  std::string_view pending = stdin_data;
  if (pending.empty()) {
    child.in.reset();
  }
  const auto deadline = std::chrono::steady_clock::now() + kToolDeadline;
  bool out_open = true;
  bool err_open = true;
  while (out_open || err_open) {
    pollfd fds[3];
    nfds_t n = 0;
    if (out_open) fds[n++] = {child.out.get(), POLLIN, 0};
    if (err_open) fds[n++] = {child.err.get(), POLLIN, 0};
    if (child.in.get() >= 0) fds[n++] = {child.in.get(), POLLOUT, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(child.pid, SIGKILL);
      result.err +=
          fmt::format("\n{}: killed after {} s", program,
                      std::chrono::duration_cast<std::chrono::seconds>(kToolDeadline).count());
      break;
    }
    if (::poll(fds, n, static_cast<int>(left.count())) < 0) {
      if (errno == EINTR) continue;
      ::kill(child.pid, SIGKILL);
      break;
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == child.in.get()) {
        if (!write_available(child.in.get(), pending) || pending.empty()) {
          child.in.reset();  // EOF for the child (or it stopped reading)
        }
      } else if (fds[i].fd == child.out.get()) {
        out_open = read_available(child.out.get(), result.out);
      } else {
        err_open = read_available(child.err.get(), result.err);
      }
    }
  }
  child.in.reset();
  result.exit_code = reap(child.pid);
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
