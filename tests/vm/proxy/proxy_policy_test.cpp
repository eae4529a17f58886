// Traffic policies and hairpin with real traffic (VM tier): externalTrafficPolicy Local keeps
// external traffic on local endpoints and the health-check port says whether there are any;
// hairpin lets an endpoint reach itself through its Service only when enabled.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "proxy_lab.h"
#include "vm_guard.h"

namespace kr::proxy::vmtest {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::StartsWith;

// The health-check server listens in the lab's own node namespace, so any port is free there.
constexpr std::uint16_t kHealthPort = 32001;

std::shared_ptr<k8s::Service> local_lb() {
  auto s = make_service("lb", {"10.96.0.60"}, {service_port("http", 80, "TCP", 30090)});
  s->type = k8s::Interned("LoadBalancer");
  s->external_traffic_policy = k8s::Interned("Local");
  s->health_check_node_port = kHealthPort;
  k8s::LoadBalancerIngress lb;
  lb.ip = "203.0.113.8";
  s->load_balancer_ingress = {lb};
  return s;
}

TEST(ProxyPolicy, ExternalTrafficPolicyLocalAndItsHealthCheck) {
  KR_REQUIRE_IPVS_VM();
  ProxyLab lab({.local_pods = 1, .remote_pods = 1});
  lab.source().put(std::shared_ptr<const k8s::Service>(local_lb()));
  lab.source().put(make_slice("lb-1", "lb", "http",
                              {{ProxyLab::local_ip(0)}, {ProxyLab::remote_ip(0), "node-b"}}));
  lab.start();

  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(lab.ask(lab.client(), "192.168.1.10", 30090), "local0");
    EXPECT_EQ(lab.ask(lab.client(), "203.0.113.8", 80), "local0");
  }
  std::string health = lab.http_get(lab.client(), "192.168.1.10", kHealthPort, "/healthz");
  EXPECT_THAT(health, StartsWith("HTTP/1.0 200"));
  EXPECT_THAT(health, HasSubstr("1 Service Endpoints found"));

  // The local endpoint goes: no external traffic for this node, and the load balancer's health
  // check is told so; the ClusterIP still reaches the remote endpoint.
  lab.source().put(make_slice("lb-1", "lb", "http", {{ProxyLab::remote_ip(0), "node-b"}}));
  lab.programmed();
  EXPECT_EQ(lab.ask(lab.client(), "192.168.1.10", 30090, kRefusedWait), std::nullopt);
  EXPECT_EQ(lab.ask(lab.client(), "203.0.113.8", 80, kRefusedWait), std::nullopt);
  health = lab.http_get(lab.client(), "192.168.1.10", kHealthPort, "/healthz");
  EXPECT_THAT(health, StartsWith("HTTP/1.0 503"));
  EXPECT_THAT(health, HasSubstr("No Service Endpoints Found"));
  EXPECT_EQ(lab.ask(lab.node(), "10.96.0.60", 80), "remote0");
}

TEST(ProxyPolicy, HairpinOnlyWhenEnabled) {
  KR_REQUIRE_IPVS_VM();
  ProxyLab lab({.local_pods = 1, .remote_pods = 0});
  auto s = make_service("self", {"10.96.0.70"}, {service_port("http", 80)});
  lab.source().put(std::shared_ptr<const k8s::Service>(s));
  lab.source().put(make_slice("self-1", "self", "http", {{ProxyLab::local_ip(0)}}));
  lab.start();
  // Without hairpin the pod's own packet comes back with its own address as source and is
  // dropped.
  EXPECT_EQ(lab.ask(lab.local_pod(0), "10.96.0.70", 80, kRefusedWait), std::nullopt);

  auto hairpin = std::make_shared<k8s::Service>(*s);
  hairpin->meta.annotations.set("kube-router.io/service.hairpin", "");
  lab.source().put(std::shared_ptr<const k8s::Service>(hairpin));
  lab.programmed();
  EXPECT_EQ(lab.ask(lab.local_pod(0), "10.96.0.70", 80), "local0");
  // The pod sees the connection coming from the VIP.
  EXPECT_EQ(lab.servers().peers("local0").back(), "10.96.0.70");
  // The rule reads back exactly as the proxy builds it (so full resyncs find nothing to do).
  EXPECT_THAT(lab.node_output({"iptables-save", "-t", "nat"}),
              HasSubstr("\n-A KUBE-ROUTER-HAIRPIN -s 10.244.1.10/32 -d 10.244.1.10/32 -m ipvs "
                        "--vaddr 10.96.0.70 --vport 80 -j SNAT --to-source 10.96.0.70\n"));

  lab.source().put(std::shared_ptr<const k8s::Service>(s));
  lab.programmed();
  EXPECT_EQ(lab.ask(lab.local_pod(0), "10.96.0.70", 80, kRefusedWait), std::nullopt);
  EXPECT_THAT(lab.node_output({"iptables-save", "-t", "nat"}),
              ::testing::Not(HasSubstr("KUBE-ROUTER-HAIRPIN")));
}

}  // namespace
}  // namespace kr::proxy::vmtest
