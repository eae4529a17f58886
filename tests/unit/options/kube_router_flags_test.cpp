// The kube-router flag table: the -h output against the user guide, and that
// every flag reaches its own Config field.
#include "options/kube_router_flags.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace kr::options {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::ElementsAre;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string usage_text() {
  Config config;
  pflag::FlagSet flags("kube-router");
  register_kube_router_flags(flags, config);
  return flags.usage();
}

// The long flag name of a usage line ("      --name type   help").
std::string flag_name(const std::string& line) {
  const std::size_t start = line.find("--") + 2;
  return line.substr(start, line.find(' ', start) - start);
}

TEST(KubeRouterUsage, ContainsEveryUserGuideLineVerbatimAndInOrder) {
  const std::vector<std::string> expected =
      lines_of(read_file(KR_OPTIONS_TESTDATA_DIR "/seed_usage.txt"));
  ASSERT_EQ(expected.size(), 69u);  // header + 68 flags
  const std::vector<std::string> actual = lines_of(usage_text());
  ASSERT_FALSE(actual.empty());
  EXPECT_EQ(actual[0], "Usage of kube-router:");

  // Each guide line must appear, byte for byte, after the previous one.
  std::size_t next = 1;
  for (std::size_t i = 1; i < expected.size(); ++i) {
    const std::string name = flag_name(expected[i]);
    while (next < actual.size() && flag_name(actual[next]) != name) {
      ++next;
    }
    ASSERT_LT(next, actual.size()) << "missing or out of order: --" << name;
    EXPECT_EQ(actual[next], expected[i]);
    ++next;
  }
}

TEST(KubeRouterUsage, ExtraLinesAreExactlyTheNewerUpstreamFlags) {
  std::set<std::string> guide;
  for (const std::string& line : lines_of(read_file(KR_OPTIONS_TESTDATA_DIR "/seed_usage.txt"))) {
    guide.insert(flag_name(line));
  }
  std::set<std::string> extra;
  const std::vector<std::string> actual = lines_of(usage_text());
  for (std::size_t i = 1; i < actual.size(); ++i) {
    if (!guide.contains(flag_name(actual[i]))) {
      extra.insert(flag_name(actual[i]));
    }
  }
  EXPECT_THAT(extra,
              ElementsAre("bfd-desired-min-tx-interval", "bfd-detection-multiplier", "bfd-port",
                          "bfd-required-min-rx-interval", "enable-bfd", "gobgp-admin-address",
                          "gobgp-admin-port", "health-addr", "netpol-default-deny",
                          "strict-external-ip-validation", "use-nftables-for-netpol"));
}

TEST(KubeRouterUsage, NewerFlagsShowTheirTypesAndDefaults) {
  const std::string usage = usage_text();
  for (const char* fragment : {
           "      --bfd-port uint32                               ",
           "(default 3784)\n",
           "      --bfd-detection-multiplier uint32               ",
           "      --gobgp-admin-address string                    ",
           "(default \"127.0.0.1\")\n",
           "      --gobgp-admin-port uint16                       ",
           "(default 50051)\n",
           "      --health-addr string                            ",
           "      --strict-external-ip-validation                 ",
           "      --enable-bfd                                    ",
       }) {
    EXPECT_NE(usage.find(fragment), std::string::npos) << fragment;
  }
  // Zero defaults stay hidden for the new bools and the empty health address.
  for (const char* name :
       {"--enable-bfd", "--netpol-default-deny", "--use-nftables-for-netpol", "--health-addr"}) {
    const std::size_t at = usage.find(name);
    const std::string line = usage.substr(at, usage.find('\n', at) - at);
    EXPECT_EQ(line.find("(default"), std::string::npos) << line;
  }
}

// Parses args into a fresh Config, expecting success without positionals.
Config parsed(std::vector<std::string_view> args) {
  Config config;
  pflag::FlagSet flags("kube-router");
  register_kube_router_flags(flags, config);
  const pflag::ParseResult result = flags.parse(args);
  EXPECT_TRUE(result.ok()) << result.error;
  EXPECT_TRUE(result.positional.empty());
  return config;
}

TEST(KubeRouterFlags, DefaultsMatchUpstream) {
  const Config c;
  EXPECT_EQ(c.v, "0");
  EXPECT_EQ(c.health_port, 20244);
  EXPECT_EQ(c.metrics_port, 0);
  EXPECT_EQ(c.metrics_path, "/metrics");
  EXPECT_EQ(c.cache_sync_timeout, minutes(1));
  EXPECT_TRUE(c.run_router && c.run_firewall && c.run_service_proxy);
  EXPECT_FALSE(c.run_loadbalancer);
  EXPECT_TRUE(c.enable_ipv4);
  EXPECT_FALSE(c.enable_ipv6);
  EXPECT_TRUE(c.service_cluster_ip_range.empty());  // the user guide's default
  EXPECT_TRUE(c.strict_external_ip_validation);
  EXPECT_EQ(c.service_node_port_range, "30000-32767");
  EXPECT_EQ(c.ipvs_sync_period, minutes(5));
  EXPECT_EQ(c.ipvs_graceful_period, seconds(30));
  EXPECT_TRUE(c.ipvs_permit_all);
  EXPECT_EQ(c.iptables_sync_period, minutes(5));
  EXPECT_EQ(c.loadbalancer_sync_period, minutes(1));
  EXPECT_TRUE(c.loadbalancer_default_class);
  EXPECT_EQ(c.routes_sync_period, minutes(5));
  EXPECT_EQ(c.injected_routes_sync_period, minutes(1));
  EXPECT_EQ(c.overlay_type, "subnet");
  EXPECT_EQ(c.overlay_encap, "ipip");
  EXPECT_EQ(c.overlay_encap_port, 5555);
  EXPECT_EQ(c.cluster_asn, 0u);
  EXPECT_EQ(c.bgp_port, 179u);
  EXPECT_EQ(c.bgp_holdtime, seconds(90));
  EXPECT_EQ(c.bgp_graceful_restart_time, seconds(90));
  EXPECT_EQ(c.bgp_graceful_restart_deferral_time, minutes(6));
  EXPECT_TRUE(c.advertise_pod_cidr);
  EXPECT_EQ(c.bfd_port, 3784u);
  EXPECT_EQ(c.bfd_detection_multiplier, 3u);
  EXPECT_EQ(c.bfd_desired_min_tx_interval, 1000u);
  EXPECT_EQ(c.bfd_required_min_rx_interval, 1000u);
  EXPECT_EQ(c.gobgp_admin_address, "127.0.0.1");
  EXPECT_EQ(c.gobgp_admin_port, 50051);
}

TEST(KubeRouterFlags, EveryBoolFlagSetsItsOwnField) {
  // Each bool flag flipped from its default, all at once: a flag bound to the
  // wrong field would leave its own field unchanged.
  const Config c = parsed({
      "--advertise-cluster-ip",
      "--advertise-external-ip",
      "--advertise-loadbalancer-ip",
      "--advertise-pod-cidr=false",
      "--auto-mtu=false",
      "--bgp-graceful-restart",
      "--cleanup-config",
      "--disable-source-dest-check=false",
      "--enable-bfd",
      "--enable-cni=false",
      "--enable-ibgp=false",
      "--enable-ipv4=false",
      "--enable-ipv6",
      "--enable-overlay=false",
      "--enable-pod-egress=false",
      "--enable-pprof",
      "--hairpin-mode",
      "--help",
      "--ipvs-graceful-termination",
      "--ipvs-permit-all=false",
      "--loadbalancer-default-class=false",
      "--masquerade-all",
      "--netpol-default-deny",
      "--nodeport-bindon-all-ip",
      "--nodes-full-mesh=false",
      "--override-nexthop",
      "--run-firewall=false",
      "--run-loadbalancer",
      "--run-router=false",
      "--run-service-proxy=false",
      "--strict-external-ip-validation=false",
      "--use-nftables-for-netpol",
      "--version",
  });
  EXPECT_TRUE(c.advertise_cluster_ip);
  EXPECT_TRUE(c.advertise_external_ip);
  EXPECT_TRUE(c.advertise_loadbalancer_ip);
  EXPECT_FALSE(c.advertise_pod_cidr);
  EXPECT_FALSE(c.auto_mtu);
  EXPECT_TRUE(c.bgp_graceful_restart);
  EXPECT_TRUE(c.cleanup_config);
  EXPECT_FALSE(c.disable_source_dest_check);
  EXPECT_TRUE(c.enable_bfd);
  EXPECT_FALSE(c.enable_cni);
  EXPECT_FALSE(c.enable_ibgp);
  EXPECT_FALSE(c.enable_ipv4);
  EXPECT_TRUE(c.enable_ipv6);
  EXPECT_FALSE(c.enable_overlay);
  EXPECT_FALSE(c.enable_pod_egress);
  EXPECT_TRUE(c.enable_pprof);
  EXPECT_TRUE(c.hairpin_mode);
  EXPECT_TRUE(c.help);
  EXPECT_TRUE(c.ipvs_graceful_termination);
  EXPECT_FALSE(c.ipvs_permit_all);
  EXPECT_FALSE(c.loadbalancer_default_class);
  EXPECT_TRUE(c.masquerade_all);
  EXPECT_TRUE(c.netpol_default_deny);
  EXPECT_TRUE(c.nodeport_bindon_all_ip);
  EXPECT_FALSE(c.nodes_full_mesh);
  EXPECT_TRUE(c.override_nexthop);
  EXPECT_FALSE(c.run_firewall);
  EXPECT_TRUE(c.run_loadbalancer);
  EXPECT_FALSE(c.run_router);
  EXPECT_FALSE(c.run_service_proxy);
  EXPECT_FALSE(c.strict_external_ip_validation);
  EXPECT_TRUE(c.use_nftables_for_netpol);
  EXPECT_TRUE(c.version);
}

TEST(KubeRouterFlags, EveryValueFlagSetsItsOwnField) {
  const Config c = parsed({
      "--bfd-desired-min-tx-interval=11",
      "--bfd-detection-multiplier=12",
      "--bfd-port=13",
      "--bfd-required-min-rx-interval=14",
      "--bgp-graceful-restart-deferral-time=1h",
      "--bgp-graceful-restart-time=2m",
      "--bgp-holdtime=3m",
      "--bgp-port=1790",
      "--cache-sync-timeout=4m",
      "--cluster-asn=65001",
      "--excluded-cidrs=10.1.0.0/16",
      "--gobgp-admin-address=10.0.0.9",
      "--gobgp-admin-port=5051",
      "--health-addr=127.0.0.2",
      "--health-port=2000",
      "--hostname-override=node-a",
      "--injected-routes-sync-period=5m",
      "--iptables-sync-period=6m",
      "--ipvs-graceful-period=7m",
      "--ipvs-sync-period=8m",
      "--kubeconfig=/k",
      "--loadbalancer-ip-range=198.51.100.0/24",
      "--loadbalancer-sync-period=9m",
      "--master=https://m",
      "--metrics-addr=127.0.0.3",
      "--metrics-path=/m",
      "--metrics-port=9000",
      "--overlay-encap=fou",
      "--overlay-encap-port=6000",
      "--overlay-type=full",
      "--peer-router-asns=65100",
      "--peer-router-ips=192.0.2.1",
      "--peer-router-multihop-ttl=5",
      "--peer-router-passwords=cGFzcw==",
      "--peer-router-passwords-file=/p",
      "--peer-router-ports=1179",
      "--router-id=192.0.2.9",
      "--routes-sync-period=10m",
      "--runtime-endpoint=unix:///run/containerd.sock",
      "--service-cluster-ip-range=10.96.0.0/12",
      "--service-external-ip-range=203.0.113.0/24",
      "--service-node-port-range=30000:31000",
      "--service-tcp-timeout=11s",
      "--service-tcpfin-timeout=12s",
      "--service-udp-timeout=13s",
      "--v=4",
  });
  EXPECT_EQ(c.bfd_desired_min_tx_interval, 11u);
  EXPECT_EQ(c.bfd_detection_multiplier, 12u);
  EXPECT_EQ(c.bfd_port, 13u);
  EXPECT_EQ(c.bfd_required_min_rx_interval, 14u);
  EXPECT_EQ(c.bgp_graceful_restart_deferral_time, hours(1));
  EXPECT_EQ(c.bgp_graceful_restart_time, minutes(2));
  EXPECT_EQ(c.bgp_holdtime, minutes(3));
  EXPECT_EQ(c.bgp_port, 1790u);
  EXPECT_EQ(c.cache_sync_timeout, minutes(4));
  EXPECT_EQ(c.cluster_asn, 65001u);
  EXPECT_THAT(c.excluded_cidrs, ElementsAre("10.1.0.0/16"));
  EXPECT_EQ(c.gobgp_admin_address, "10.0.0.9");
  EXPECT_EQ(c.gobgp_admin_port, 5051);
  EXPECT_EQ(c.health_addr, "127.0.0.2");
  EXPECT_EQ(c.health_port, 2000);
  EXPECT_EQ(c.hostname_override, "node-a");
  EXPECT_EQ(c.injected_routes_sync_period, minutes(5));
  EXPECT_EQ(c.iptables_sync_period, minutes(6));
  EXPECT_EQ(c.ipvs_graceful_period, minutes(7));
  EXPECT_EQ(c.ipvs_sync_period, minutes(8));
  EXPECT_EQ(c.kubeconfig, "/k");
  EXPECT_THAT(c.loadbalancer_ip_range, ElementsAre("198.51.100.0/24"));
  EXPECT_EQ(c.loadbalancer_sync_period, minutes(9));
  EXPECT_EQ(c.master, "https://m");
  EXPECT_EQ(c.metrics_addr, "127.0.0.3");
  EXPECT_EQ(c.metrics_path, "/m");
  EXPECT_EQ(c.metrics_port, 9000);
  EXPECT_EQ(c.overlay_encap, "fou");
  EXPECT_EQ(c.overlay_encap_port, 6000);
  EXPECT_EQ(c.overlay_type, "full");
  EXPECT_THAT(c.peer_router_asns, ElementsAre(65100u));
  EXPECT_THAT(c.peer_router_ips, ElementsAre("192.0.2.1"));
  EXPECT_EQ(c.peer_router_multihop_ttl, 5);
  EXPECT_THAT(c.peer_router_passwords, ElementsAre("cGFzcw=="));
  EXPECT_EQ(c.peer_router_passwords_file, "/p");
  EXPECT_THAT(c.peer_router_ports, ElementsAre(1179u));
  EXPECT_EQ(c.router_id, "192.0.2.9");
  EXPECT_EQ(c.routes_sync_period, minutes(10));
  EXPECT_EQ(c.runtime_endpoint, "unix:///run/containerd.sock");
  EXPECT_THAT(c.service_cluster_ip_range, ElementsAre("10.96.0.0/12"));
  EXPECT_THAT(c.service_external_ip_range, ElementsAre("203.0.113.0/24"));
  EXPECT_EQ(c.service_node_port_range, "30000:31000");
  EXPECT_EQ(c.service_tcp_timeout, seconds(11));
  EXPECT_EQ(c.service_tcpfin_timeout, seconds(12));
  EXPECT_EQ(c.service_udp_timeout, seconds(13));
  EXPECT_EQ(c.v, "4");
}

TEST(KubeRouterFlags, FlagTypesHaveTheirWidths) {
  EXPECT_EQ(parsed({"--peer-router-multihop-ttl=0xff"}).peer_router_multihop_ttl, 255);
  EXPECT_EQ(parsed({"--cluster-asn=4294967294"}).cluster_asn, 4294967294u);
  EXPECT_EQ(parsed({"--bgp-port=4294967295"}).bgp_port, 4294967295u);
  EXPECT_EQ(parsed({"--service-tcp-timeout=300ms"}).service_tcp_timeout, milliseconds(300));
}

}  // namespace
}  // namespace kr::options
