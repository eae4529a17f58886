// kube-router with the service proxy and the firewall as a process, under a kernel with IPVS
// (the VM tier): a Service and its EndpointSlice created in the API become an IPVS virtual
// service with the endpoint as destination and the ClusterIP on kube-dummy-if, the firewall's
// INPUT jump sits above the proxy's; the state survives SIGTERM, and --cleanup-config removes it.
#include <gtest/gtest.h>
#include <linux/netlink.h>

#include <csignal>
#include <optional>
#include <sstream>

#include "api_in_netns.h"
#include "daemon_process.h"
#include "kernel/ipvs/kernel_ipvs.h"
#include "kernel/netlink/link.h"
#include "support/root.h"
#include "support/run.h"
#include "support/wait.h"
#include "vm_kernel.h"

namespace kr::test {
namespace {

using namespace std::chrono_literals;
using kr::testing::KubeconfigAuth;

constexpr const char* kClusterIp = "10.96.0.50";
constexpr const char* kEndpointIp = "10.244.1.5";

std::string netns_path(const ScopedNetns& netns) { return "/var/run/netns/" + netns.name(); }

bool kernel_has_ipvs_and_dummy() {
  ScopedNetns probe;
  try {
    ipvs::open_kernel_ipvs(netns_path(probe));
    netlink::Socket socket(NETLINK_ROUTE, netns_path(probe));
    netlink::Links(socket).add_dummy("probe0");
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// The IPVS service for the ClusterIP on TCP 80 and its destinations ("ip:port"), if it exists.
std::optional<std::vector<std::string>> cluster_ip_service(const ScopedNetns& netns) {
  auto ipvs = ipvs::open_kernel_ipvs(netns_path(netns));
  for (const ipvs::Service& service : ipvs->list_services()) {
    if (service.key.address.to_string() == kClusterIp && service.key.port == 80 &&
        service.key.protocol == ipvs::Protocol::kTcp) {
      std::vector<std::string> destinations;
      for (const ipvs::Destination& d : ipvs->list_destinations(service.key)) {
        destinations.push_back(d.address.to_string() + ":" + std::to_string(d.port));
      }
      return destinations;
    }
  }
  return std::nullopt;
}

// The targets of filter INPUT's jumps to kube-router chains, in rule order (whichever iptables
// backend the daemon chose).
std::vector<std::string> input_jumps(const ScopedNetns& netns) {
  std::vector<std::string> jumps;
  for (const char* save : {"iptables-legacy-save", "iptables-nft-save"}) {
    std::istringstream lines(netns.run({save, "-t", "filter"}).out);
    for (std::string line; std::getline(lines, line);) {
      const auto jump = line.find(" -j KUBE-ROUTER-");
      if (line.starts_with("-A INPUT ") && jump != std::string::npos) {
        jumps.push_back(line.substr(jump + 4));
      }
    }
  }
  return jumps;
}

size_t ipvs_service_count(const ScopedNetns& netns) {
  return ipvs::open_kernel_ipvs(netns_path(netns))->list_services().size();
}

TEST(DaemonVm, ServiceBecomesIpvsServiceAndCleanupRemovesIt) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "iptables", "ipset");
  KR_REQUIRE_KERNEL_FEATURE(kernel_has_ipvs_and_dummy(), "IPVS and dummy links");

  ScopedNetns netns;
  // The node's address on an interface of its own, as on a real node.
  netns.ip({"link", "add", "eth0", "type", "dummy"});
  netns.ip({"addr", "add", "192.168.60.1/24", "dev", "eth0"});
  netns.ip({"link", "set", "eth0", "up"});
  TempDir dir("daemon-vm");
  ApiInNetns api(netns);
  api.create_node("node1", "192.168.60.1", "10.244.1.0/24");
  api.create(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":)"
             R"("default"},"spec":{"type":"ClusterIP","clusterIP":"10.96.0.50","clusterIPs":)"
             R"(["10.96.0.50"],"ports":[{"name":"http","protocol":"TCP","port":80,)"
             R"("targetPort":8080}]}})");
  api.create(R"({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":)"
             R"({"name":"web-1","namespace":"default","labels":)"
             R"({"kubernetes.io/service-name":"web"}},"addressType":"IPv4","endpoints":)"
             R"([{"addresses":["10.244.1.5"],"conditions":{"ready":true},"nodeName":"node1"}],)"
             R"("ports":[{"name":"http","protocol":"TCP","port":8080}]})");

  {
    DaemonProcess daemon(
        netns, dir,
        api.args(KubeconfigAuth::kToken,
                 {"--hostname-override=node1", "--run-router=false", "--run-firewall=true",
                  "--run-service-proxy=true", "--service-cluster-ip-range=10.96.0.0/12"}));
    // The proxy writes IPVS and kube-dummy-if from different threads: wait for both.
    std::optional<std::vector<std::string>> service;
    std::string vips;
    ASSERT_TRUE(wait_until(
        [&] {
          service = cluster_ip_service(netns);
          vips = netns.run({"ip", "-o", "addr", "show", "dev", "kube-dummy-if"}).out;
          return service && !service->empty() &&
                 vips.find(std::string(" ") + kClusterIp + "/32") != std::string::npos;
        },
        180s, 500ms))
        << vips << '\n'
        << daemon.log();
    EXPECT_EQ(*service, std::vector<std::string>{std::string(kEndpointIp) + ":8080"});
    EXPECT_EQ(daemon.get(kHealthPort, "/healthz").status, 200) << daemon.log();
    // The firewall started after the proxy's first pass, so its jump sits above the proxy's
    // (upstream's start-up order, netpol.md §1).
    std::vector<std::string> jumps;
    EXPECT_TRUE(wait_until(
        [&] {
          jumps = input_jumps(netns);
          return jumps.size() == 2;
        },
        60s, 500ms))
        << daemon.log();
    EXPECT_EQ(jumps, (std::vector<std::string>{"KUBE-ROUTER-INPUT", "KUBE-ROUTER-SERVICES"}));

    daemon.process().signal(SIGTERM);
    const auto status = daemon.process().wait_for(60s);
    ASSERT_TRUE(status.has_value()) << daemon.log();
    EXPECT_EQ(status->code, 0) << daemon.log();
  }
  // Stopping keeps the service: traffic flows while kube-router restarts.
  ASSERT_TRUE(cluster_ip_service(netns).has_value());

  const RunResult cleanup = netns.run({kube_router_binary(), "--cleanup-config"});
  EXPECT_EQ(cleanup.status.code, 0) << cleanup.err;
  EXPECT_EQ(ipvs_service_count(netns), 0u);
  EXPECT_FALSE(netns.run({"ip", "link", "show", "kube-dummy-if"}).ok());
  EXPECT_NE(cleanup.err.find("IPVS services"), std::string::npos) << cleanup.err;
  EXPECT_NE(cleanup.err.find("link kube-dummy-if"), std::string::npos) << cleanup.err;
  const std::string sets = netns.run({"ipset", "list", "-n"}).out;
  EXPECT_EQ(sets.find("kube-router-"), std::string::npos) << sets;
}

}  // namespace
}  // namespace kr::test
