// Real traffic through IPVS, as on a kube-router node: a ClusterIP on
// kube-dummy-if in the "node" namespace, a round-robin TCP virtual service
// with masquerade forwarding to two backend namespaces, and a client
// namespace whose connections must land on both backends and get answers
// back through the director.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <system_error>
#include <utility>

#include "kernel/ipvs/kernel_ipvs.h"
#include "kernel/netlink/address.h"
#include "kernel/netlink/error.h"
#include "kernel/netlink/link.h"
#include "netns_fixture.h"
#include "support/root.h"
#include "support/veth.h"
#include "support/wait.h"
#include "vm_kernel.h"

namespace kr::test {
namespace {

using ipvs::Change;
using ipvs::Protocol;
using ipvs::ServiceKey;
using netlink::IpAddress;
using netlink::IpPrefix;

// Under TCG a connection setup can take a while; this only bounds a hang.
constexpr int kPollMillis = 20000;

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd& operator=(Fd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A TCP socket created inside the namespace: setns() moves only this thread, and it returns
// to its own namespace before this returns. The socket stays in the namespace it was made in.
Fd tcp_socket_in(const ScopedNetns& ns) {
  Fd self(open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  Fd target(open(netns_path(ns).c_str(), O_RDONLY | O_CLOEXEC));
  if (self.get() < 0 || target.get() < 0 || setns(target.get(), CLONE_NEWNET) != 0) {
    throw std::system_error(errno, std::generic_category(), "enter " + ns.name());
  }
  Fd socket_fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (setns(self.get(), CLONE_NEWNET) != 0) std::abort();  // the thread must not stay there
  if (socket_fd.get() < 0) throw std::system_error(errno, std::generic_category(), "socket");
  return socket_fd;
}

sockaddr_in endpoint(const char* address, std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  inet_pton(AF_INET, address, &addr.sin_addr);
  return addr;
}

Fd listen_in(const ScopedNetns& ns, std::uint16_t port) {
  Fd fd = tcp_socket_in(ns);
  int on = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  sockaddr_in addr = endpoint("0.0.0.0", port);
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(fd.get(), 16) != 0) {
    throw std::system_error(errno, std::generic_category(), "listen in " + ns.name());
  }
  return fd;
}

bool wait_readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, kPollMillis) == 1;
}

// Connects from the client namespace; false when the connection does not complete.
bool connect_from(const ScopedNetns& client, const char* address, std::uint16_t port, Fd& out) {
  Fd fd = tcp_socket_in(client);
  sockaddr_in addr = endpoint(address, port);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 &&
      errno != EINPROGRESS) {
    return false;
  }
  pollfd p{fd.get(), POLLOUT, 0};
  int error = 0;
  socklen_t length = sizeof(error);
  if (poll(&p, 1, kPollMillis) != 1 ||
      getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
    return false;
  }
  out = std::move(fd);
  return true;
}

TEST(IpvsTraffic, RoundRobinSpreadsClientConnectionsOverBothBackends) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "sysctl");
  ScopedNetns node, client, backend1, backend2;
  netlink::Socket node_socket(NETLINK_ROUTE, netns_path(node));
  netlink::Links links(node_socket);
  bool have_dummy = true;
  try {
    links.add_dummy("kube-dummy-if");
  } catch (const netlink::NetlinkError&) {
    have_dummy = false;
  }
  KR_REQUIRE_KERNEL_FEATURE(have_dummy, "dummy links");
  std::unique_ptr<ipvs::Ipvs> ipvs;
  try {
    ipvs = ipvs::open_kernel_ipvs(netns_path(node));
  } catch (const netlink::NetlinkError&) {
  }
  KR_REQUIRE_KERNEL_FEATURE(ipvs != nullptr, "IPVS");

  // Client and backends hang off the node on their own /24s, routed through it.
  connect_veth({client.name(), "eth0", "10.0.1.2/24"}, {node.name(), "v-client", "10.0.1.1/24"});
  connect_veth({backend1.name(), "eth0", "10.0.2.2/24"}, {node.name(), "v-b1", "10.0.2.1/24"});
  connect_veth({backend2.name(), "eth0", "10.0.3.2/24"}, {node.name(), "v-b2", "10.0.3.1/24"});
  client.ip({"route", "add", "default", "via", "10.0.1.1"});
  backend1.ip({"route", "add", "default", "via", "10.0.2.1"});
  backend2.ip({"route", "add", "default", "via", "10.0.3.1"});
  // Replies from the backends are forwarded by the node back to the client (IPVS NAT).
  ASSERT_TRUE(node.run({"sysctl", "-w", "net.ipv4.ip_forward=1"}).ok());

  // The ClusterIP on kube-dummy-if, as the proxy does (proxy.md §4.5).
  links.set_up("kube-dummy-if", true);
  netlink::Addresses(node_socket)
      .add({links.get("kube-dummy-if")->index, IpPrefix::must_parse("10.96.0.10/32"),
            netlink::Scope::kLink});

  ServiceKey vip;
  vip.address = IpAddress::must_parse("10.96.0.10");
  vip.protocol = Protocol::kTcp;
  vip.port = 80;
  std::vector<Change> changes(3);
  changes[0].kind = Change::Kind::kAddService;
  changes[0].service.key = vip;
  changes[0].service.scheduler = "rr";
  for (int i = 1; i <= 2; ++i) {
    changes[i].kind = Change::Kind::kAddDestination;
    changes[i].service.key = vip;
    changes[i].destination.address = IpAddress::must_parse(i == 1 ? "10.0.2.2" : "10.0.3.2");
    changes[i].destination.port = 8080;
  }
  for (const auto& result : ipvs->apply(changes)) ASSERT_TRUE(result.ok()) << result.what;

  Fd listener1 = listen_in(backend1, 8080);
  Fd listener2 = listen_in(backend2, 8080);
  std::map<std::string, int> landed;
  std::vector<Fd> open_connections;
  for (int i = 0; i < 4; ++i) {
    Fd connection;
    ASSERT_TRUE(connect_from(client, "10.96.0.10", 80, connection))
        << "connection " << i << " to the VIP did not complete";
    // The backend that got it answers with its name, through the director.
    pollfd ready[2] = {{listener1.get(), POLLIN, 0}, {listener2.get(), POLLIN, 0}};
    ASSERT_EQ(poll(ready, 2, kPollMillis), 1) << "exactly one backend gets each connection";
    const bool first = (ready[0].revents & POLLIN) != 0;
    const std::string name = first ? "backend1" : "backend2";
    Fd accepted(accept4(first ? listener1.get() : listener2.get(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_GE(accepted.get(), 0);
    ASSERT_EQ(write(accepted.get(), name.data(), name.size()), static_cast<ssize_t>(name.size()));
    ASSERT_TRUE(wait_readable(connection.get())) << "no answer from " << name;
    char buffer[32] = {};
    ASSERT_GT(read(connection.get(), buffer, sizeof(buffer) - 1), 0);
    EXPECT_EQ(std::string(buffer), name);
    ++landed[name];
    open_connections.push_back(std::move(connection));
    open_connections.push_back(std::move(accepted));
  }
  EXPECT_EQ(landed["backend1"], 2);
  EXPECT_EQ(landed["backend2"], 2);

  // What graceful termination and the metrics read back: per-destination connection counts
  // now, and the service's counters once the kernel's estimator (every 2 s) has run.
  for (const auto& destination : ipvs->list_destinations(vip)) {
    EXPECT_EQ(destination.active_connections, 2u) << destination.to_string();
  }
  EXPECT_TRUE(wait_until(
      [&] {
        auto services = ipvs->list_services();
        return services.size() == 1 && services[0].stats.connections == 4 &&
               services[0].stats.packets_in > 0 && services[0].stats.bytes_out > 0;
      },
      std::chrono::seconds(30), std::chrono::milliseconds(500)))
      << "service statistics never showed the 4 connections";
}

}  // namespace
}  // namespace kr::test
