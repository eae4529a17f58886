// klog-compatible levelled logging.
//
// Lines look like upstream's (klog's) so operators' log tooling keeps working:
//   I1126 06:35:15.123456   12345 file.cpp:42] message
// Severity letter, month+day, wall time with microseconds, thread id, source
// location. Informational logs are gated by the verbosity set with -v.
#pragma once

#include <fmt/format.h>

#include <string_view>

namespace kr::log {

enum class Severity : char { kInfo = 'I', kWarning = 'W', kError = 'E', kFatal = 'F' };

// The -v level. 0 logs only unconditional lines; higher values add V(n) lines.
void set_verbosity(int level);
int verbosity();

// Writes one complete line to stderr; safe to call from any thread.
void write(Severity severity, const char* file, int line, std::string_view message);

}  // namespace kr::log

#define KR_LOG_AT(sev, ...) \
  ::kr::log::write(::kr::log::Severity::sev, __FILE__, __LINE__, ::fmt::format(__VA_ARGS__))
#define KR_INFO(...) KR_LOG_AT(kInfo, __VA_ARGS__)
#define KR_WARN(...) KR_LOG_AT(kWarning, __VA_ARGS__)
#define KR_ERROR(...) KR_LOG_AT(kError, __VA_ARGS__)
// Informational line shown only at verbosity >= level (klog's V(level).Infof).
#define KR_V(level, ...)                     \
  do {                                       \
    if (::kr::log::verbosity() >= (level)) { \
      KR_LOG_AT(kInfo, __VA_ARGS__);         \
    }                                        \
  } while (false)
