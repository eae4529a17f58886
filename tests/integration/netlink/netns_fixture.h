// A fresh network namespace per test with rtnetlink and generic netlink
// sockets opened inside it, so the netlink layer acts on that namespace only
// and `ip -n NAME ...` can check what a user would see.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "kernel/netlink/socket.h"
#include "support/netns.h"

namespace kr::test {

// "/var/run/netns/NAME": the file a netlink socket is opened in.
std::string netns_path(const ScopedNetns& ns);

class NetnsTest : public ::testing::Test {
 protected:
  // Skips unless root with `ip`; creates the namespace and the sockets.
  void SetUp() override;

  ScopedNetns& ns() { return *ns_; }
  netlink::Socket& route_socket() { return *route_socket_; }
  netlink::Socket& generic_socket() { return *generic_socket_; }
  // `ip -n NAME args...` output; fails the test (throws) when ip fails.
  std::string ip(const std::vector<std::string>& args) { return ns_->ip(args); }

 private:
  std::unique_ptr<ScopedNetns> ns_;
  std::unique_ptr<netlink::Socket> route_socket_;
  std::unique_ptr<netlink::Socket> generic_socket_;
};

}  // namespace kr::test
