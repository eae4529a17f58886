// Changes over time with real traffic (VM tier): graceful termination keeps an open connection
// until it drains, an endpoint change touches only its own Service, and --cleanup-config
// removes everything the proxy made.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <thread>

#include "controllers/proxy/proxy_cleanup.h"
#include "proxy_lab.h"
#include "vm_guard.h"

namespace kr::proxy::vmtest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::optional<ipvs::Destination> destination(const ProxyLab& lab, const std::string& vip,
                                             const std::string& ip) {
  ipvs::ServiceKey key;
  key.address = IpAddress::must_parse(vip);
  key.port = 80;
  for (const auto& d : lab.ipvs()->list_destinations(key)) {
    if (d.address.to_string() == ip) return d;
  }
  return std::nullopt;
}

TEST(ProxyLifecycle, GracefulTerminationKeepsTheOpenConnectionUntilItDrains) {
  KR_REQUIRE_IPVS_VM();
  ProxyLab lab({.local_pods = 2, .remote_pods = 0});
  lab.source().put(std::shared_ptr<const k8s::Service>(
      make_service("drain", {"10.96.0.80"}, {service_port("http", 80)})));
  lab.source().put(
      make_slice("drain-1", "drain", "http", {{ProxyLab::local_ip(0)}, {ProxyLab::local_ip(1)}}));
  auto config = ProxyLab::default_config();
  config.ipvs_graceful_termination = true;
  config.ipvs_graceful_period = std::chrono::seconds(120);
  config.service_tcpfin_timeout = std::chrono::seconds(2);  // closed connections expire fast
  lab.start(config);

  std::string held_by;
  Fd held = lab.open(lab.client(), "10.96.0.80", 80, held_by);
  ASSERT_TRUE(held.valid());
  const int gone = held_by == "local0" ? 0 : 1;
  const std::string other = "local" + std::to_string(1 - gone);
  lab.source().put(make_slice("drain-1", "drain", "http", {{ProxyLab::local_ip(1 - gone)}}));
  lab.programmed();

  // Weight 0: still there for the open connection, which keeps working; new ones go elsewhere.
  const auto draining = destination(lab, "10.96.0.80", ProxyLab::local_ip(gone));
  ASSERT_TRUE(draining);
  EXPECT_EQ(draining->weight, 0u);
  ASSERT_TRUE(write_all(held, "still here\n"));
  EXPECT_EQ(read_line(held, kConnectWait), "still here");
  EXPECT_EQ(lab.ask(lab.client(), "10.96.0.80", 80), other);
  EXPECT_EQ(lab.ask(lab.client(), "10.96.0.80", 80), other);

  // Once the connection is gone the destination goes, long before the 120 s grace period. The
  // client resets it (a FIN would leave IPVS a TIME_WAIT entry for 2 minutes, which counts as
  // an inactive connection).
  const linger reset{1, 0};
  ASSERT_EQ(::setsockopt(held.get(), SOL_SOCKET, SO_LINGER, &reset, sizeof(reset)), 0);
  held = Fd();
  bool removed = false;
  for (int i = 0; i < 60 && !removed; ++i) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    removed = !destination(lab, "10.96.0.80", ProxyLab::local_ip(gone));
  }
  EXPECT_TRUE(removed) << "the drained destination was not deleted";
  EXPECT_EQ(lab.ipvs()->timeouts().tcp_fin, 2u);  // --service-tcpfin-timeout
}

TEST(ProxyLifecycle, AnEndpointChangeTouchesOnlyItsService) {
  KR_REQUIRE_IPVS_VM();
  ProxyLab lab({.local_pods = 2, .remote_pods = 0});
  for (const auto& [name, ip] : {std::pair{"a", "10.96.0.91"}, std::pair{"b", "10.96.0.92"}}) {
    lab.source().put(
        std::shared_ptr<const k8s::Service>(make_service(name, {ip}, {service_port("http", 80)})));
  }
  lab.source().put(make_slice("a-1", "a", "http", {{ProxyLab::local_ip(0)}}));
  lab.source().put(make_slice("b-1", "b", "http", {{ProxyLab::local_ip(0)}}));
  lab.start();
  std::string name;
  const Fd through_b = lab.open(lab.client(), "10.96.0.92", 80, name);
  ASSERT_EQ(name, "local0");
  const auto before = lab.controller().stats();

  lab.source().put(make_slice("a-1", "a", "http", {{ProxyLab::local_ip(1)}}));
  lab.programmed();
  EXPECT_EQ(lab.ask(lab.client(), "10.96.0.91", 80), "local1");
  const auto after = lab.controller().stats();
  EXPECT_EQ(after.services_recomputed - before.services_recomputed, 1u);
  EXPECT_EQ(after.ipvs_changes - before.ipvs_changes, 2u);  // one add, one remove, both in a
  // b's destination and its established connection are untouched.
  const auto b = destination(lab, "10.96.0.92", ProxyLab::local_ip(0));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->active_connections, 1u);
  ASSERT_TRUE(write_all(through_b, "ping\n"));
  EXPECT_EQ(read_line(through_b, kConnectWait), "ping");
}

TEST(ProxyLifecycle, CleanupConfigLeavesNothingOfOurs) {
  KR_REQUIRE_IPVS_VM();
  ProxyLab lab({.local_pods = 1, .remote_pods = 0});
  auto s =
      make_service("all", {"10.96.0.99", "fd00:96::99"}, {service_port("http", 80, "TCP", 30099)});
  s->meta.annotations.set("kube-router.io/service.hairpin", "");
  s->external_ips = {"198.51.100.9"};
  lab.source().put(std::shared_ptr<const k8s::Service>(s));
  lab.source().put(make_slice("all-1", "all", "http", {{ProxyLab::local_ip(0)}}));
  lab.source().put(make_slice("all-6", "all", "http", {{ProxyLab::local_ip(0, true)}}));
  auto config = ProxyLab::default_config();
  config.masquerade_all = true;
  lab.start(config);
  ASSERT_EQ(lab.ask(lab.client(), "198.51.100.9", 80), "local0");
  ASSERT_THAT(lab.node_output({"iptables-save"}), HasSubstr("KUBE-ROUTER-HAIRPIN"));
  lab.stop();

  EXPECT_TRUE(cleanup_service_proxy(netns_path(lab.node())));
  EXPECT_TRUE(lab.ipvs()->list_services().empty());
  EXPECT_EQ(lab.node_output({"ip", "link", "show", "kube-dummy-if"}), "");
  EXPECT_THAT(lab.node_output({"ipset", "list", "-n"}), Not(HasSubstr("kube-router")));
  for (const char* tool : {"iptables-nft-save", "ip6tables-nft-save", "iptables-legacy-save",
                           "ip6tables-legacy-save"}) {
    const std::string saved = lab.node_output({tool});
    EXPECT_THAT(saved, Not(HasSubstr("KUBE-ROUTER-SERVICES"))) << tool;
    EXPECT_THAT(saved, Not(HasSubstr("KUBE-ROUTER-HAIRPIN"))) << tool;
    EXPECT_THAT(saved, Not(HasSubstr("--vmethod MASQ"))) << tool;
  }
}

}  // namespace
}  // namespace kr::proxy::vmtest
