// A kube-router node in network namespaces, for the proxy's VM-tier traffic tests:
//
//   client  192.168.1.2, fd00:1::2 ──eth0── node "node-a" 192.168.1.10, fd00:1::10
//   client2 172.16.0.2             ──eth1── node          172.16.0.10
//   local pods  10.244.1.10+i, fd00:244:1::10+i  on bridge kube-bridge (10.244.1.1, fd00:244:1::1)
//   remote pods 10.244.2.10+i, fd00:244:2::10+i  on bridge kube-remote (node-b's pods, routed)
//
// Each pod runs an echo backend on port 8080 named "local<i>" / "remote<i>". The controller runs
// with its real kernel parts inside the node namespace and reads Services and EndpointSlices
// from a MemoryServiceSource the test fills.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "controllers/proxy/service_proxy_controller.h"
#include "controllers/proxy/service_source.h"
#include "echo_servers.h"
#include "kernel/ipvs/ipvs.h"
#include "options/kube_router_config.h"
#include "support/netns.h"

namespace kr::proxy::vmtest {

inline constexpr std::uint16_t kBackendPort = 8080;
inline constexpr auto kConnectWait = std::chrono::seconds(20);
inline constexpr auto kRefusedWait = std::chrono::seconds(3);

// True when this kernel has IPVS and dummy links (false on the CI host; true in the VM).
bool kernel_has_ipvs();

class ProxyLab {
 public:
  struct Options {
    int local_pods = 2;
    int remote_pods = 1;
  };
  explicit ProxyLab(Options options);
  ~ProxyLab();

  // Flags as upstream defaults, with the ranges the lab's external and LB IPs come from.
  static options::Config default_config();

  // Builds the controller (real parts, inside the node namespace) and starts it.
  void start(const options::Config& config = default_config());
  void stop();
  // Waits until everything put into the source so far is programmed.
  void programmed();

  MemoryServiceSource& source() { return *source_; }
  ServiceProxyController& controller() { return *controller_; }
  const test::ScopedNetns& node() const { return *node_; }
  const test::ScopedNetns& client() const { return *client_; }
  const test::ScopedNetns& client2() const { return *client2_; }
  const test::ScopedNetns& local_pod(int i) const { return *local_[i]; }
  const test::ScopedNetns& remote_pod(int i) const { return *remote_[i]; }
  EchoServers& servers() { return servers_; }

  static std::string local_ip(int i, bool v6 = false);
  static std::string remote_ip(int i, bool v6 = false);

  // Connects, returns the greeting (the backend's name) and closes; nullopt when no connection
  // or greeting came within `wait`.
  std::optional<std::string> ask(const test::ScopedNetns& from, const std::string& address,
                                 std::uint16_t port,
                                 std::chrono::milliseconds wait = kConnectWait) const;
  // The same, keeping the connection open; `name` receives the greeting.
  Fd open(const test::ScopedNetns& from, const std::string& address, std::uint16_t port,
          std::string& name) const;

  // An HTTP/1.0 GET; the whole response ("" when nothing answered).
  std::string http_get(const test::ScopedNetns& from, const std::string& address,
                       std::uint16_t port, const std::string& path) const;

  // The node's IPVS table, opened in its namespace.
  std::unique_ptr<ipvs::Ipvs> ipvs() const;
  // `cmd args...` inside the node namespace; its stdout (empty on failure).
  std::string node_output(const std::vector<std::string>& argv) const;

 private:
  void add_pod(const std::string& bridge, const std::string& name, const std::string& v4,
               const std::string& v6, const std::string& gw4, const std::string& gw6,
               std::vector<std::unique_ptr<test::ScopedNetns>>& into);

  std::unique_ptr<test::ScopedNetns> node_;
  std::unique_ptr<test::ScopedNetns> client_;
  std::unique_ptr<test::ScopedNetns> client2_;
  std::vector<std::unique_ptr<test::ScopedNetns>> local_;
  std::vector<std::unique_ptr<test::ScopedNetns>> remote_;
  EchoServers servers_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread io_thread_;
  // Made at construction so a test can fill it before start() hands it to the controller.
  std::unique_ptr<MemoryServiceSource> owned_source_ = std::make_unique<MemoryServiceSource>();
  MemoryServiceSource* source_ = owned_source_.get();
  std::unique_ptr<ServiceProxyController> controller_;
  int veths_ = 0;
};

// Object builders for the tests.
k8s::ServicePort service_port(std::string name, int port, std::string protocol = "TCP",
                              int node_port = 0);
std::shared_ptr<k8s::Service> make_service(std::string name, std::vector<std::string> cluster_ips,
                                           std::vector<k8s::ServicePort> ports);
struct Endpoint {
  std::string ip;
  std::string node = "node-a";
  bool ready = true;
  bool terminating = false;
};
std::shared_ptr<const k8s::EndpointSlice> make_slice(std::string name, std::string service,
                                                     std::string port_name,
                                                     std::vector<Endpoint> endpoints);

}  // namespace kr::proxy::vmtest
