// IPVS through generic netlink in a fresh namespace under the VM's kernel:
// the services and destinations the proxy creates (proxy.md §4, §8, §9),
// scheduler flags, persistence, timeouts, flush and batched changes, each
// checked against what the kernel lists back.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <algorithm>

#include "kernel/ipvs/kernel_ipvs.h"
#include "kernel/netlink/error.h"
#include "netns_fixture.h"
#include "vm_kernel.h"

namespace kr::test {
namespace {

using ipvs::Change;
using ipvs::Destination;
using ipvs::ForwardMethod;
using ipvs::Protocol;
using ipvs::Service;
using ipvs::ServiceKey;
using ipvs::TunnelType;
using netlink::IpAddress;
using netlink::NetlinkError;
using ::testing::HasSubstr;

ServiceKey key(const char* address, Protocol protocol, std::uint16_t port) {
  ServiceKey key;
  key.address = IpAddress::must_parse(address);
  key.protocol = protocol;
  key.port = port;
  return key;
}

Service service(const ServiceKey& service_key, const char* scheduler = "rr") {
  Service service;
  service.key = service_key;
  service.scheduler = scheduler;
  service.netmask = Service::host_netmask(service_key.address_family());
  return service;
}

Destination destination(const char* address, std::uint16_t port, std::uint32_t weight = 1) {
  Destination destination;
  destination.address = IpAddress::must_parse(address);
  destination.port = port;
  destination.weight = weight;
  return destination;
}

const Service* find(const std::vector<Service>& services, const ServiceKey& wanted) {
  auto it = std::find_if(services.begin(), services.end(),
                         [&](const Service& s) { return s.key == wanted; });
  return it == services.end() ? nullptr : &*it;
}

class IpvsTest : public NetnsTest {
 protected:
  void SetUp() override {
    NetnsTest::SetUp();
    if (IsSkipped()) return;
    try {
      ipvs_ = ipvs::open_kernel_ipvs(netns_path(ns()));
    } catch (const NetlinkError& error) {
      open_error_ = error.what();
    }
    KR_REQUIRE_KERNEL_FEATURE(ipvs_ != nullptr, "IPVS (" + open_error_ + ")");
  }

  std::unique_ptr<ipvs::Ipvs> ipvs_;
  std::string open_error_;
};

TEST_F(IpvsTest, ClusterIpServiceWithMasqueradeDestinations) {
  ServiceKey vip = key("10.96.0.10", Protocol::kTcp, 80);
  ipvs_->add_service(service(vip));
  ipvs_->add_destination(vip, destination("10.244.1.5", 8080));
  ipvs_->add_destination(vip, destination("10.244.2.7", 8080));

  auto services = ipvs_->list_services();
  ASSERT_EQ(services.size(), 1u);
  EXPECT_EQ(services[0].key, vip);
  EXPECT_EQ(services[0].scheduler, "rr");
  EXPECT_EQ(services[0].netmask, 0xffffffffu);
  auto destinations = ipvs_->list_destinations(vip);
  ASSERT_EQ(destinations.size(), 2u);
  for (const auto& d : destinations) {
    EXPECT_EQ(d.forward, ForwardMethod::kMasquerade);
    EXPECT_EQ(d.weight, 1u);
    EXPECT_EQ(d.port, 8080);
    EXPECT_EQ(d.active_connections, 0u);
  }
  std::vector<std::string> addresses;
  for (const auto& d : destinations) addresses.push_back(d.address.to_string());
  EXPECT_THAT(addresses, ::testing::UnorderedElementsAre("10.244.1.5", "10.244.2.7"));
}

TEST_F(IpvsTest, SchedulerFlagsAndPersistenceAreStoredAndUpdated) {
  ServiceKey vip = key("10.96.0.20", Protocol::kUdp, 53);
  Service affinity = service(vip, "sh");
  affinity.flags = ipvs::flags::kPersistent | ipvs::flags::kShFallback | ipvs::flags::kShPort;
  affinity.timeout = 10800;  // sessionAffinityConfig.clientIP.timeoutSeconds default
  ipvs_->add_service(affinity);
  auto after_add = ipvs_->list_services();
  const Service* listed = find(after_add, vip);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->scheduler, "sh");
  EXPECT_EQ(listed->flags & ~ipvs::flags::kHashed, affinity.flags);
  EXPECT_EQ(listed->timeout, 10800u);

  // Persistence per client /24: an IPv4 netmask travels as a mask in network byte order.
  Service per_subnet = affinity;
  per_subnet.netmask = htonl(0xffffff00u);
  ipvs_->update_service(per_subnet);
  auto after_update = ipvs_->list_services();
  listed = find(after_update, vip);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->netmask, htonl(0xffffff00u));

  Service maglev = service(vip, "mh");
  maglev.flags = ipvs::flags::kMhFallback | ipvs::flags::kMhPort;
  ipvs_->update_service(maglev);
  auto services = ipvs_->list_services();
  listed = find(services, vip);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->scheduler, "mh");
  EXPECT_EQ(listed->flags & ~ipvs::flags::kHashed, maglev.flags);
  EXPECT_EQ(listed->flags & ipvs::flags::kPersistent, 0u) << "persistence was turned off";
}

TEST_F(IpvsTest, Ipv6AndFwmarkServicesWithTunnelDestinations) {
  ServiceKey v6 = key("fd00:96::10", Protocol::kSctp, 9000);
  ipvs_->add_service(service(v6));
  ServiceKey dsr;
  dsr.fwmark = 4660;
  dsr.family = AF_INET;
  ipvs_->add_service(service(dsr));
  Destination tunnel = destination("10.244.1.5", 80);
  tunnel.forward = ForwardMethod::kTunnel;  // DSR (proxy.md §8.3)
  ipvs_->add_destination(dsr, tunnel);
  Destination gue = destination("10.244.2.5", 80);
  gue.forward = ForwardMethod::kTunnel;
  gue.tunnel_type = TunnelType::kGue;
  gue.tunnel_port = 5555;
  ipvs_->add_destination(dsr, gue);

  auto services = ipvs_->list_services();
  EXPECT_TRUE(find(services, v6));
  const Service* fwmark = find(services, dsr);
  ASSERT_TRUE(fwmark);
  EXPECT_EQ(fwmark->key.to_string(), "fwmark 4660/inet");
  auto destinations = ipvs_->list_destinations(dsr);
  ASSERT_EQ(destinations.size(), 2u);
  for (const auto& d : destinations) {
    EXPECT_EQ(d.forward, ForwardMethod::kTunnel);
    if (d.address == gue.address) {
      EXPECT_EQ(d.tunnel_type, TunnelType::kGue);
      EXPECT_EQ(d.tunnel_port, 5555);
    } else {
      EXPECT_EQ(d.tunnel_type, TunnelType::kIpip);
    }
  }
  ipvs_->remove_service(dsr);
  EXPECT_FALSE(find(ipvs_->list_services(), dsr));

  ServiceKey routed = key("10.96.0.50", Protocol::kTcp, 80);
  ipvs_->add_service(service(routed));
  Destination direct = destination("10.244.3.5", 80);
  direct.forward = ForwardMethod::kRoute;  // direct routing (ipvsadm -g)
  ipvs_->add_destination(routed, direct);
  auto routed_destinations = ipvs_->list_destinations(routed);
  ASSERT_EQ(routed_destinations.size(), 1u);
  EXPECT_EQ(routed_destinations[0].forward, ForwardMethod::kRoute);
}

TEST_F(IpvsTest, GracefulTerminationSetsWeightZeroThenRemoves) {
  ServiceKey vip = key("10.96.0.30", Protocol::kTcp, 443);
  ipvs_->add_service(service(vip));
  Destination endpoint = destination("10.244.3.3", 8443);
  endpoint.upper_threshold = 100;
  endpoint.lower_threshold = 10;
  ipvs_->add_destination(vip, endpoint);
  endpoint.weight = 0;  // proxy.md §9: quiesce first
  ipvs_->update_destination(vip, endpoint);
  auto destinations = ipvs_->list_destinations(vip);
  ASSERT_EQ(destinations.size(), 1u);
  EXPECT_EQ(destinations[0].weight, 0u);
  EXPECT_EQ(destinations[0].upper_threshold, 100u);
  EXPECT_EQ(destinations[0].lower_threshold, 10u);
  ipvs_->remove_destination(vip, endpoint);
  EXPECT_TRUE(ipvs_->list_destinations(vip).empty());
}

TEST_F(IpvsTest, KernelRefusalsAreNamedErrors) {
  ServiceKey vip = key("10.96.0.40", Protocol::kTcp, 80);
  ipvs_->add_service(service(vip));
  try {
    ipvs_->add_service(service(vip));
    FAIL() << "the same service was added twice";
  } catch (const NetlinkError& error) {
    EXPECT_EQ(error.error(), EEXIST);
    EXPECT_THAT(error.what(), HasSubstr("add IPVS service 10.96.0.40:80/tcp: File exists"));
  }
  try {
    ipvs_->add_service(service(key("10.96.0.41", Protocol::kTcp, 80), "no-such-sched"));
    FAIL() << "an unknown scheduler was accepted";
  } catch (const NetlinkError& error) {
    EXPECT_EQ(error.error(), ENOENT);
  }
  try {
    ipvs_->remove_service(key("10.96.0.42", Protocol::kTcp, 80));
    FAIL() << "a missing service was deleted";
  } catch (const NetlinkError& error) {
    EXPECT_EQ(error.error(), ESRCH);
  }
  EXPECT_THROW(ipvs_->remove_destination(vip, destination("10.244.9.9", 80)), NetlinkError);
}

TEST_F(IpvsTest, TimeoutsAreSetAndZeroLeavesAValueUnchanged) {
  ipvs_->set_timeouts({900, 120, 300});
  EXPECT_EQ(ipvs_->timeouts(), (ipvs::Timeouts{900, 120, 300}));
  ipvs_->set_timeouts({0, 60, 0});
  EXPECT_EQ(ipvs_->timeouts(), (ipvs::Timeouts{900, 60, 300}));
}

TEST_F(IpvsTest, BatchOfManyChangesReportsEachFailureInPlaceAndFlushEmptiesAll) {
  std::vector<Change> changes;
  for (int i = 0; i < 300; ++i) {
    Change add;
    add.kind = Change::Kind::kAddService;
    add.service =
        service(key(("10.97." + std::to_string(i / 200) + "." + std::to_string(i % 200)).c_str(),
                    Protocol::kTcp, 80));
    changes.push_back(add);
    Change endpoint;
    endpoint.kind = Change::Kind::kAddDestination;
    endpoint.service = add.service;
    endpoint.destination = destination("10.244.0.1", 8080);
    changes.push_back(endpoint);
  }
  changes.push_back(changes.front());  // a duplicate service at the end: EEXIST only there
  auto results = ipvs_->apply(changes);
  ASSERT_EQ(results.size(), changes.size());
  for (std::size_t i = 0; i + 1 < results.size(); ++i) {
    EXPECT_TRUE(results[i].ok()) << i << ": " << results[i].what;
  }
  EXPECT_EQ(results.back().error, EEXIST);
  EXPECT_THAT(results.back().what, HasSubstr("add IPVS service 10.97.0.0:80/tcp"));
  EXPECT_EQ(ipvs_->list_services().size(), 300u);
  EXPECT_EQ(ipvs_->list_destinations(key("10.97.1.99", Protocol::kTcp, 80)).size(), 1u);

  ipvs_->flush();
  EXPECT_TRUE(ipvs_->list_services().empty());
}

}  // namespace
}  // namespace kr::test
