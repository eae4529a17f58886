// Applying the desired table to IPVS (proxy.md §4.1, §4.7, §9): full passes that read and
// repair the kernel, incremental passes that touch only what changed, graceful termination.
#include "controllers/proxy/ipvs_sync.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "fake_ipvs.h"
#include "fixtures.h"

namespace kr::proxy {
namespace {

using testing::build;
using ::testing::ElementsAre;
using testing::EndpointSpec;
using testing::FakeIpvs;
using ::testing::IsEmpty;
using testing::port;
using testing::service;
using testing::slice;
using ::testing::UnorderedElementsAre;
using Clock = IpvsSync::Clock;
using namespace std::chrono_literals;

const ServiceId kWeb{"default", "web"};
const ServiceId kDns{"kube-system", "dns"};

ServiceState web(std::vector<EndpointSpec> endpoints) {
  auto s = service("default", "web", {"10.96.0.50"}, {port("http", 80)});
  return build(s, {slice("default", "web-1", "web", {{"http", 8080}}, std::move(endpoints))});
}

ServiceState dns(std::vector<EndpointSpec> endpoints) {
  auto s = service("kube-system", "dns", {"10.96.0.10"}, {port("dns", 53, "UDP")});
  return build(s, {slice("kube-system", "dns-1", "dns", {{"dns", 53}}, std::move(endpoints))});
}

ipvs::Service foreign(std::string_view address, std::uint16_t port) {
  ipvs::Service s;
  s.key.address = IpAddress::must_parse(address);
  s.key.port = port;
  return s;
}

struct IpvsSyncTest : ::testing::Test {
  FakeIpvs kernel;
  DesiredTable desired;
  std::vector<std::string> udp_flushes;
  Clock::time_point t0 = Clock::now();

  IpvsSync make(bool graceful = false, std::vector<Cidr> excluded = {}) {
    return IpvsSync(kernel,
                    {.graceful_termination = graceful,
                     .excluded_cidrs = std::move(excluded),
                     .grace_for = [](const IpAddress&) { return 30s; },
                     .udp_destination_removed =
                         [this](const VipKey& k) { udp_flushes.push_back(k.to_string()); }});
  }
  std::vector<VipKey> set(const ServiceId& id, ServiceState state) {
    return desired.set(id, std::move(state)).virtual_services;
  }
};

TEST_F(IpvsSyncTest, FullSyncProgramsTheTableAndASecondOneChangesNothing) {
  set(kWeb, web({{.ip = "10.244.1.5"}, {.ip = "10.244.2.7", .node = "node-b"}}));
  set(kDns, dns({{.ip = "10.244.1.2"}}));
  auto sync = make();
  const auto report = sync.full_sync(desired, t0);
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.services_added, 2u);
  EXPECT_EQ(report.destinations_added, 3u);
  EXPECT_THAT(kernel.table(),
              ElementsAre("10.96.0.10:53/udp rr -> 10.244.1.2:53 w1",
                          "10.96.0.50:80/tcp rr -> 10.244.1.5:8080 w1,10.244.2.7:8080 w1"));
  kernel.take_log();
  EXPECT_EQ(sync.full_sync(desired, t0).changes(), 0u);
  EXPECT_THAT(kernel.take_log(), IsEmpty());
}

TEST_F(IpvsSyncTest, FullSyncRemovesOtherServicesUnlessExcluded) {
  kernel.add_service(foreign("192.0.2.1", 80));
  kernel.add_service(foreign("10.200.0.5", 443));
  ipvs::Service mark;
  mark.key.fwmark = 77;
  mark.key.family = AF_INET;
  kernel.add_service(mark);
  set(kWeb, web({}));
  auto sync = make(false, {*Cidr::parse("10.200.0.0/16")});
  EXPECT_TRUE(sync.full_sync(desired, t0).ok());
  EXPECT_THAT(kernel.table(), ElementsAre("10.200.0.5:443/tcp rr ->", "10.96.0.50:80/tcp rr ->"));
}

TEST_F(IpvsSyncTest, FullSyncRepairsDrift) {
  set(kWeb, web({{.ip = "10.244.1.5"}, {.ip = "10.244.2.7", .node = "node-b"}}));
  auto sync = make();
  sync.full_sync(desired, t0);
  // Behind our back: one destination deleted, a foreign one added, the scheduler changed.
  const auto key = foreign("10.96.0.50", 80).key;
  ipvs::Destination gone;
  gone.address = IpAddress::must_parse("10.244.1.5");
  gone.port = 8080;
  kernel.remove_destination(key, gone);
  ipvs::Destination extra = gone;
  extra.address = IpAddress::must_parse("10.244.9.9");
  kernel.add_destination(key, extra);
  auto changed = foreign("10.96.0.50", 80);
  changed.scheduler = "wlc";
  kernel.update_service(changed);

  // An incremental pass trusts its memory and sees nothing to do...
  EXPECT_EQ(sync.sync(desired, {}, t0).changes(), 0u);
  // ...the periodic full pass repairs everything.
  EXPECT_TRUE(sync.full_sync(desired, t0).ok());
  EXPECT_THAT(kernel.table(),
              ElementsAre("10.96.0.50:80/tcp rr -> 10.244.1.5:8080 w1,10.244.2.7:8080 w1"));
}

TEST_F(IpvsSyncTest, AnEndpointChangeTouchesOnlyItsVirtualService) {
  set(kWeb, web({{.ip = "10.244.1.5"}}));
  set(kDns, dns({{.ip = "10.244.1.2"}}));
  auto sync = make();
  sync.full_sync(desired, t0);
  kernel.take_log();
  const int lists_before = kernel.list_destination_calls;

  const auto keys = set(kWeb, web({{.ip = "10.244.1.5"}, {.ip = "10.244.2.7", .node = "node-b"}}));
  const auto report = sync.sync(desired, keys, t0);
  EXPECT_TRUE(report.ok());
  EXPECT_THAT(kernel.take_log(), ElementsAre("add-dest 10.96.0.50:80/tcp 10.244.2.7:8080 w1"));
  EXPECT_EQ(kernel.list_destination_calls, lists_before);  // no kernel reads

  const auto removed = set(kWeb, web({{.ip = "10.244.2.7", .node = "node-b"}}));
  sync.sync(desired, removed, t0);
  EXPECT_THAT(kernel.take_log(), ElementsAre("remove-dest 10.96.0.50:80/tcp 10.244.1.5:8080"));
  EXPECT_THAT(udp_flushes, IsEmpty());  // TCP
}

TEST_F(IpvsSyncTest, SchedulerAndAffinityChangesUpdateTheService) {
  set(kWeb, web({{.ip = "10.244.1.5"}}));
  auto sync = make();
  sync.full_sync(desired, t0);
  kernel.take_log();
  auto s = service("default", "web", {"10.96.0.50"}, {port("http", 80)});
  s.session_affinity = k8s::Interned("ClientIP");
  s.meta.annotations.set("kube-router.io/service.scheduler", "sh");
  const auto keys = set(
      kWeb, build(s, {slice("default", "web-1", "web", {{"http", 8080}}, {{.ip = "10.244.1.5"}})}));
  sync.sync(desired, keys, t0);
  EXPECT_THAT(kernel.take_log(), ElementsAre("update-svc 10.96.0.50:80/tcp sh"));
  EXPECT_THAT(kernel.table(),
              ElementsAre("10.96.0.50:80/tcp sh persistent 10800 -> 10.244.1.5:8080 w1"));
}

TEST_F(IpvsSyncTest, DeletedServiceIsRemovedButAServiceWithoutEndpointsIsKept) {
  set(kWeb, web({{.ip = "10.244.1.5"}}));
  set(kDns, dns({{.ip = "10.244.1.2"}}));
  auto sync = make();
  sync.full_sync(desired, t0);
  auto keys = set(kWeb, web({}));
  auto more = desired.erase(kDns).virtual_services;
  keys.insert(keys.end(), more.begin(), more.end());
  sync.sync(desired, keys, t0);
  EXPECT_THAT(kernel.table(), ElementsAre("10.96.0.50:80/tcp rr ->"));
  EXPECT_THAT(udp_flushes, ElementsAre());  // a deleted service needs no conntrack flush
}

TEST_F(IpvsSyncTest, UdpDestinationRemovalFlushesConntrack) {
  set(kDns, dns({{.ip = "10.244.1.2"}, {.ip = "10.244.1.3"}}));
  auto sync = make();
  sync.full_sync(desired, t0);
  sync.sync(desired, set(kDns, dns({{.ip = "10.244.1.3"}})), t0);
  EXPECT_THAT(udp_flushes, ElementsAre("10.96.0.10:53/udp"));
}

TEST_F(IpvsSyncTest, KernelStateDifferentFromMemoryIsResolved) {
  set(kWeb, web({{.ip = "10.244.1.5"}}));
  auto sync = make();
  sync.full_sync(desired, t0);
  kernel.flush();  // someone ran ipvsadm -C
  const auto keys = set(kWeb, web({{.ip = "10.244.1.5"}, {.ip = "10.244.1.6"}}));
  const auto report = sync.sync(desired, keys, t0);
  // The kernel answered "no such service": the whole virtual service is re-created at once.
  EXPECT_TRUE(report.ok());
  EXPECT_THAT(kernel.table(),
              ElementsAre("10.96.0.50:80/tcp rr -> 10.244.1.5:8080 w1,10.244.1.6:8080 w1"));
}

TEST_F(IpvsSyncTest, FailedChangesAreRetriedOnTheNextPass) {
  set(kWeb, web({{.ip = "10.244.1.5"}}));
  set(kDns, dns({{.ip = "10.244.1.2"}}));
  kernel.failing = {"10.96.0.50:80/tcp"};
  auto sync = make();
  const auto report = sync.full_sync(desired, t0);
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(sync.has_retries());
  EXPECT_THAT(kernel.table(), ElementsAre("10.96.0.10:53/udp rr -> 10.244.1.2:53 w1"));
  kernel.failing.clear();
  EXPECT_TRUE(sync.sync(desired, {}, t0).ok());  // no new event, the retry alone
  EXPECT_FALSE(sync.has_retries());
  EXPECT_THAT(kernel.table(), ElementsAre("10.96.0.10:53/udp rr -> 10.244.1.2:53 w1",
                                          "10.96.0.50:80/tcp rr -> 10.244.1.5:8080 w1"));
}

TEST_F(IpvsSyncTest, GracefulTerminationDrainsThenDeletes) {
  set(kWeb, web({{.ip = "10.244.1.5"}, {.ip = "10.244.1.6"}}));
  auto sync = make(/*graceful=*/true);
  sync.full_sync(desired, t0);
  sync.sync(desired, set(kWeb, web({{.ip = "10.244.1.6"}})), t0);
  // Weight 0: no new connections, established ones continue.
  EXPECT_THAT(kernel.table(),
              ElementsAre("10.96.0.50:80/tcp rr -> 10.244.1.5:8080 w0,10.244.1.6:8080 w1"));
  EXPECT_EQ(sync.draining().size(), 1u);

  kernel.set_connections("10.96.0.50:80/tcp", "10.244.1.5:8080", 1, 0);
  sync.expire_draining(t0 + 5s);
  EXPECT_EQ(sync.draining().size(), 1u);  // still has a connection
  // A full pass keeps the draining destination at weight 0.
  sync.full_sync(desired, t0 + 6s);
  EXPECT_THAT(kernel.table(),
              ElementsAre("10.96.0.50:80/tcp rr -> 10.244.1.5:8080 w0,10.244.1.6:8080 w1"));

  kernel.set_connections("10.96.0.50:80/tcp", "10.244.1.5:8080", 0, 0);
  sync.expire_draining(t0 + 10s);
  EXPECT_TRUE(sync.draining().empty());
  EXPECT_THAT(kernel.table(), ElementsAre("10.96.0.50:80/tcp rr -> 10.244.1.6:8080 w1"));
}

TEST_F(IpvsSyncTest, GracePeriodEndsDraining) {
  set(kWeb, web({{.ip = "10.244.1.5"}, {.ip = "10.244.1.6"}}));
  auto sync = make(/*graceful=*/true);
  sync.full_sync(desired, t0);
  sync.sync(desired, set(kWeb, web({{.ip = "10.244.1.6"}})), t0);
  kernel.set_connections("10.96.0.50:80/tcp", "10.244.1.5:8080", 3, 2);
  sync.expire_draining(t0 + 30s);
  EXPECT_EQ(sync.draining().size(), 1u);  // grace_for gave 30 s
  sync.expire_draining(t0 + 31s);
  EXPECT_TRUE(sync.draining().empty());
  EXPECT_THAT(kernel.table(), ElementsAre("10.96.0.50:80/tcp rr -> 10.244.1.6:8080 w1"));
}

TEST_F(IpvsSyncTest, AnEndpointComingBackStopsDraining) {
  set(kWeb, web({{.ip = "10.244.1.5"}, {.ip = "10.244.1.6"}}));
  auto sync = make(/*graceful=*/true);
  sync.full_sync(desired, t0);
  sync.sync(desired, set(kWeb, web({{.ip = "10.244.1.6"}})), t0);
  kernel.take_log();
  sync.sync(desired, set(kWeb, web({{.ip = "10.244.1.5"}, {.ip = "10.244.1.6"}})), t0 + 1s);
  EXPECT_THAT(kernel.take_log(), ElementsAre("update-dest 10.96.0.50:80/tcp 10.244.1.5:8080 w1"));
  EXPECT_TRUE(sync.draining().empty());
  sync.expire_draining(t0 + 60s);
  EXPECT_THAT(kernel.table(),
              ElementsAre("10.96.0.50:80/tcp rr -> 10.244.1.5:8080 w1,10.244.1.6:8080 w1"));
}

TEST_F(IpvsSyncTest, WeightZeroDestinationsFoundAtStartDrainToo) {
  set(kWeb, web({{.ip = "10.244.1.6"}}));
  ipvs::Service svc = foreign("10.96.0.50", 80);
  kernel.add_service(svc);
  ipvs::Destination left;
  left.address = IpAddress::must_parse("10.244.1.5");
  left.port = 8080;
  left.weight = 0;
  kernel.add_destination(svc.key, left);
  auto sync = make(/*graceful=*/true);
  sync.full_sync(desired, t0);
  EXPECT_EQ(sync.draining().size(), 1u);
  sync.expire_draining(t0 + 1s);  // no connections
  EXPECT_THAT(kernel.table(), ElementsAre("10.96.0.50:80/tcp rr -> 10.244.1.6:8080 w1"));
}

}  // namespace
}  // namespace kr::proxy
