// The controller end to end against fakes (proxy.md §3): events program only the Service they
// touch; deletions clean up; a resync repairs what was changed behind its back.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "controllers/proxy/service_proxy_controller.h"
#include "fake_ipvs.h"
#include "fake_kernel.h"
#include "fixtures.h"
#include "options/kube_router_config.h"

namespace kr::proxy {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using testing::EndpointSpec;
using testing::FakeDummy;
using testing::FakeFirewall;
using testing::FakeIpvs;
using ::testing::IsEmpty;
using testing::port;
using testing::service;
using testing::slice;
using namespace std::chrono_literals;

constexpr auto kWait = 10s;

struct ControllerTest : ::testing::Test {
  FakeIpvs* kernel = nullptr;
  FakeDummy* dummy = nullptr;
  FakeFirewall* firewall = nullptr;
  MemoryServiceSource* source = nullptr;
  std::vector<std::string> sysctls;
  std::atomic<int> heartbeats{0};
  std::unique_ptr<ServiceProxyController> controller;

  void start(options::Config config = {}) {
    ServiceProxyController::Parts parts;
    auto src = std::make_unique<MemoryServiceSource>();
    auto ipvs = std::make_unique<FakeIpvs>();
    auto dum = std::make_unique<FakeDummy>();
    auto fw = std::make_unique<FakeFirewall>();
    source = src.get();
    kernel = ipvs.get();
    dummy = dum.get();
    firewall = fw.get();
    parts.source = std::move(src);
    parts.ipvs = std::move(ipvs);
    parts.dummy = std::move(dum);
    parts.firewall = std::move(fw);
    parts.interface_addresses = [] {
      return std::vector<InterfaceAddress>{{"lo", IpAddress::must_parse("127.0.0.1")},
                                           {"eth0", IpAddress::must_parse("192.168.1.10")}};
    };
    parts.read_sysctl = [](std::string_view) { return std::optional<std::string>("1"); };
    parts.heartbeat = [this] { ++heartbeats; };
    parts.write_sysctl = [this](std::string_view n, std::string_view v) {
      sysctls.push_back(std::string(n) + "=" + std::string(v));
    };
    controller = std::make_unique<ServiceProxyController>(config, testing::node_a(), nullptr,
                                                          std::move(parts));
  }
  ~ControllerTest() override {
    if (controller) controller->stop();
  }

  void put_web(std::vector<EndpointSpec> endpoints) {
    source->put(std::make_shared<const k8s::Service>(
        service("default", "web", {"10.96.0.50"}, {port("http", 80, "TCP", 30080)})));
    source->put(slice("default", "web-1", "web", {{"http", 8080}}, std::move(endpoints)));
  }
  void put_dns() {
    source->put(std::make_shared<const k8s::Service>(
        service("kube-system", "dns", {"10.96.0.10"}, {port("dns", 53, "UDP")})));
    source->put(slice("kube-system", "dns-1", "dns", {{"dns", 53}}, {{.ip = "10.244.1.2"}}));
  }
};

TEST_F(ControllerTest, FirstPassProgramsEverything) {
  start();
  put_web({{.ip = "10.244.1.5"}});
  put_dns();
  controller->start();
  ASSERT_TRUE(controller->wait_until_programmed(kWait));
  EXPECT_THAT(kernel->table(), ElementsAre("10.96.0.10:53/udp rr -> 10.244.1.2:53 w1",
                                           "10.96.0.50:80/tcp rr -> 10.244.1.5:8080 w1",
                                           "192.168.1.10:30080/tcp rr -> 10.244.1.5:8080 w1"));
  EXPECT_THAT(testing::texts({dummy->addresses.begin(), dummy->addresses.end()}),
              ElementsAre("10.96.0.10", "10.96.0.50"));
  const auto& v4 = firewall->families[0];
  EXPECT_THAT(v4.sets.ips, ElementsAre("10.96.0.10", "10.96.0.50", "192.168.1.10"));
  EXPECT_THAT(v4.sets.ports,
              ElementsAre("10.96.0.10,udp:53", "10.96.0.50,tcp:80", "192.168.1.10,tcp:30080"));
  EXPECT_EQ(v4.local_ips, 2u);
  EXPECT_EQ(v4.services_chain.size(), 5u);
  EXPECT_EQ(v4.masquerade.size(), 1u);
  // The filter rules refer to the sets, so the sets come first.
  EXPECT_THAT(firewall->log, ElementsAre("sets IPv4 read", "filter IPv4", "nat IPv4 read"));
  EXPECT_THAT(sysctls, Contains("net.ipv4.vs.conntrack=1"));
  EXPECT_THAT(sysctls, Contains("net/ipv4/conf/eth0/rp_filter=2"));
}

TEST_F(ControllerTest, AnEndpointChangeReprogramsOnlyItsService) {
  start();
  put_web({{.ip = "10.244.1.5"}});
  put_dns();
  controller->start();
  ASSERT_TRUE(controller->wait_until_programmed(kWait));
  kernel->take_log();
  firewall->log.clear();
  dummy->log.clear();
  const auto before = controller->stats();

  source->put(slice("default", "web-1", "web", {{"http", 8080}},
                    {{.ip = "10.244.1.5"}, {.ip = "10.244.2.7", .node = "node-b"}}));
  ASSERT_TRUE(controller->wait_until_programmed(kWait));
  EXPECT_THAT(kernel->take_log(),
              ElementsAre("add-dest 10.96.0.50:80/tcp 10.244.2.7:8080 w1",
                          "add-dest 192.168.1.10:30080/tcp 10.244.2.7:8080 w1"));
  EXPECT_THAT(firewall->log, IsEmpty());  // no ipset or iptables work for an endpoint change
  EXPECT_THAT(dummy->log, IsEmpty());
  const auto after = controller->stats();
  EXPECT_EQ(after.services_recomputed - before.services_recomputed, 1u);
  EXPECT_EQ(after.full_passes, before.full_passes);
}

TEST_F(ControllerTest, DeletingAServiceRemovesItsVipServicesAndSetEntries) {
  start();
  put_web({{.ip = "10.244.1.5"}});
  put_dns();
  controller->start();
  ASSERT_TRUE(controller->wait_until_programmed(kWait));
  firewall->log.clear();
  source->remove_service("default", "web");
  ASSERT_TRUE(controller->wait_until_programmed(kWait));
  EXPECT_THAT(kernel->table(), ElementsAre("10.96.0.10:53/udp rr -> 10.244.1.2:53 w1"));
  EXPECT_THAT(testing::texts({dummy->addresses.begin(), dummy->addresses.end()}),
              ElementsAre("10.96.0.10"));
  EXPECT_THAT(firewall->log, ElementsAre("sets IPv4"));
  EXPECT_THAT(firewall->families[0].sets.ports, ElementsAre("10.96.0.10,udp:53"));
}

TEST_F(ControllerTest, HairpinAnnotationUpdatesOnlyTheNatRules) {
  start();
  put_web({{.ip = "10.244.1.5"}});
  controller->start();
  ASSERT_TRUE(controller->wait_until_programmed(kWait));
  firewall->log.clear();
  auto s = service("default", "web", {"10.96.0.50"}, {port("http", 80, "TCP", 30080)});
  s.meta.annotations.set("kube-router.io/service.hairpin", "");
  source->put(std::make_shared<const k8s::Service>(s));
  ASSERT_TRUE(controller->wait_until_programmed(kWait));
  EXPECT_THAT(firewall->log, ElementsAre("nat IPv4"));
  EXPECT_EQ(firewall->families[0].hairpin.size(), 2u);  // cluster IP and node port
}

TEST_F(ControllerTest, ResyncRepairsDrift) {
  start();
  put_web({{.ip = "10.244.1.5"}});
  controller->start();
  ASSERT_TRUE(controller->wait_until_programmed(kWait));
  kernel->flush();
  dummy->addresses.clear();
  ASSERT_TRUE(controller->resync(kWait));
  EXPECT_THAT(kernel->table(), ElementsAre("10.96.0.50:80/tcp rr -> 10.244.1.5:8080 w1",
                                           "192.168.1.10:30080/tcp rr -> 10.244.1.5:8080 w1"));
  EXPECT_THAT(testing::texts({dummy->addresses.begin(), dummy->addresses.end()}),
              ElementsAre("10.96.0.50"));
}

TEST_F(ControllerTest, HeartbeatsBeforeAndAfterEverySyncButTheFirst) {
  start();
  put_web({{.ip = "10.244.1.5"}});
  controller->start();
  ASSERT_TRUE(controller->wait_until_programmed(kWait));
  EXPECT_EQ(heartbeats.load(), 0);  // upstream sends none for its initial sync
  source->put(slice("default", "web-1", "web", {{"http", 8080}}, {{.ip = "10.244.1.6"}}));
  ASSERT_TRUE(controller->wait_until_programmed(kWait));
  EXPECT_EQ(heartbeats.load(), 2);
}

TEST_F(ControllerTest, BadFlagsAreRejectedAtConstruction) {
  options::Config config;
  config.excluded_cidrs = {"nope"};
  EXPECT_THROW(start(config), std::invalid_argument);
}

}  // namespace
}  // namespace kr::proxy
