#include "kernel/netfilter/xtables_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "kernel/netfilter/iptables.h"

namespace kr::netfilter {
namespace {

std::string default_path() {
  const char* env = std::getenv("XTABLES_LOCKFILE");
  return env != nullptr && *env != '\0' ? env : "/run/xtables.lock";
}

// Opens and flocks `path`, polling as iptables' own --wait does (it has no timed flock), but
// at a short interval: the holder is usually another restore that takes milliseconds.
Fd take(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    throw NetfilterError(fmt::format("xtables lock {}: {}", path, std::strerror(errno)));
  }
  const auto deadline = std::chrono::steady_clock::now() + kToolDeadline;
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      throw NetfilterError(fmt::format("xtables lock {}: {}", path, std::strerror(errno)));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw NetfilterError(
          fmt::format("xtables lock {}: another program held it for {} s", path,
                      std::chrono::duration_cast<std::chrono::seconds>(kToolDeadline).count()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return fd;
}

}  // namespace

XtablesLock::XtablesLock() : path_(default_path()) {}

std::string XtablesLock::private_lock_env(Family family) const {
  return fmt::format("XTABLES_LOCKFILE={}.kube-router-{}", path_,
                     family == Family::kIPv4 ? "ipv4" : "ipv6");
}

void XtablesLock::acquire() {
  std::unique_lock lock(mutex_);
  taken_.wait(lock, [this] { return !taking_; });
  if (holders_ > 0) {
    ++holders_;
    return;
  }
  taking_ = true;
  lock.unlock();
  Fd fd;
  try {
    fd = take(path_);
  } catch (...) {
    lock.lock();
    taking_ = false;
    taken_.notify_all();
    throw;
  }
  lock.lock();
  taking_ = false;
  fd_ = std::move(fd);
  holders_ = 1;
  taken_.notify_all();
}

void XtablesLock::release() {
  const std::lock_guard lock(mutex_);
  if (--holders_ == 0) fd_.reset();
}

}  // namespace kr::netfilter
