// Everything kube-router's command line configures, as plain values with
// upstream's defaults (kube-router v2.11; where the published user guide
// differs, the guide wins - see docs/differences.md).
//
// Field names follow the flag names. The flag table (kube_router_flags.cpp)
// binds each flag to one field; nothing here depends on the parser.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace kr::options {

struct Config {
  using Duration = std::chrono::nanoseconds;  // Go's time.Duration
  using Minutes = std::chrono::minutes;
  using Seconds = std::chrono::seconds;

  // Process / general.
  bool help = false;
  bool version = false;
  std::string v = "0";    // log verbosity as given; command_line checks it is an integer
  int log_verbosity = 0;  // v as a number, filled in by parse_command_line
  std::string kubeconfig;
  std::string master;
  bool cleanup_config = false;
  bool enable_pprof = false;
  std::string hostname_override;
  std::uint16_t health_port = 20244;  // 0 disables /healthz
  std::string health_addr;            // "" = all interfaces
  std::uint16_t metrics_port = 0;     // metrics served only if 0 < port < 65535
  std::string metrics_addr;
  std::string metrics_path = "/metrics";
  Duration cache_sync_timeout = Minutes(1);

  // Controller switches.
  bool run_router = true;
  bool run_firewall = true;
  bool run_service_proxy = true;
  bool run_loadbalancer = false;

  // Address families and service ranges (the shared service-IP validator).
  bool enable_ipv4 = true;
  bool enable_ipv6 = false;
  std::vector<std::string> service_cluster_ip_range;  // upstream: [10.96.0.0/12]
  std::vector<std::string> service_external_ip_range;
  std::vector<std::string> loadbalancer_ip_range;
  bool strict_external_ip_validation = true;
  std::string service_node_port_range = "30000-32767";

  // Service proxy (IPVS).
  Duration ipvs_sync_period = Minutes(5);
  bool ipvs_graceful_termination = false;
  Duration ipvs_graceful_period = Seconds(30);
  bool ipvs_permit_all = true;
  bool masquerade_all = false;
  bool nodeport_bindon_all_ip = false;
  bool hairpin_mode = false;
  std::vector<std::string> excluded_cidrs;
  std::string runtime_endpoint;
  Duration service_tcp_timeout{0};  // 0 keeps the kernel's value
  Duration service_tcpfin_timeout{0};
  Duration service_udp_timeout{0};

  // Network policy.
  Duration iptables_sync_period = Minutes(5);
  bool netpol_default_deny = false;
  bool use_nftables_for_netpol = false;

  // Load balancer allocator.
  bool loadbalancer_default_class = true;
  Duration loadbalancer_sync_period = Minutes(1);

  // Routing: BGP, CNI, overlay.
  Duration routes_sync_period = Minutes(5);
  Duration injected_routes_sync_period = Minutes(1);
  bool enable_cni = true;
  bool auto_mtu = true;
  bool enable_overlay = true;
  std::string overlay_type = "subnet";
  std::string overlay_encap = "ipip";
  std::uint16_t overlay_encap_port = 5555;
  bool enable_pod_egress = true;
  bool disable_source_dest_check = true;
  bool enable_ibgp = true;
  bool nodes_full_mesh = true;
  std::uint64_t cluster_asn = 0;  // 0 means 64512
  std::uint32_t bgp_port = 179;
  Duration bgp_holdtime = Seconds(90);
  bool bgp_graceful_restart = false;
  Duration bgp_graceful_restart_time = Seconds(90);
  Duration bgp_graceful_restart_deferral_time = Minutes(6);
  bool advertise_cluster_ip = false;
  bool advertise_external_ip = false;
  bool advertise_loadbalancer_ip = false;
  bool advertise_pod_cidr = true;
  bool override_nexthop = false;
  std::vector<std::string> peer_router_ips;  // canonical IP text ("10.0.0.1", "2001:db8::1")
  std::vector<std::uint64_t> peer_router_asns;
  std::vector<std::uint64_t> peer_router_ports;
  std::vector<std::string> peer_router_passwords;  // base64, as given
  std::string peer_router_passwords_file;
  std::uint8_t peer_router_multihop_ttl = 0;
  std::string router_id;
  bool enable_bfd = false;
  std::uint32_t bfd_port = 3784;
  std::uint32_t bfd_detection_multiplier = 3;
  std::uint32_t bfd_desired_min_tx_interval = 1000;   // milliseconds
  std::uint32_t bfd_required_min_rx_interval = 1000;  // milliseconds
  std::string gobgp_admin_address = "127.0.0.1";
  std::uint16_t gobgp_admin_port = 50051;  // 0 disables the admin API
};

// Metrics are served only for 0 < --metrics-port < 65535 (so 65535 disables
// them too, as upstream does).
inline bool metrics_enabled(const Config& config) {
  return config.metrics_port > 0 && config.metrics_port < 65535;
}

}  // namespace kr::options
