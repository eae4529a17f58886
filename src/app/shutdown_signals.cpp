#include "app/shutdown_signals.h"

#include <csignal>
#include <ctime>

namespace kr::app {
namespace {

sigset_t shutdown_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

void block_shutdown_signals() {
  const sigset_t set = shutdown_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::optional<int> wait_for_shutdown_signal(std::chrono::milliseconds timeout) {
  const sigset_t set = shutdown_set();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const timespec wait{.tv_sec = seconds.count(),
                      .tv_nsec = std::chrono::nanoseconds(timeout - seconds).count()};
  const int signal = sigtimedwait(&set, nullptr, &wait);
  if (signal < 0) {
    return std::nullopt;  // EAGAIN (timeout) or EINTR: the caller loops
  }
  return signal;
}

}  // namespace kr::app
