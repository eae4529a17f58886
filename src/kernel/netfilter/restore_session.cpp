#include "kernel/netfilter/restore_session.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>

#include "kernel/netfilter/iptables.h"

namespace kr::netfilter {
namespace {

// Whether `out` holds the line `fence` (without its newline); drops the complete lines
// scanned, so a line split across reads is matched once whole.
bool take_fence(std::string& out, std::string_view fence) {
  bool found = false;
  size_t start = 0;
  for (size_t eol; (eol = out.find('\n', start)) != std::string::npos; start = eol + 1) {
    if (std::string_view(out).substr(start, eol - start) == fence) found = true;
  }
  out.erase(0, start);
  return found;
}

// Reads `fd` to its end (the tool exited), waiting at most until `deadline`.
void drain_to_end(int fd, std::string& into, std::chrono::steady_clock::time_point deadline) {
  while (read_available(fd, into) && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    ::poll(&p, 1, 100);
  }
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string renumber_lines(std::string_view text, uint64_t offset) {
  std::string result;
  size_t i = 0;
  while (i < text.size()) {
    const size_t at = text.find("line", i);
    if (at == std::string_view::npos) break;
    if (at > 0 && std::isalpha(static_cast<unsigned char>(text[at - 1])) != 0) {
      result.append(text.substr(i, at + 4 - i));
      i = at + 4;
      continue;
    }
    size_t digits = at + 4;
    if (digits < text.size() && text[digits] == ':') ++digits;
    if (digits < text.size() && text[digits] == ' ') ++digits;
    size_t end = digits;
    uint64_t n = 0;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])) != 0 &&
           end - digits < 18) {
      n = n * 10 + static_cast<uint64_t>(text[end] - '0');
      ++end;
    }
    result.append(text.substr(i, digits - i));
    if (end > digits && digits > at + 4 && n > offset) {
      result += std::to_string(n - offset);
    } else {
      result.append(text.substr(digits, end - digits));
    }
    i = end;
  }
  result.append(text.substr(std::min(i, text.size())));
  return result;
}

RestoreSession::RestoreSession(std::vector<std::string> argv, std::string netns_path,
                               std::vector<std::string> env)
    : argv_(std::move(argv)), netns_path_(std::move(netns_path)), env_(std::move(env)) {}

RestoreSession::~RestoreSession() {
  if (child_.pid >= 0) stop();
}

void RestoreSession::start() {
  std::string error;
  child_ = start_child(argv_, netns_path_, error, env_);
  if (child_.pid < 0) {
    throw NetfilterError(
        fmt::format("{}: {}", std::filesystem::path(argv_[0]).filename().string(), error));
  }
  lines_sent_ = 0;
  out_.clear();
}

int RestoreSession::stop() {
  child_.in.reset();  // end of input: the tool exits
  const int code = reap(child_.pid);
  child_ = Child{};
  return code;
}

void RestoreSession::end() {
  std::lock_guard lock(mutex_);
  if (child_.pid >= 0) stop();
}

bool RestoreSession::alive() {
  // A tool that exited since the last document (killed, say) has closed its stdout.
  pollfd p{child_.out.get(), POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) return true;
  std::string ignored;
  return read_available(child_.out.get(), ignored);
}

void RestoreSession::fail(uint64_t offset, std::string_view why) {
  ::kill(child_.pid, SIGKILL);  // no-op when it already exited
  const int code = stop();
  const std::string program = std::filesystem::path(argv_[0]).filename();
  std::string message = renumber_lines(trimmed(err_), offset);
  if (!why.empty()) {
    message = message.empty() ? std::string(why) : fmt::format("{}: {}", why, message);
  }
  if (message.empty()) message = "exited before finishing the document";
  throw NetfilterError(code < 0 ? fmt::format("{}: {}", program, message)
                                : fmt::format("{}: exit {}: {}", program, code, message));
}

void RestoreSession::apply(std::string_view document) {
  std::lock_guard lock(mutex_);
  if (child_.pid >= 0 && !alive()) stop();
  if (child_.pid < 0) start();

  const std::string fence = fmt::format("# kube-router fence {}", ++fences_);
  std::string input(document);
  if (!input.empty() && input.back() != '\n') input += '\n';
  const uint64_t offset = lines_sent_;
  input += fence;
  input += '\n';
  lines_sent_ += static_cast<uint64_t>(std::count(input.begin(), input.end(), '\n'));
  err_.clear();

  const auto failed = [&](std::string_view why) { fail(offset, why); };
  std::string_view pending = input;
  const auto deadline = std::chrono::steady_clock::now() + kToolDeadline;
  for (;;) {
    pollfd fds[3] = {{child_.out.get(), POLLIN, 0},
                     {child_.err.get(), POLLIN, 0},
                     {child_.in.get(), static_cast<short>(pending.empty() ? 0 : POLLOUT), 0}};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      failed(fmt::format("killed after {} s",
                         std::chrono::duration_cast<std::chrono::seconds>(kToolDeadline).count()));
    }
    if (::poll(fds, 3, static_cast<int>(left.count())) < 0) {
      if (errno == EINTR) continue;
      failed(fmt::format("poll: {}", std::strerror(errno)));
    }
    if (fds[2].revents != 0 && !pending.empty()) {
      if (!write_available(child_.in.get(), pending)) {
        pending = {};  // it stopped reading: its exit shows on stdout below
      }
    }
    if (fds[1].revents != 0 && !read_available(child_.err.get(), err_)) {
      // The tool exited: stdout ends too.
      std::string ignored;
      drain_to_end(child_.out.get(), ignored, deadline);
      failed({});
    }
    if (fds[0].revents != 0) {
      const bool open = read_available(child_.out.get(), out_);
      if (take_fence(out_, fence)) return;
      if (!open) {
        drain_to_end(child_.err.get(), err_, deadline);
        failed({});
      }
    }
  }
}

}  // namespace kr::netfilter
