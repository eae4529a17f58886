// Keeping kube-dummy-if's addresses equal to the desired VIPs (proxy.md §4.5, §4.6).
#include "controllers/proxy/vip_sync.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "fake_kernel.h"
#include "fixtures.h"

namespace kr::proxy {
namespace {

using ::testing::ElementsAre;
using testing::FakeDummy;
using ::testing::IsEmpty;
using testing::node_a;
using testing::texts;

std::vector<IpAddress> ips(std::initializer_list<std::string_view> texts) {
  std::vector<IpAddress> out;
  for (auto t : texts) out.push_back(IpAddress::must_parse(t));
  std::sort(out.begin(), out.end());
  return out;
}

TEST(VipSync, FullSyncAddsMissingAndRemovesForeignAddressesButKeepsLinkLocal) {
  FakeDummy dummy;
  dummy.addresses = {IpAddress::must_parse("10.96.0.99"), IpAddress::must_parse("fe80::1")};
  VipSync sync(dummy);
  EXPECT_TRUE(sync.full_sync(ips({"10.96.0.50", "fd00:96::7"}), node_a(true)));
  EXPECT_THAT(dummy.log,
              ElementsAre("del 10.96.0.99 src 192.168.1.10", "add 10.96.0.50 src 192.168.1.10",
                          "add fd00:96::7 src fd00:1::10"));
  EXPECT_THAT(texts({dummy.addresses.begin(), dummy.addresses.end()}),
              ElementsAre("10.96.0.50", "fd00:96::7", "fe80::1"));
}

TEST(VipSync, IncrementalSyncChangesOnlyTheDifferenceWithoutListing) {
  FakeDummy dummy;
  VipSync sync(dummy);
  sync.full_sync(ips({"10.96.0.50", "10.96.0.51"}), node_a());
  dummy.log.clear();
  EXPECT_TRUE(sync.sync(ips({"10.96.0.51", "10.96.0.52"}), node_a()));
  EXPECT_THAT(dummy.log,
              ElementsAre("del 10.96.0.50 src 192.168.1.10", "add 10.96.0.52 src 192.168.1.10"));
  EXPECT_EQ(dummy.lists, 1);
  dummy.log.clear();
  EXPECT_TRUE(sync.sync(ips({"10.96.0.51", "10.96.0.52"}), node_a()));
  EXPECT_THAT(dummy.log, IsEmpty());
}

TEST(VipSync, FailedChangesAreRetried) {
  FakeDummy dummy;
  dummy.failing = {IpAddress::must_parse("10.96.0.50")};
  VipSync sync(dummy);
  EXPECT_FALSE(sync.full_sync(ips({"10.96.0.50", "10.96.0.51"}), node_a()));
  EXPECT_THAT(texts({dummy.addresses.begin(), dummy.addresses.end()}), ElementsAre("10.96.0.51"));
  dummy.failing.clear();
  dummy.log.clear();
  EXPECT_TRUE(sync.sync(ips({"10.96.0.50", "10.96.0.51"}), node_a()));
  EXPECT_THAT(dummy.log, ElementsAre("add 10.96.0.50 src 192.168.1.10"));
}

}  // namespace
}  // namespace kr::proxy
