// Thread-safe text for an errno value.
#pragma once

#include <cstring>
#include <string>

namespace kr {

// The same text as std::strerror(error) ("No such file or directory"), without strerror's
// shared static buffer, which another thread's call may overwrite while it is being read.
inline std::string errno_text(int error) {
  char buffer[256];
  // The GNU strerror_r (we build with _GNU_SOURCE) returns the text, which may or may not be
  // in buffer.
  return ::strerror_r(error, buffer, sizeof(buffer));
}

}  // namespace kr
