#include "kernel/netfilter/child_process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sched.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace kr::netfilter {
namespace {

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

// The child's ends are [0] of stdin and [1] of stdout and stderr.
struct Pipes {
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
};

// The child's environment: ours, with `env` replacing or adding entries.
std::vector<char*> environment(const std::vector<std::string>& env) {
  std::vector<char*> result;
  for (char** e = environ; *e; ++e) {
    const std::string_view entry(*e);
    const std::string_view name = entry.substr(0, entry.find('='));
    const bool replaced = std::any_of(env.begin(), env.end(), [&](const std::string& mine) {
      return mine.size() > name.size() && mine.compare(0, name.size(), name) == 0 &&
             mine[name.size()] == '=';
    });
    if (!replaced) result.push_back(*e);
  }
  for (const std::string& mine : env) result.push_back(const_cast<char*>(mine.c_str()));
  result.push_back(nullptr);
  return result;
}

pid_t spawn(const std::string& path, const std::vector<std::string>& argv, int netns_fd,
            const Pipes& p, const std::vector<std::string>& env, std::string& error) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  std::vector<char*> envp = environment(env);

  if (netns_fd < 0) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, p.in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, p.out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, p.err[1], STDERR_FILENO);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, path.c_str(), &actions, nullptr, args.data(), envp.data());
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
    if (::setns(netns_fd, CLONE_NEWNET) != 0 || ::dup2(p.in[0], STDIN_FILENO) < 0 ||
        ::dup2(p.out[1], STDOUT_FILENO) < 0 || ::dup2(p.err[1], STDERR_FILENO) < 0) {
      ::_exit(127);
    }
    ::execve(path.c_str(), args.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

}  // namespace

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    reset(other.fd_);
    other.fd_ = -1;
  }
  return *this;
}

void Fd::reset(int fd) {
  if (fd_ >= 0) {
    ::close(fd_);
  }
  fd_ = fd;
}

Child start_child(const std::vector<std::string>& argv, const std::string& netns_path,
                  std::string& error, const std::vector<std::string>& env) {
  Child child;
  if (argv.empty()) {
    error = "empty command";
    return child;
  }
  const std::string path = find_in_path(argv[0]);
  if (path.empty()) {
    error = fmt::format("{}: executable file not found in $PATH", argv[0]);
    return child;
  }
  Fd netns;
  if (!netns_path.empty()) {
    netns.reset(::open(netns_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (netns.get() < 0) {
      error = fmt::format("open {}: {}", netns_path, std::strerror(errno));
      return child;
    }
  }
  Pipes p;
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p.in) != 0 ||
      ::pipe2(p.out, O_CLOEXEC) != 0 || ::pipe2(p.err, O_CLOEXEC) != 0) {
    error = fmt::format("pipe: {}", std::strerror(errno));
  }
  Fd in_child(p.in[0]), out_child(p.out[1]), err_child(p.err[1]);
  child.in.reset(p.in[1]);
  child.out.reset(p.out[0]);
  child.err.reset(p.err[0]);
  if (!error.empty()) {
    return Child{};
  }
  child.pid = spawn(path, argv, netns.get(), p, env, error);
  if (child.pid < 0) {
    error = fmt::format("{}: {}", argv[0], error);
    return Child{};
  }
  for (const Fd* fd : {&child.in, &child.out, &child.err}) {
    set_nonblocking(fd->get());
  }
  return child;
}

int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool read_available(int fd, std::string& into) {
  char buffer[65536];
  for (;;) {
    const ssize_t r = ::read(fd, buffer, sizeof buffer);
    if (r > 0) {
      into.append(buffer, static_cast<size_t>(r));
      continue;
    }
    return r < 0 && (errno == EAGAIN || errno == EINTR);
  }
}

bool write_available(int fd, std::string_view& pending) {
  const ssize_t w = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
  if (w > 0) {
    pending.remove_prefix(static_cast<size_t>(w));
    return true;
  }
  return w == 0 || errno == EAGAIN || errno == EINTR;
}

}  // namespace kr::netfilter
