#include "base/log.h"

#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace kr::log {
namespace {

std::atomic<int> g_verbosity{0};

// klog prints the base name of the source file only.
const char* base_name(const char* path) {
  const char* slash = std::strrchr(path, '/');
  return slash != nullptr ? slash + 1 : path;
}

}  // namespace

void set_verbosity(int level) { g_verbosity.store(level, std::memory_order_relaxed); }

int verbosity() { return g_verbosity.load(std::memory_order_relaxed); }

void write(Severity severity, const char* file, int line, std::string_view message) {
  timeval now{};
  gettimeofday(&now, nullptr);
  tm local{};
  localtime_r(&now.tv_sec, &local);
  const auto tid = static_cast<long>(syscall(SYS_gettid));
  std::string text =
      fmt::format("{}{:02}{:02} {:02}:{:02}:{:02}.{:06} {:>7} {}:{}] {}\n",
                  static_cast<char>(severity), local.tm_mon + 1, local.tm_mday, local.tm_hour,
                  local.tm_min, local.tm_sec, now.tv_usec, tid, base_name(file), line, message);
  // One write(2) per line keeps lines from different threads whole.
  const char* data = text.data();
  size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, data, left);
    if (n <= 0) {
      break;
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace kr::log
