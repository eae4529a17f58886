// The per-Service desired table (incremental structure): what one Service's change touches, and
// how Services sharing a virtual service are merged.
#include "controllers/proxy/desired_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fixtures.h"

namespace kr::proxy {
namespace {

using testing::build;
using ::testing::ElementsAre;
using testing::ipvs_table;
using ::testing::IsEmpty;
using testing::port;
using testing::service;
using testing::slice;
using testing::texts;

using Slices = std::vector<std::shared_ptr<const k8s::EndpointSlice>>;

std::vector<std::string> table_lines(const DesiredTable& t) {
  std::vector<DesiredVirtualService> all;
  for (const auto& [key, vs] : t.virtual_services()) all.push_back(vs);
  return ipvs_table(all);
}

std::vector<std::string> keys(const TableDelta& d) {
  std::vector<std::string> out;
  for (const VipKey& k : d.virtual_services) out.push_back(k.to_string());
  return out;
}

ServiceState web_state(std::vector<testing::EndpointSpec> endpoints) {
  auto s = service("default", "web", {"10.96.0.50"}, {port("http", 80, "TCP", 30080)});
  return build(s, {slice("default", "web-1", "web", {{"http", 8080}}, std::move(endpoints))});
}

ServiceState db_state() {
  auto s = service("default", "db", {"10.96.0.51"}, {port("pg", 5432)});
  return build(s, {slice("default", "db-1", "db", {{"pg", 5432}}, {{.ip = "10.244.1.9"}})});
}

const ServiceId kWeb{"default", "web"};
const ServiceId kDb{"default", "db"};

TEST(DesiredTable, AddingAServiceReportsEverythingItBrings) {
  DesiredTable t;
  const auto d = t.set(kWeb, web_state({{.ip = "10.244.1.5"}}));
  EXPECT_THAT(keys(d), ElementsAre("10.96.0.50:80/tcp", "192.168.1.10:30080/tcp"));
  EXPECT_TRUE(d.vips);
  EXPECT_TRUE(d.service_keys);
  EXPECT_FALSE(d.hairpin_v4 || d.hairpin_v6 || d.health_checks || d.sloppy_tcp);
  EXPECT_THAT(texts(t.vips()), ElementsAre("10.96.0.50"));
  EXPECT_THAT(t.service_ip_members(Family::kIPv4), ElementsAre("10.96.0.50", "192.168.1.10"));
  EXPECT_THAT(t.service_port_members(Family::kIPv4),
              ElementsAre("10.96.0.50,tcp:80", "192.168.1.10,tcp:30080"));
  EXPECT_THAT(t.service_ip_members(Family::kIPv6), IsEmpty());
}

TEST(DesiredTable, AnEndpointChangeTouchesOnlyItsServicesVirtualServices) {
  DesiredTable t;
  t.set(kWeb, web_state({{.ip = "10.244.1.5"}}));
  t.set(kDb, db_state());
  const auto d = t.set(kWeb, web_state({{.ip = "10.244.1.5"}, {.ip = "10.244.2.7", .node = "b"}}));
  EXPECT_THAT(keys(d), ElementsAre("10.96.0.50:80/tcp", "192.168.1.10:30080/tcp"));
  EXPECT_FALSE(d.vips);
  EXPECT_FALSE(d.service_keys);  // ipsets need no update for an endpoint change
  EXPECT_THAT(table_lines(t),
              ElementsAre("TCP 10.96.0.50:80 rr -> 10.244.1.5:8080,10.244.2.7:8080",
                          "TCP 10.96.0.51:5432 rr -> 10.244.1.9:5432",
                          "TCP 192.168.1.10:30080 rr -> 10.244.1.5:8080,10.244.2.7:8080"));
}

TEST(DesiredTable, SettingTheSameStateAgainChangesNothing) {
  DesiredTable t;
  t.set(kWeb, web_state({{.ip = "10.244.1.5"}}));
  EXPECT_TRUE(t.set(kWeb, web_state({{.ip = "10.244.1.5"}})).empty());
}

TEST(DesiredTable, ErasingAServiceRemovesWhatOnlyItHad) {
  DesiredTable t;
  t.set(kWeb, web_state({{.ip = "10.244.1.5"}}));
  t.set(kDb, db_state());
  const auto d = t.erase(kWeb);
  EXPECT_THAT(keys(d), ElementsAre("10.96.0.50:80/tcp", "192.168.1.10:30080/tcp"));
  EXPECT_TRUE(d.vips);
  EXPECT_TRUE(d.service_keys);
  EXPECT_THAT(table_lines(t), ElementsAre("TCP 10.96.0.51:5432 rr -> 10.244.1.9:5432"));
  EXPECT_THAT(texts(t.vips()), ElementsAre("10.96.0.51"));
  EXPECT_EQ(t.services().size(), 1u);
  EXPECT_TRUE(t.erase(kWeb).empty());
}

TEST(DesiredTable, ServicesSharingAnExternalIpAreMerged) {
  auto a = service("team-a", "a", {"10.96.1.1"}, {port("http", 80)});
  a.external_ips = {"198.51.100.5"};
  a.meta.annotations.set("kube-router.io/service.scheduler", "sh");
  auto b = service("team-b", "b", {"10.96.1.2"}, {port("http", 80)});
  b.external_ips = {"198.51.100.5"};
  const ServiceId ia{"team-a", "a"};
  const ServiceId ib{"team-b", "b"};
  DesiredTable t;
  t.set(ib, build(b, {slice("team-b", "b-1", "b", {{"http", 80}}, {{.ip = "10.244.1.20"}})}));
  t.set(ia, build(a, {slice("team-a", "a-1", "a", {{"http", 80}}, {{.ip = "10.244.1.10"}})}));
  // The first owner by namespace/name sets the scheduler; destinations are the union.
  EXPECT_EQ(
      ipvs_table({*t.find({IpAddress::must_parse("198.51.100.5"), ipvs::Protocol::kTcp, 80})}),
      std::vector<std::string>{"TCP 198.51.100.5:80 sh -> 10.244.1.10:80,10.244.1.20:80"});

  const auto d = t.erase(ia);
  EXPECT_THAT(keys(d), ElementsAre("10.96.1.1:80/tcp", "198.51.100.5:80/tcp"));
  EXPECT_TRUE(t.has_vip(IpAddress::must_parse("198.51.100.5")));  // b still has it
  EXPECT_EQ(
      ipvs_table({*t.find({IpAddress::must_parse("198.51.100.5"), ipvs::Protocol::kTcp, 80})}),
      std::vector<std::string>{"TCP 198.51.100.5:80 rr -> 10.244.1.20:80"});
}

TEST(DesiredTable, HairpinHealthAndSloppyTcpDeltas) {
  auto s = service("default", "web", {"10.96.0.50"}, {port("http", 80)});
  s.meta.annotations.set("kube-router.io/service.hairpin", "");
  s.meta.annotations.set("kube-router.io/service.dsr", "");
  s.meta.annotations.set("kube-router.io/service.scheduler", "mh");
  s.health_check_node_port = 32100;
  DesiredTable t;
  const auto added =
      t.set(kWeb, build(s, {slice("default", "w", "web", {{"http", 80}}, {{.ip = "10.244.1.5"}})}));
  EXPECT_TRUE(added.hairpin_v4);
  EXPECT_FALSE(added.hairpin_v6);
  EXPECT_TRUE(added.health_checks);
  EXPECT_TRUE(added.sloppy_tcp);
  EXPECT_TRUE(t.sloppy_tcp());
  EXPECT_EQ(t.hairpin_rules(Family::kIPv4).size(), 1u);
  EXPECT_EQ(t.health_checks(), (std::map<std::uint16_t, std::uint32_t>{{32100, 1}}));

  const auto drained = t.set(kWeb, build(s, {}));
  EXPECT_TRUE(drained.hairpin_v4);
  EXPECT_TRUE(drained.health_checks);
  EXPECT_FALSE(drained.sloppy_tcp);
  EXPECT_THAT(t.hairpin_rules(Family::kIPv4), IsEmpty());
  EXPECT_EQ(t.health_checks(), (std::map<std::uint16_t, std::uint32_t>{{32100, 0}}));

  const auto gone = t.erase(kWeb);
  EXPECT_TRUE(gone.sloppy_tcp);
  EXPECT_FALSE(t.sloppy_tcp());
  EXPECT_TRUE(t.health_checks().empty());
}

TEST(DesiredTable, MergedDeltasKeepKeysSortedAndUnique) {
  DesiredTable t;
  auto d = t.set(kDb, db_state());
  d.merge(t.set(kWeb, web_state({})));
  d.merge(t.set(kDb, ServiceState{}));
  EXPECT_THAT(keys(d),
              ElementsAre("10.96.0.50:80/tcp", "10.96.0.51:5432/tcp", "192.168.1.10:30080/tcp"));
}

}  // namespace
}  // namespace kr::proxy
