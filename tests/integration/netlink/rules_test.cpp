// ip rules through the netlink layer, as `ip rule` shows them: kube-router's
// "from <podCIDR> lookup 77" (routing.md §9.3), "fwmark lookup 78 priority
// 32764" and "from all lookup 79 priority 32765" (proxy.md §8.3-8.4).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "kernel/netlink/error.h"
#include "kernel/netlink/rule.h"
#include "netns_fixture.h"

namespace kr::test {
namespace {

using netlink::IpPrefix;
using netlink::NetlinkError;
using netlink::Rule;
using netlink::Rules;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

Rule rule(int family, std::optional<std::uint32_t> priority, std::uint32_t table,
          std::uint32_t fwmark, const char* source = nullptr) {
  Rule rule;
  rule.family = family;
  rule.priority = priority;
  rule.table = table;
  rule.fwmark = fwmark;
  if (source != nullptr) rule.source = IpPrefix::must_parse(source);
  return rule;
}

class RulesTest : public NetnsTest {};

TEST_F(RulesTest, AddsTheRulesKubeRouterUses) {
  Rules rules(route_socket());
  Rule pods = rule(AF_INET, std::nullopt, 77, 0, "10.244.0.0/24");
  Rule dsr = rule(AF_INET, 32764, 78, 0x1234);
  Rule external = rule(AF_INET, 32765, 79, 0);
  rules.add(pods);
  rules.add(dsr);
  rules.add(external);

  std::string shown = ip({"rule", "show"});
  EXPECT_THAT(shown, HasSubstr("from 10.244.0.0/24 lookup 77"));
  EXPECT_THAT(shown, HasSubstr("32764:\tfrom all fwmark 0x1234 lookup 78"));
  EXPECT_THAT(shown, HasSubstr("32765:\tfrom all lookup 79"));

  auto listed = rules.list(AF_INET);
  EXPECT_THAT(listed, Contains(dsr));
  EXPECT_THAT(listed, Contains(external));
  bool found_pods = false;
  for (const auto& listed_rule : listed) {
    if (listed_rule.table == 77 && listed_rule.source == pods.source) found_pods = true;
  }
  EXPECT_TRUE(found_pods) << "the kernel-chosen priority hides nothing else";
}

TEST_F(RulesTest, DuplicateIsRefusedAndRemovedRuleIsGone) {
  Rules rules(route_socket());
  Rule dsr = rule(AF_INET, 32764, 78, 77);
  rules.add(dsr);
  try {
    rules.add(dsr);
    FAIL() << "an identical rule was added twice";
  } catch (const NetlinkError& error) {
    EXPECT_EQ(error.error(), EEXIST);
    EXPECT_THAT(error.what(), HasSubstr("add rule from all fwmark 77 lookup 78 priority 32764"));
  }
  rules.remove(dsr);
  EXPECT_THAT(ip({"rule", "show"}), Not(HasSubstr("lookup 78")));
  EXPECT_THAT(rules.list(AF_INET), Not(Contains(dsr)));
}

TEST_F(RulesTest, DestinationPrefixAndFwmarkMask) {
  Rules rules(route_socket());
  Rule to_services = rule(AF_INET, 100, 79, 0x4000);
  to_services.fwmask = 0xc000;
  to_services.destination = IpPrefix::must_parse("10.96.0.0/12");
  rules.add(to_services);
  EXPECT_THAT(ip({"rule", "show"}),
              HasSubstr("100:\tfrom all to 10.96.0.0/12 fwmark 0x4000/0xc000 lookup 79"));
  EXPECT_THAT(rules.list(AF_INET), Contains(to_services));
  rules.remove(to_services);
  EXPECT_THAT(rules.list(AF_INET), Not(Contains(to_services)));
}

TEST_F(RulesTest, Ipv6RuleFromAPodPrefix) {
  Rules rules(route_socket());
  Rule pods = rule(AF_INET6, std::nullopt, 77, 0, "fd00:244::/64");
  rules.add(pods);
  EXPECT_THAT(ip({"-6", "rule", "show"}), HasSubstr("from fd00:244::/64 lookup 77"));
  EXPECT_THROW(rules.add(rule(AF_INET, std::nullopt, 77, 0, "fd00:244::/64")),
               std::invalid_argument);
}

}  // namespace
}  // namespace kr::test
