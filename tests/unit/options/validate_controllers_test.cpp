// Each controller's own flag checks: routing, service proxy, network policy.
#include <gtest/gtest.h>

#include "options/validate.h"

namespace kr::options {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

TEST(ValidateRouting, DefaultsAreValid) { EXPECT_EQ(validate_routing(Config{}), std::nullopt); }

TEST(ValidateRouting, SyncPeriodsMustBePositive) {
  Config config;
  config.routes_sync_period = nanoseconds(0);
  EXPECT_EQ(validate_routing(config), "--routes-sync-period must be greater than 0, got 0s");
  config = Config{};
  config.injected_routes_sync_period = seconds(-1);
  EXPECT_EQ(validate_routing(config),
            "--injected-routes-sync-period must be greater than 0, got -1s");
}

TEST(ValidateRouting, ClusterAsnIsZeroOrPrivate) {
  Config config;
  for (const std::uint64_t ok : {0ULL, 64512ULL, 65535ULL, 4200000000ULL, 4294967294ULL}) {
    config.cluster_asn = ok;
    EXPECT_EQ(validate_routing(config), std::nullopt) << ok;
  }
  for (const std::uint64_t bad : {1ULL, 64511ULL, 65536ULL, 4199999999ULL, 4294967295ULL}) {
    config.cluster_asn = bad;
    EXPECT_EQ(validate_routing(config),
              "invalid --cluster-asn " + std::to_string(bad) +
                  ": must be a private ASN (64512-65535 or 4200000000-4294967294), or 0 for "
                  "64512");
  }
}

TEST(ValidateRouting, HoldtimeBetween3sAnd65536s) {
  Config config;
  for (const nanoseconds ok : {nanoseconds(seconds(3)), nanoseconds(seconds(65536))}) {
    config.bgp_holdtime = ok;
    EXPECT_EQ(validate_routing(config), std::nullopt);
  }
  config.bgp_holdtime = milliseconds(2999);
  EXPECT_EQ(validate_routing(config),
            "invalid --bgp-holdtime 2.999s: must be in the range 3s to 18h12m16s");
  config.bgp_holdtime = seconds(65536) + milliseconds(1);
  EXPECT_NE(validate_routing(config), std::nullopt);
}

TEST(ValidateRouting, OverlayEncapIsIpipOrFouOnAPortFrom1024) {
  Config config;
  config.overlay_encap = "fou";
  EXPECT_EQ(validate_routing(config), std::nullopt);
  config.overlay_encap = "gre";
  EXPECT_EQ(validate_routing(config),
            "invalid --overlay-encap \"gre\": must be \"ipip\" or \"fou\"");
  config.overlay_encap = "ipip";
  config.overlay_encap_port = 1023;  // checked even for ipip, as upstream does
  EXPECT_EQ(validate_routing(config), "invalid --overlay-encap-port 1023: must be 1024 or greater");
  config.overlay_encap_port = 1024;
  EXPECT_EQ(validate_routing(config), std::nullopt);
  config.overlay_type = "anything";  // not validated upstream
  EXPECT_EQ(validate_routing(config), std::nullopt);
}

Config with_peers(std::size_t count) {
  Config config;
  for (std::size_t i = 0; i < count; ++i) {
    config.peer_router_ips.push_back("192.0.2." + std::to_string(i + 1));
    config.peer_router_asns.push_back(65000 + i);
  }
  return config;
}

TEST(ValidateRouting, EachPeerIpNeedsAnAsn) {
  Config config = with_peers(2);
  EXPECT_EQ(validate_routing(config), std::nullopt);
  config.peer_router_asns.pop_back();
  EXPECT_EQ(validate_routing(config),
            "invalid peer router config: --peer-router-ips has 2 entries but --peer-router-asns "
            "has 1; give one ASN per peer");
  config.peer_router_ips.clear();
  EXPECT_NE(validate_routing(config), std::nullopt);  // an ASN without an IP
}

TEST(ValidateRouting, PeerAsnsMustNotBeReserved) {
  for (const std::uint64_t ok : {1ULL, 23455ULL, 23457ULL, 63999ULL, 64512ULL, 65534ULL, 131072ULL,
                                 4199999999ULL, 4200000000ULL, 4294967294ULL}) {
    EXPECT_TRUE(is_valid_peer_asn(ok)) << ok;
  }
  for (const std::uint64_t bad :
       {0ULL, 23456ULL, 64000ULL, 64511ULL, 65535ULL, 131071ULL, 4294967295ULL, 4294967296ULL}) {
    EXPECT_FALSE(is_valid_peer_asn(bad)) << bad;
  }
  Config config = with_peers(1);
  config.peer_router_asns = {23456};
  EXPECT_EQ(validate_routing(config),
            "invalid --peer-router-asns entry 23456: reserved or out of range ASN (allowed: "
            "1-23455, 23457-63999, 64512-65534, 131072-4199999999, 4200000000-4294967294)");
}

TEST(ValidateRouting, PeerPortsAreNoneOrOnePerPeerAndFit32Bits) {
  Config config = with_peers(2);
  config.peer_router_ports = {179, 1179};
  EXPECT_EQ(validate_routing(config), std::nullopt);
  config.peer_router_ports = {179};
  EXPECT_EQ(validate_routing(config),
            "invalid peer router config: --peer-router-ports has 1 entries for 2 peers; give none "
            "(port 179) or one per peer");
  config.peer_router_ports = {179, 4294967296};
  EXPECT_EQ(validate_routing(config),
            "invalid --peer-router-ports entry 4294967296: must fit in 32 bits");
}

TEST(ValidateRouting, PeerPasswordsAreNoneOrOnePerPeerInBase64) {
  Config config = with_peers(2);
  config.peer_router_passwords = {"c2VjcmV0", ""};  // an empty entry means no password
  EXPECT_EQ(validate_routing(config), std::nullopt);
  config.peer_router_passwords = {"c2VjcmV0"};
  EXPECT_EQ(validate_routing(config),
            "invalid peer router config: --peer-router-passwords has 1 entries for 2 peers; give "
            "none or one per peer");
  config.peer_router_passwords = {"c2VjcmV0", "secret!"};
  const ValidationError error = validate_routing(config);
  EXPECT_EQ(error,
            "invalid --peer-router-passwords entry 2: not standard base64: illegal base64 data at "
            "input byte 6");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->find("secret!"), std::string::npos);  // never echo a password
}

TEST(ValidatePeerPasswords, NamesTheSourceItChecks) {
  const std::vector<std::string> from_file = {"c2VjcmV0", "YQ"};
  EXPECT_EQ(validate_peer_passwords(from_file, 2, "--peer-router-passwords-file"),
            "invalid --peer-router-passwords-file entry 2: not standard base64: illegal base64 "
            "data at input byte 0");
  EXPECT_EQ(validate_peer_passwords({}, 3, "x"), std::nullopt);
}

TEST(ValidateRouting, BfdValuesAreCheckedOnlyWhenBfdIsEnabled) {
  Config config;
  config.bfd_port = 0;
  config.bfd_detection_multiplier = 256;
  EXPECT_EQ(validate_routing(config), std::nullopt);
  config.enable_bfd = true;
  EXPECT_EQ(validate_routing(config), "invalid --bfd-port 0: must be 1-65535");
  config.bfd_port = 65535;
  EXPECT_EQ(validate_routing(config), "invalid --bfd-detection-multiplier 256: must be 1-255");
  config.bfd_detection_multiplier = 255;
  config.bfd_desired_min_tx_interval = 4294968;
  EXPECT_EQ(validate_routing(config),
            "invalid --bfd-desired-min-tx-interval 4294968: must be 1-4294967");
  config.bfd_desired_min_tx_interval = 1;
  config.bfd_required_min_rx_interval = 0;
  EXPECT_EQ(validate_routing(config),
            "invalid --bfd-required-min-rx-interval 0: must be 1-4294967");
  config.bfd_required_min_rx_interval = 4294967;
  EXPECT_EQ(validate_routing(config), std::nullopt);
}

TEST(ValidateProxy, SyncPeriodPositiveAndExcludedCidrsParse) {
  Config config;
  EXPECT_EQ(validate_proxy(config), std::nullopt);
  config.ipvs_sync_period = nanoseconds(0);
  EXPECT_EQ(validate_proxy(config), "--ipvs-sync-period must be greater than 0, got 0s");
  config = Config{};
  config.excluded_cidrs = {"10.0.0.0/8", "10.1.2.3"};
  EXPECT_EQ(validate_proxy(config),
            "failed to parse --excluded-cidrs parameter: '10.1.2.3': invalid CIDR address: "
            "10.1.2.3");
  config.excluded_cidrs = {"10.0.0.0/8", "2001:db8::/32"};
  EXPECT_EQ(validate_proxy(config), std::nullopt);
  config.ipvs_graceful_period = nanoseconds(0);  // not validated upstream
  EXPECT_EQ(validate_proxy(config), std::nullopt);
}

TEST(ValidateNetpol, SyncPeriodMustBePositive) {
  Config config;
  EXPECT_EQ(validate_netpol(config), std::nullopt);
  config.iptables_sync_period = seconds(-1);
  EXPECT_EQ(validate_netpol(config), "--iptables-sync-period must be greater than 0, got -1s");
}

TEST(ValidateNetpol, NodePortRangeUsesUpstreamRulesAndMessages) {
  Config config;
  const auto check = [&](const char* range) {
    config.service_node_port_range = range;
    return validate_netpol(config);
  };
  EXPECT_EQ(check("8080:8090"), std::nullopt);
  EXPECT_EQ(check("8080-8090"), std::nullopt);
  for (const char* bad :
       {"8080,8081", "foo:bar", "8080,8081-8090", "", "8080", "-8080-8090", "8080-8090 "}) {
    EXPECT_EQ(check(bad), std::string("invalid --service-node-port-range: failed to parse node "
                                      "port range given: '") +
                              bad + "' please see specification in help text");
  }
  EXPECT_EQ(check("8090-8080"),
            "invalid --service-node-port-range: port 1 is greater than or equal to port 2 in "
            "range given: '8090-8080'");
  EXPECT_EQ(check("8080-8080"),
            "invalid --service-node-port-range: port 1 is greater than or equal to port 2 in "
            "range given: '8080-8080'");
  EXPECT_EQ(check("132000-132001"),
            "invalid --service-node-port-range: could not parse first port number from range "
            "given: '132000-132001'");
  EXPECT_EQ(check("30000-65536"),
            "invalid --service-node-port-range: could not parse second port number from range "
            "given: '30000-65536'");
}

TEST(ParseNodePortRange, GivesBothEnds) {
  const NodePortRangeParse parsed = parse_service_node_port_range("030000:32767");
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  EXPECT_EQ(parsed.range.first, 30000);
  EXPECT_EQ(parsed.range.last, 32767);
}

}  // namespace
}  // namespace kr::options
