#include "echo_servers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace kr::proxy::vmtest {
namespace {

std::string peer_text(const sockaddr_in6& peer) {
  char text[INET6_ADDRSTRLEN] = {};
  if (IN6_IS_ADDR_V4MAPPED(&peer.sin6_addr)) {
    ::inet_ntop(AF_INET, &peer.sin6_addr.s6_addr[12], text, sizeof(text));
  } else {
    ::inet_ntop(AF_INET6, &peer.sin6_addr, text, sizeof(text));
  }
  return text;
}

}  // namespace

EchoServers::EchoServers() : wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  thread_ = std::thread([this] { run(); });
}

EchoServers::~EchoServers() {
  stop_ = true;
  const std::uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof(one));
  thread_.join();
}

void EchoServers::add(const test::ScopedNetns& ns, std::string name, std::uint16_t port) {
  Fd fd = listen_tcp(ns, port);
  {
    const std::lock_guard lock(mutex_);
    listeners_.push_back({std::move(fd), std::move(name)});
  }
  const std::uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof(one));
}

std::vector<std::string> EchoServers::peers(const std::string& name) const {
  const std::lock_guard lock(mutex_);
  const auto it = peers_.find(name);
  return it != peers_.end() ? it->second : std::vector<std::string>{};
}

void EchoServers::run() {
  while (!stop_) {
    std::vector<pollfd> fds{{wake_.get(), POLLIN, 0}};
    {
      const std::lock_guard lock(mutex_);
      for (const auto& l : listeners_) fds.push_back({l.fd.get(), POLLIN, 0});
      for (const auto& c : connections_) fds.push_back({c.fd.get(), POLLIN, 0});
    }
    if (::poll(fds.data(), fds.size(), 1000) <= 0) continue;
    if (fds[0].revents) {
      std::uint64_t value;
      (void)!::read(wake_.get(), &value, sizeof(value));
    }
    const std::lock_guard lock(mutex_);
    std::size_t i = 1;
    std::vector<Connection> accepted;
    for (const auto& l : listeners_) {
      if (i < fds.size() && fds[i++].revents & POLLIN) {
        sockaddr_in6 peer{};
        socklen_t length = sizeof(peer);
        Fd fd(::accept4(l.fd.get(), reinterpret_cast<sockaddr*>(&peer), &length,
                        SOCK_CLOEXEC | SOCK_NONBLOCK));
        if (!fd.valid()) continue;
        peers_[l.name].push_back(peer_text(peer));
        write_all(fd, l.name + "\n");
        accepted.push_back({std::move(fd), l.name});
      }
    }
    for (auto it = connections_.begin(); it != connections_.end() && i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
        ++it;
        continue;
      }
      char buffer[512];
      const ssize_t n = ::read(it->fd.get(), buffer, sizeof(buffer));
      if (n <= 0) {
        it = connections_.erase(it);
        continue;
      }
      (void)!::send(it->fd.get(), buffer, static_cast<std::size_t>(n), MSG_NOSIGNAL);
      ++it;
    }
    for (auto& c : accepted) connections_.push_back(std::move(c));
  }
}

}  // namespace kr::proxy::vmtest
