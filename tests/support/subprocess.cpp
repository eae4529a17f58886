#include "support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <thread>
#include <utility>

#include "support/temp_dir.h"

namespace kr::test {
namespace {

// What the child was doing when it failed; sent to the parent with errno.
enum class Stage : int { kNetns, kStdin, kStdout, kStderr, kChdir, kExec };

const char* stage_name(Stage stage) {
  switch (stage) {
    case Stage::kNetns:
      return "entering the network namespace";
    case Stage::kStdin:
      return "opening stdin";
    case Stage::kStdout:
      return "opening the stdout file";
    case Stage::kStderr:
      return "opening the stderr file";
    case Stage::kChdir:
      return "changing directory";
    case Stage::kExec:
      return "exec";
  }
  return "?";
}

struct ChildFailure {
  Stage stage;
  int error;
};

std::vector<std::string> merged_environment(const SpawnOptions& options) {
  std::vector<std::string> env;
  if (!options.clear_env) {
    for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  }
  for (const auto& entry : options.env) {
    const auto key = entry.substr(0, entry.find('=') + 1);
    std::erase_if(env, [&](const std::string& e) { return e.starts_with(key); });
    env.push_back(entry);
  }
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

ExitStatus decode(int wstatus) {
  ExitStatus status;
  if (WIFEXITED(wstatus)) status.code = WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) status.signal = WTERMSIG(wstatus);
  return status;
}

// Runs in the forked child: only async-signal-safe calls until execve.
[[noreturn]] void child_main(const char* program, char* const* argv, char* const* envp,
                             const char* netns_path, const char* stdin_path,
                             const char* stdout_path, const char* stderr_path, const char* cwd,
                             bool die_with_parent, pid_t parent, int report_fd) {
  auto fail = [report_fd](Stage stage) {
    const ChildFailure failure{stage, errno};
    [[maybe_unused]] const ssize_t ignored = write(report_fd, &failure, sizeof failure);
    _exit(127);
  };
  if (die_with_parent) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
  }
  setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);  // NOLINT(concurrency-mt-unsafe): forked child
  if (netns_path != nullptr) {
    const int fd = open(netns_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) fail(Stage::kNetns);
    close(fd);
  }
  const int in = open(stdin_path, O_RDONLY);
  if (in < 0 || dup2(in, STDIN_FILENO) < 0) fail(Stage::kStdin);
  if (stdout_path != nullptr) {
    const int out = open(stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || dup2(out, STDOUT_FILENO) < 0) fail(Stage::kStdout);
  }
  if (stderr_path != nullptr) {
    const int err = open(stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (err < 0 || dup2(err, STDERR_FILENO) < 0) fail(Stage::kStderr);
  }
  if (cwd != nullptr && chdir(cwd) != 0) fail(Stage::kChdir);
  execve(program, argv, envp);
  fail(Stage::kExec);
  _exit(127);
}

const char* c_str_or_null(const std::filesystem::path& p) {
  return p.empty() ? nullptr : p.c_str();
}

}  // namespace

std::string ExitStatus::describe() const {
  if (signal != 0) {
    // glibc 2.32+ formats unknown and real-time signals in a per-thread buffer.
    const char* text = strsignal(signal);  // NOLINT(concurrency-mt-unsafe)
    return "signal " + std::to_string(signal) + " (" + text + ")";
  }
  return "exit " + std::to_string(code);
}

std::filesystem::path find_executable(const std::string& name) {
  if (name.empty()) return {};
  if (name.find('/') != std::string::npos) {
    return access(name.c_str(), X_OK) == 0 ? std::filesystem::path(name) : std::filesystem::path();
  }
  const char* path_env = getenv("PATH");  // NOLINT(concurrency-mt-unsafe): tests never set it
  std::string path = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  path += ":/usr/local/sbin:/usr/sbin:/sbin";  // root tools, even under a minimal PATH
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find(':', start), path.size());
    std::filesystem::path candidate = std::filesystem::path(path.substr(start, end - start)) / name;
    if (end > start && access(candidate.c_str(), X_OK) == 0 &&
        !std::filesystem::is_directory(candidate)) {
      return candidate;
    }
    start = end + 1;
  }
  return {};
}

Subprocess::Subprocess(std::vector<std::string> argv, const SpawnOptions& options)
    : argv_(std::move(argv)) {
  if (argv_.empty()) throw std::invalid_argument("Subprocess: empty argv");
  std::vector<std::string> exec_argv = argv_;
  if (!options.netns.empty() && options.netns_entry == NetnsEntry::kIpNetnsExec) {
    exec_argv.insert(exec_argv.begin(), {"ip", "netns", "exec", options.netns});
  }
  const std::filesystem::path program = find_executable(exec_argv[0]);
  if (program.empty()) {
    throw std::system_error(ENOENT, std::generic_category(),
                            "cannot start " + argv_[0] + ": not found in PATH");
  }
  std::vector<std::string> env = merged_environment(options);
  std::vector<char*> c_argv = c_strings(exec_argv);
  std::vector<char*> c_env = c_strings(env);
  const std::string netns_path = "/var/run/netns/" + options.netns;
  const bool use_setns = !options.netns.empty() && options.netns_entry == NetnsEntry::kSetns;
  const std::string stdin_path =
      options.stdin_path.empty() ? std::string("/dev/null") : options.stdin_path.string();

  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe2");
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    const int err = errno;
    close(report[0]);
    close(report[1]);
    throw std::system_error(err, std::generic_category(), "fork for " + argv_[0]);
  }
  if (pid == 0) {
    close(report[0]);
    child_main(program.c_str(), c_argv.data(), c_env.data(),
               use_setns ? netns_path.c_str() : nullptr, stdin_path.c_str(),
               c_str_or_null(options.stdout_path), c_str_or_null(options.stderr_path),
               c_str_or_null(options.cwd), options.die_with_parent, parent, report[1]);
  }
  close(report[1]);
  pid_ = pid;
  setpgid(pid, pid);  // also from this side, so a signal to the group cannot race the child
  ChildFailure failure{};
  ssize_t n;
  do {
    n = read(report[0], &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  close(report[0]);
  if (n == static_cast<ssize_t>(sizeof failure)) {
    reap_blocking();
    pid_ = -1;
    std::string what = "cannot start " + argv_[0] + ": " + stage_name(failure.stage);
    if (failure.stage == Stage::kNetns) what += " " + options.netns;
    throw std::system_error(failure.error, std::generic_category(), what);
  }
  pidfd_ =
      static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));  // -1 on old kernels: wait_for then polls
}

Subprocess::~Subprocess() { release(); }

Subprocess::Subprocess(Subprocess&& other) noexcept
    : argv_(std::move(other.argv_)),
      pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::exchange(other.pidfd_, -1)),
      status_(other.status_) {}

Subprocess& Subprocess::operator=(Subprocess&& other) noexcept {
  if (this != &other) {
    release();
    argv_ = std::move(other.argv_);
    pid_ = std::exchange(other.pid_, -1);
    pidfd_ = std::exchange(other.pidfd_, -1);
    status_ = other.status_;
  }
  return *this;
}

void Subprocess::release() {
  if (pid_ > 0 && !status_) {
    kill(-pid_, SIGKILL);
    kill(pid_, SIGKILL);
    reap_blocking();
  }
  if (pidfd_ >= 0) close(pidfd_);
  pidfd_ = -1;
  pid_ = -1;
}

void Subprocess::reap_blocking() {
  int wstatus = 0;
  pid_t r;
  do {
    r = waitpid(pid_, &wstatus, 0);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) status_ = decode(wstatus);
}

bool Subprocess::running() {
  if (pid_ <= 0 || status_) return false;
  int wstatus = 0;
  if (waitpid(pid_, &wstatus, WNOHANG) == pid_) status_ = decode(wstatus);
  return !status_;
}

void Subprocess::signal(int sig, bool whole_group) {
  if (pid_ <= 0 || status_) return;
  kill(whole_group ? -pid_ : pid_, sig);
}

std::optional<ExitStatus> Subprocess::wait_for(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    if (pidfd_ >= 0) {
      pollfd fd{pidfd_, POLLIN, 0};
      poll(&fd, 1, static_cast<int>(std::min<long>(left.count(), 1000)));
    } else {
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(10)));
    }
  }
  return status_;
}

ExitStatus Subprocess::wait() {
  if (pid_ > 0 && !status_) reap_blocking();
  return status_.value_or(ExitStatus{});
}

ExitStatus Subprocess::stop(std::chrono::milliseconds grace) {
  signal(SIGTERM);
  if (auto status = wait_for(grace)) return *status;
  signal(SIGKILL, /*whole_group=*/true);
  signal(SIGKILL);
  return wait();
}

bool is_zombie(pid_t pid) {
  // "PID (comm) STATE ...": comm may itself hold spaces and parentheses.
  const std::string stat = read_file_or_empty("/proc/" + std::to_string(pid) + "/stat");
  const auto paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z';
}

}  // namespace kr::test
