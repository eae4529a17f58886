#include "http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace kr::observe::http_test {

CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.output.append(buffer.data(), n);
  }
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

namespace {

std::string header_value(const std::string& headers, const std::string& name) {
  std::istringstream lines(headers);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
      continue;
    }
    std::string key = line.substr(0, colon);
    for (auto& c : key) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (key == name) {
      const auto start = line.find_first_not_of(' ', colon + 1);
      return start == std::string::npos ? "" : line.substr(start);
    }
  }
  return "";
}

}  // namespace

FetchResult curl_fetch(std::uint16_t port, const std::string& path, const std::string& method,
                       bool ipv6) {
  const std::string host = ipv6 ? "[::1]" : "127.0.0.1";
  const std::string method_flag = method == "HEAD" ? "-I" : "-X " + method;
  const CommandResult run = run_command("curl -sS -i --max-time 10 " + method_flag + " 'http://" +
                                        host + ":" + std::to_string(port) + path + "'");
  FetchResult result;
  const auto header_end = run.output.find("\r\n\r\n");
  if (run.exit_code != 0 || header_end == std::string::npos) {
    result.body = run.output;  // curl's error, for the assertion message
    return result;
  }
  const std::string headers = run.output.substr(0, header_end);
  result.body = run.output.substr(header_end + 4);
  std::sscanf(headers.c_str(), "HTTP/%*s %d", &result.status);
  result.content_type = header_value(headers, "content-type");
  result.content_length = header_value(headers, "content-length");
  return result;
}

RawConnection::RawConnection(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    connect_errno_ = errno;
    return;
  }
  timeval timeout{.tv_sec = 10, .tv_usec = 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    connect_errno_ = errno;
    ::close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

bool RawConnection::send_all(const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::optional<std::string> RawConnection::read_response() {
  std::array<char, 4096> buffer{};
  while (true) {
    const auto header_end = pending_.find("\r\n\r\n");
    if (header_end != std::string::npos) {
      const std::string length = header_value(pending_.substr(0, header_end), "content-length");
      const std::size_t total = header_end + 4 + std::strtoul(length.c_str(), nullptr, 10);
      if (pending_.size() >= total) {
        std::string response = pending_.substr(0, total);
        pending_.erase(0, total);
        return response;
      }
    }
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n <= 0) {
      return std::nullopt;
    }
    pending_.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

bool RawConnection::closed_by_peer() {
  char byte = 0;
  return ::recv(fd_, &byte, 1, 0) == 0;
}

}  // namespace kr::observe::http_test
