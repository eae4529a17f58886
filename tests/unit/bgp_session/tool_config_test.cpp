// The standalone speaker's configuration file: what it accepts, the policy
// it builds, and the messages bad files get.
#include "tool_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "apply_config.h"

namespace kr::bgp::tool {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

ToolConfig parse_ok(const std::string& text) {
  auto r = parse_tool_config(text);
  if (auto* e = std::get_if<std::string>(&r)) ADD_FAILURE() << *e;
  return std::get<ToolConfig>(r);
}

std::string parse_error(const std::string& text) {
  auto r = parse_tool_config(text);
  if (std::holds_alternative<ToolConfig>(r)) return "(accepted)";
  return std::get<std::string>(r);
}

constexpr const char* kFull = R"(
asn: 64512
router_id: 10.0.0.1
listen_addresses: [10.0.0.1, "fd00::1"]
listen_port: 1179
admin_socket: /tmp/x.sock
hostname: node-a
graceful_restart: {enabled: true, restart_time: 30, deferral_time: 60}
neighbors:
  - address: 10.0.0.2
    asn: 65000
    port: 2179
    local_address: 10.0.0.1
    password: s3cret
    multihop_ttl: 2
    hold_time: 9
    connect_retry: 5
    families: [ipv4-unicast, ipv6]
    export:
      communities: ["65000:1", no-export]
      prepend: {asn: 64512, count: 2}
      next_hop_self: true
  - address: "fd00::3"
    passive: true
    route_reflector_client: true
originate:
  - {prefix: 10.244.0.0/24, next_hop: 10.0.0.1, communities: ["1:2"]}
)";

TEST(ToolConfig, ReadsEveryKey) {
  const ToolConfig c = parse_ok(kFull);
  EXPECT_EQ(c.speaker.asn, 64512u);
  EXPECT_EQ(c.speaker.router_id, IpAddress::parse("10.0.0.1")->v4_u32());
  EXPECT_EQ(c.speaker.listen_addresses.size(), 2u);
  EXPECT_EQ(c.speaker.listen_port, 1179);
  EXPECT_EQ(c.admin_socket, "/tmp/x.sock");
  EXPECT_TRUE(c.speaker.graceful_restart.enabled);
  EXPECT_EQ(c.speaker.graceful_restart.restart_time, 30);
  EXPECT_EQ(c.speaker.graceful_restart.deferral_time, std::chrono::seconds(60));
  ASSERT_EQ(c.neighbors.size(), 2u);
  const auto& n = c.neighbors[0];
  EXPECT_EQ(n.peer.asn, 65000u);
  EXPECT_EQ(n.peer.port, 2179);
  EXPECT_EQ(n.peer.password, "s3cret");
  EXPECT_EQ(n.peer.multihop_ttl, 2);
  EXPECT_EQ(n.peer.hold_time, 9);
  EXPECT_EQ(n.peer.connect_retry, std::chrono::seconds(5));
  EXPECT_THAT(n.peer.families, ElementsAre(kIpv4Unicast, kIpv6Unicast));
  EXPECT_THAT(n.export_actions.communities, ElementsAre((65000u << 16) | 1, kCommunityNoExport));
  EXPECT_EQ(n.export_actions.prepend_count, 2);
  EXPECT_TRUE(n.export_actions.next_hop_self);
  EXPECT_TRUE(c.neighbors[1].peer.passive);
  EXPECT_TRUE(c.neighbors[1].peer.route_reflector_client);
  EXPECT_EQ(c.neighbors[1].peer.asn, 0u) << "no asn: any AS";
  ASSERT_EQ(c.originate.size(), 1u);
  EXPECT_EQ(c.originate[0].prefix.to_string(), "10.244.0.0/24");
}

TEST(ToolConfig, EmptyListKeysMeanEmptyLists) {
  const ToolConfig c = parse_ok("asn: 1\nrouter_id: 1.2.3.4\nneighbors:\noriginate:\n");
  EXPECT_TRUE(c.neighbors.empty());
  EXPECT_TRUE(c.originate.empty());
}

TEST(ToolConfig, DefaultsAdminSocketToKubeRoutersPath) {
  const ToolConfig c = parse_ok("asn: 1\nrouter_id: 1.2.3.4\n");
  EXPECT_EQ(c.admin_socket, "/var/run/kube-router/bgp.sock");
  EXPECT_EQ(c.speaker.listen_port, 179);
}

struct BadFile {
  const char* text;
  const char* message;
};

class ToolConfigErrors : public ::testing::TestWithParam<BadFile> {};

TEST_P(ToolConfigErrors, NameWhatIsWrong) {
  EXPECT_THAT(parse_error(GetParam().text), HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ToolConfigErrors,
    ::testing::Values(
        BadFile{"router_id: 1.2.3.4\n", "missing \"asn\""},
        BadFile{"asn: 1\nrouter_id: fd00::1\n", "router_id: must be an IPv4 address"},
        BadFile{"asn: 1\nrouter_id: 1.2.3.4\nbogus: 1\n", "unknown key \"bogus\""},
        BadFile{"asn: x\nrouter_id: 1.2.3.4\n", "asn: \"x\" is not a number"},
        BadFile{"asn: 1\nrouter_id: 1.2.3.4\nneighbors: [{asn: 2}]\n",
                "neighbors[0]: missing \"address\""},
        BadFile{"asn: 1\nrouter_id: 1.2.3.4\nneighbors: [{address: 10.0.0.2, hold_time: 2}]\n",
                "hold time must be 0 or at least 3"},
        BadFile{"asn: 1\nrouter_id: 1.2.3.4\nneighbors: [{address: 10.0.0.2}, {address: "
                "10.0.0.2}]\n",
                "listed twice"},
        BadFile{"asn: 1\nrouter_id: 1.2.3.4\nneighbors: [{address: 10.0.0.2, export: "
                "{communities: [\"1:70000\"]}}]\n",
                "is not a community"},
        BadFile{"asn: 1\nrouter_id: 1.2.3.4\noriginate: [{prefix: 10.0.0.0/33, next_hop: "
                "1.1.1.1}]\n",
                "invalid \"prefix\""},
        BadFile{"asn: 1\nrouter_id: 1.2.3.4\ngraceful_restart: {enabled: true, restart_time: "
                "5000}\n",
                "graceful_restart.restart_time"},
        BadFile{"asn: [1\n", "not valid YAML"}));

TEST(ToolConfig, CommunitiesInEveryNotation) {
  EXPECT_EQ(parse_community("65000:100"), (65000u << 16) | 100);
  EXPECT_EQ(parse_community("4259840100"), 4259840100u);
  EXPECT_EQ(parse_community("no-advertise"), kCommunityNoAdvertise);
  EXPECT_FALSE(parse_community("65536:1").has_value());
  EXPECT_FALSE(parse_community("a:b").has_value());
  EXPECT_FALSE(parse_community("").has_value());
}

TEST(BuildPolicy, ExportActionsApplyToTheirNeighborOnly) {
  const ToolConfig c = parse_ok(kFull);
  auto built = build_policy(c);
  ASSERT_TRUE(std::holds_alternative<policy::PolicyPtr>(built)) << std::get<std::string>(built);
  const policy::PolicyPtr p = std::get<policy::PolicyPtr>(built);
  PathAttributes attrs;
  attrs.origin = Origin::kIgp;
  attrs.as_path = AsPath{};
  attrs.next_hop = IpAddress::parse("10.0.0.1");
  const auto shared = std::make_shared<const PathAttributes>(attrs);
  policy::RouteView to_a{IpPrefix::parse("10.244.0.0/24").value(),
                         IpAddress::parse("10.0.0.2").value(), policy::RouteSource::kLocal,
                         shared.get()};
  const policy::Decision d = p->evaluate(policy::Direction::kExport, to_a);
  EXPECT_TRUE(d.accept);
  const AttrSetPtr out = p->apply(policy::Direction::kExport, d.applied, shared,
                                  {IpAddress::parse("10.0.0.1").value()});
  EXPECT_THAT(out->communities, ElementsAre((65000u << 16) | 1, kCommunityNoExport));
  EXPECT_EQ(out->as_path->to_string(), "64512 64512");

  policy::RouteView to_other = to_a;
  to_other.neighbor = IpAddress::parse("fd00::3").value();
  const policy::Decision d2 = p->evaluate(policy::Direction::kExport, to_other);
  EXPECT_TRUE(d2.accept);
  EXPECT_EQ(d2.applied, 0u);
}

}  // namespace
}  // namespace kr::bgp::tool
