#include "kernel/netlink/sysctl.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace kr::sysctl {

std::string path_of(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.front() == '.' ||
      name.find("..") != std::string_view::npos) {
    throw std::invalid_argument("invalid sysctl name '" + std::string(name) + "'");
  }
  std::string relative(name);
  // With no '/', dots separate the components; with one, the name is a path already.
  if (relative.find('/') == std::string::npos) {
    for (char& c : relative) {
      if (c == '.') c = '/';
    }
  }
  return "/proc/sys/" + relative;
}

std::optional<std::string> read(std::string_view name) {
  std::string path = path_of(name);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string value;
  char buffer[512];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof(buffer))) > 0) value.append(buffer, n);
  close(fd);
  if (n < 0) return std::nullopt;
  while (!value.empty() && value.back() == '\n') value.pop_back();
  return value;
}

void write(std::string_view name, std::string_view value) {
  std::string path = path_of(name);
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(), "sysctl " + std::string(name));
  }
  std::string line = std::string(value) + "\n";
  ssize_t written = ::write(fd, line.data(), line.size());
  int error = errno;
  close(fd);
  if (written != static_cast<ssize_t>(line.size())) {
    throw std::system_error(written < 0 ? error : EIO, std::generic_category(),
                            "sysctl " + std::string(name) + "=" + std::string(value));
  }
}

}  // namespace kr::sysctl
