// Backends for traffic tests: each named server listens on a port inside its pod namespace,
// greets every connection with "<name>\n" and then echoes lines back, keeping connections open
// until the client closes them (graceful termination needs long-lived connections). One thread
// serves every backend of a test.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "netns_socket.h"

namespace kr::proxy::vmtest {

class EchoServers {
 public:
  EchoServers();
  ~EchoServers();
  EchoServers(const EchoServers&) = delete;
  EchoServers& operator=(const EchoServers&) = delete;

  void add(const test::ScopedNetns& ns, std::string name, std::uint16_t port);
  // The peer address ("10.0.1.2", "10.96.0.50") of each connection `name` accepted so far.
  std::vector<std::string> peers(const std::string& name) const;

 private:
  void run();

  struct Listener {
    Fd fd;
    std::string name;
  };
  struct Connection {
    Fd fd;
    std::string name;
  };
  mutable std::mutex mutex_;
  std::vector<Listener> listeners_;
  std::vector<Connection> connections_;
  std::map<std::string, std::vector<std::string>> peers_;
  Fd wake_;  // eventfd: a listener was added, or stop
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace kr::proxy::vmtest
