// Real traffic through the proxy (VM tier): clients in pod, node and outside namespaces reach
// backends through ClusterIPs, NodePorts, an externalIP and a LoadBalancer IP, over IPv4 and
// IPv6; round robin spreads, source hashing and ClientIP affinity stick.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "proxy_lab.h"
#include "vm_guard.h"

namespace kr::proxy::vmtest {
namespace {

using ::testing::ElementsAre;
using ::testing::Optional;

std::shared_ptr<k8s::Service> web() {
  auto s =
      make_service("web", {"10.96.0.50", "fd00:96::50"}, {service_port("http", 80, "TCP", 30080)});
  s->type = k8s::Interned("LoadBalancer");
  s->external_ips = {"198.51.100.5"};
  k8s::LoadBalancerIngress lb;
  lb.ip = "203.0.113.7";
  s->load_balancer_ingress = {lb};
  return s;
}

void put_web(ProxyLab& lab) {
  lab.source().put(std::shared_ptr<const k8s::Service>(web()));
  lab.source().put(
      make_slice("web-v4", "web", "http", {{ProxyLab::local_ip(0)}, {ProxyLab::local_ip(1)}}));
  lab.source().put(make_slice("web-v6", "web", "http",
                              {{ProxyLab::local_ip(0, true)}, {ProxyLab::local_ip(1, true)}}));
}

std::set<std::string> answers(const ProxyLab& lab, const test::ScopedNetns& from,
                              const std::string& address, std::uint16_t port, int times) {
  std::set<std::string> names;
  for (int i = 0; i < times; ++i) {
    names.insert(lab.ask(from, address, port).value_or("(no answer)"));
  }
  return names;
}

TEST(ProxyTraffic, EveryKindOfServiceAddressReachesTheBackends) {
  KR_REQUIRE_IPVS_VM();
  ProxyLab lab({});
  put_web(lab);
  lab.start();

  // A pod (on another node's subnet) through the ClusterIP: round robin uses both backends.
  EXPECT_THAT(answers(lab, lab.remote_pod(0), "10.96.0.50", 80, 2),
              ElementsAre("local0", "local1"));
  // The node itself: the VIP's local route gives it the node IP as source (proxy.md §4.5).
  for (const auto& [vip, node_ip] :
       {std::pair{"10.96.0.50", "192.168.1.10"}, std::pair{"fd00:96::50", "fd00:1::10"}}) {
    const auto backend = lab.ask(lab.node(), vip, 80);
    ASSERT_THAT(backend, Optional(::testing::StartsWith("local")))
        << vip << "\n"
        << lab.node_output({"ip", "route", "show", "table", "all", "dev", "kube-dummy-if"})
        << lab.node_output({"ip", "-6", "route", "show", "table", "all", "dev", "kube-dummy-if"});
    EXPECT_EQ(lab.servers().peers(*backend).back(), node_ip) << vip;
  }
  // From outside: NodePort on the node IP, the externalIP and the LoadBalancer IP.
  EXPECT_THAT(lab.ask(lab.client(), "192.168.1.10", 30080),
              Optional(::testing::StartsWith("local")));
  EXPECT_THAT(lab.ask(lab.client(), "198.51.100.5", 80), Optional(::testing::StartsWith("local")));
  EXPECT_THAT(lab.ask(lab.client(), "203.0.113.7", 80), Optional(::testing::StartsWith("local")));
  // IPv6: the dual-stack Service's v6 ClusterIP and NodePort.
  EXPECT_THAT(lab.ask(lab.remote_pod(0), "fd00:96::50", 80),
              Optional(::testing::StartsWith("local")));
  EXPECT_THAT(lab.ask(lab.client(), "fd00:1::10", 30080), Optional(::testing::StartsWith("local")));
  // The IPVS firewall rejects other ports of a VIP.
  EXPECT_EQ(lab.ask(lab.client(), "10.96.0.50", 22, kRefusedWait), std::nullopt);
  // The VIPs sit on kube-dummy-if (NodePort addresses do not).
  EXPECT_THAT(lab.node_output({"ip", "-o", "addr", "show", "dev", "kube-dummy-if"}),
              ::testing::AllOf(
                  ::testing::HasSubstr("10.96.0.50/32"), ::testing::HasSubstr("fd00:96::50/128"),
                  ::testing::HasSubstr("198.51.100.5/32"), ::testing::HasSubstr("203.0.113.7/32")));
}

TEST(ProxyTraffic, NodePortOnEveryNodeAddressWithBindOnAllIps) {
  KR_REQUIRE_IPVS_VM();
  ProxyLab lab({});
  put_web(lab);
  auto config = ProxyLab::default_config();
  config.nodeport_bindon_all_ip = true;
  lab.start(config);
  EXPECT_THAT(lab.ask(lab.client(), "192.168.1.10", 30080),
              Optional(::testing::StartsWith("local")));
  EXPECT_THAT(lab.ask(lab.client2(), "172.16.0.10", 30080),
              Optional(::testing::StartsWith("local")));
  EXPECT_THAT(lab.ask(lab.client(), "fd00:1::10", 30080), Optional(::testing::StartsWith("local")));
  // Loopback gets its virtual service as upstream makes it, but IPVS-forwarded packets with
  // source 127.0.0.1 cannot leave the node, so it is not tried with traffic.
  std::set<std::string> addresses;
  for (const auto& s : lab.ipvs()->list_services()) {
    if (s.key.port == 30080) addresses.insert(s.key.address.to_string());
  }
  EXPECT_THAT(addresses,
              ::testing::IsSupersetOf({"127.0.0.1", "172.16.0.10", "192.168.1.10", "fd00:1::10"}));
}

TEST(ProxyTraffic, SourceHashingAndClientIpAffinityStick) {
  KR_REQUIRE_IPVS_VM();
  ProxyLab lab({});
  auto sh = make_service("hashed", {"10.96.0.51"}, {service_port("http", 80)});
  sh->meta.annotations.set("kube-router.io/service.scheduler", "sh");
  auto affinity = make_service("sticky", {"10.96.0.52"}, {service_port("http", 80)});
  affinity->session_affinity = k8s::Interned("ClientIP");
  affinity->session_affinity_timeout_seconds = 600;
  lab.source().put(std::shared_ptr<const k8s::Service>(sh));
  lab.source().put(std::shared_ptr<const k8s::Service>(affinity));
  for (const std::string name : {"hashed", "sticky"}) {
    lab.source().put(
        make_slice(name + "-1", name, "http", {{ProxyLab::local_ip(0)}, {ProxyLab::local_ip(1)}}));
  }
  lab.start();
  EXPECT_EQ(answers(lab, lab.client(), "10.96.0.51", 80, 3).size(), 1u);
  EXPECT_EQ(answers(lab, lab.client(), "10.96.0.52", 80, 3).size(), 1u);
  const auto services = lab.ipvs()->list_services();
  const auto sticky = std::find_if(services.begin(), services.end(), [](const ipvs::Service& s) {
    return s.key.address.to_string() == "10.96.0.52";
  });
  ASSERT_NE(sticky, services.end());
  EXPECT_TRUE(sticky->flags & ipvs::flags::kPersistent);
  EXPECT_EQ(sticky->timeout, 600u);
}

}  // namespace
}  // namespace kr::proxy::vmtest
