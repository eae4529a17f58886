#include "options/kube_router_flags.h"

namespace kr::options {

void register_kube_router_flags(pflag::FlagSet& flags, Config& config) {
  // Alphabetical, as printed. Help texts of the user-guide flags are verbatim
  // (typos included: operators grep for them).
  flags.bool_var(
      &config.advertise_cluster_ip, "advertise-cluster-ip",
      "Add Cluster IP of the service to the RIB so that it gets advertises to the BGP peers.");
  flags.bool_var(
      &config.advertise_external_ip, "advertise-external-ip",
      "Add External IP of service to the RIB so that it gets advertised to the BGP peers.");
  flags.bool_var(&config.advertise_loadbalancer_ip, "advertise-loadbalancer-ip",
                 "Add LoadbBalancer IP of service status as set by the LB provider to the RIB so "
                 "that it gets advertised to the BGP peers.");
  flags.bool_var(&config.advertise_pod_cidr, "advertise-pod-cidr",
                 "Add Node's POD cidr to the RIB so that it gets advertised to the BGP peers.");
  flags.bool_var(&config.auto_mtu, "auto-mtu",
                 "Auto detect and set the largest possible MTU for kube-bridge and pod interfaces "
                 "(also accounts for IPIP overlay network when enabled).");
  flags.uint32_var(&config.bfd_desired_min_tx_interval, "bfd-desired-min-tx-interval",
                   "BFD desired minimum transmit interval in milliseconds (1-4294967).");
  flags.uint32_var(
      &config.bfd_detection_multiplier, "bfd-detection-multiplier",
      "BFD detection multiplier: a peer is declared down after this many missed packets (1-255).");
  flags.uint32_var(&config.bfd_port, "bfd-port",
                   "UDP port of the BFD sessions with the external BGP peers (1-65535).");
  flags.uint32_var(&config.bfd_required_min_rx_interval, "bfd-required-min-rx-interval",
                   "BFD required minimum receive interval in milliseconds (1-4294967).");
  flags.bool_var(&config.bgp_graceful_restart, "bgp-graceful-restart",
                 "Enables the BGP Graceful Restart capability so that routes are preserved on "
                 "unexpected restarts");
  flags.duration_var(&config.bgp_graceful_restart_deferral_time,
                     "bgp-graceful-restart-deferral-time",
                     "BGP Graceful restart deferral time according to RFC4724 4.1, maximum 18h.");
  flags.duration_var(&config.bgp_graceful_restart_time, "bgp-graceful-restart-time",
                     "BGP Graceful restart time according to RFC4724 3, maximum 4095s.");
  flags.duration_var(&config.bgp_holdtime, "bgp-holdtime",
                     "This parameter is mainly used to modify the holdtime declared to BGP peer. "
                     "When Kube-router goes down abnormally, the local saving time of BGP route "
                     "will be affected. Holdtime must be in the range 3s to 18h12m16s.");
  flags.uint32_var(
      &config.bgp_port, "bgp-port",
      "The port open for incoming BGP connections and to use for connecting with other BGP peers.");
  flags.duration_var(
      &config.cache_sync_timeout, "cache-sync-timeout",
      "The timeout for cache synchronization (e.g. '5s', '1m'). Must be greater than 0.");
  flags.bool_var(&config.cleanup_config, "cleanup-config",
                 "Cleanup iptables rules, ipvs, ipset configuration and exit.");
  flags.uint_var(&config.cluster_asn, "cluster-asn",
                 "ASN number under which cluster nodes will run iBGP.");
  flags.bool_var(&config.disable_source_dest_check, "disable-source-dest-check",
                 "Disable the source-dest-check attribute for AWS EC2 instances. When this option "
                 "is false, it must be set some other way.");
  flags.bool_var(&config.enable_bfd, "enable-bfd",
                 "Enables BFD (Bidirectional Forwarding Detection) on the sessions with the BGP "
                 "peers defined with \"--peer-router-ips\".");
  flags.bool_var(&config.enable_cni, "enable-cni",
                 "Enable CNI plugin. Disable if you want to use kube-router features alongside "
                 "another CNI plugin.");
  flags.bool_var(&config.enable_ibgp, "enable-ibgp",
                 "Enables peering with nodes with the same ASN, if disabled will only peer with "
                 "external BGP peers");
  flags.bool_var(&config.enable_ipv4, "enable-ipv4", "Enables IPv4 support");
  flags.bool_var(&config.enable_ipv6, "enable-ipv6", "Enables IPv6 support");
  flags.bool_var(&config.enable_overlay, "enable-overlay",
                 "When enable-overlay is set to true, IP-in-IP tunneling is used for pod-to-pod "
                 "networking across nodes in different subnets. When set to false no tunneling is "
                 "used and routing infrastructure is expected to route traffic for pod-to-pod "
                 "networking across nodes in different subnets");
  flags.bool_var(&config.enable_pod_egress, "enable-pod-egress",
                 "SNAT traffic from Pods to destinations outside the cluster.");
  flags.bool_var(&config.enable_pprof, "enable-pprof",
                 "Enables pprof for debugging performance and memory leak issues.");
  flags.strings_var(&config.excluded_cidrs, "excluded-cidrs",
                    "Excluded CIDRs are used to exclude IPVS rules from deletion.");
  flags.string_var(&config.gobgp_admin_address, "gobgp-admin-address",
                   "Address the BGP admin API listens on; it also listens on 127.0.0.1 unless this "
                   "is a loopback or wildcard address.");
  flags.uint16_var(&config.gobgp_admin_port, "gobgp-admin-port",
                   "Port of the BGP admin API, 0 = Disabled");
  flags.bool_var(&config.hairpin_mode, "hairpin-mode",
                 "Add iptables rules for every Service Endpoint to support hairpin traffic.");
  flags.string_var(&config.health_addr, "health-addr",
                   "Health check address to listen on, (Default: all interfaces)");
  flags.uint16_var(&config.health_port, "health-port", "Health check port, 0 = Disabled");
  flags.bool_var(&config.help, "help", "Print usage information.", 'h');
  flags.string_var(&config.hostname_override, "hostname-override",
                   "Overrides the NodeName of the node. Set this if kube-router is unable to "
                   "determine your NodeName automatically.");
  flags.duration_var(&config.injected_routes_sync_period, "injected-routes-sync-period",
                     "The delay between route table synchronizations  (e.g. '5s', '1m', '2h22m'). "
                     "Must be greater than 0.");
  flags.duration_var(&config.iptables_sync_period, "iptables-sync-period",
                     "The delay between iptables rule synchronizations (e.g. '5s', '1m'). Must be "
                     "greater than 0.");
  flags.duration_var(&config.ipvs_graceful_period, "ipvs-graceful-period",
                     "The graceful period before removing destinations from IPVS services (e.g. "
                     "'5s', '1m', '2h22m'). Must be greater than 0.");
  flags.bool_var(&config.ipvs_graceful_termination, "ipvs-graceful-termination",
                 "Enables the experimental IPVS graceful terminaton capability");
  flags.bool_var(&config.ipvs_permit_all, "ipvs-permit-all",
                 "Enables rule to accept all incoming traffic to service VIP's on the node.");
  flags.duration_var(&config.ipvs_sync_period, "ipvs-sync-period",
                     "The delay between ipvs config synchronizations (e.g. '5s', '1m', '2h22m'). "
                     "Must be greater than 0.");
  flags.string_var(&config.kubeconfig, "kubeconfig",
                   "Path to kubeconfig file with authorization information (the master location is "
                   "set by the master flag).");
  flags.bool_var(&config.loadbalancer_default_class, "loadbalancer-default-class",
                 "Handle loadbalancer services without a class");
  flags.strings_var(&config.loadbalancer_ip_range, "loadbalancer-ip-range",
                    "CIDR values from which loadbalancer services addresses are assigned (can be "
                    "specified multiple times)");
  flags.duration_var(
      &config.loadbalancer_sync_period, "loadbalancer-sync-period",
      "The delay between checking for missed services (e.g. '5s', '1m'). Must be greater than 0.");
  flags.bool_var(&config.masquerade_all, "masquerade-all",
                 "SNAT all traffic to cluster IP/node port.");
  flags.string_var(&config.master, "master",
                   "The address of the Kubernetes API server (overrides any value in kubeconfig).");
  flags.string_var(&config.metrics_addr, "metrics-addr",
                   "Prometheus metrics address to listen on, (Default: all interfaces)");
  flags.string_var(&config.metrics_path, "metrics-path", "Prometheus metrics path");
  flags.uint16_var(&config.metrics_port, "metrics-port",
                   "Prometheus metrics port, (Default 0, Disabled)");
  flags.bool_var(&config.netpol_default_deny, "netpol-default-deny",
                 "Reject traffic to and from new pods on this node until their network policy "
                 "rules are in place.");
  flags.bool_var(
      &config.nodeport_bindon_all_ip, "nodeport-bindon-all-ip",
      "For service of NodePort type create IPVS service that listens on all IP's of the node.");
  flags.bool_var(&config.nodes_full_mesh, "nodes-full-mesh",
                 "Each node in the cluster will setup BGP peering with rest of the nodes.");
  flags.string_var(&config.overlay_encap, "overlay-encap",
                   "Valid encapsulation types are \"ipip\" or \"fou\" (if set to \"fou\", the udp "
                   "port can be specified via \"overlay-encap-port\")");
  flags.uint16_var(&config.overlay_encap_port, "overlay-encap-port",
                   "Overlay tunnel encapsulation port (only used for \"fou\" encapsulation)");
  flags.string_var(
      &config.overlay_type, "overlay-type",
      "Possible values: subnet,full - When set to \"subnet\", the default, default "
      "\"--enable-overlay=true\" behavior is used. When set to \"full\", it changes "
      "\"--enable-overlay=true\" default behavior so that IP-in-IP tunneling is used for "
      "pod-to-pod networking across nodes regardless of the subnet the nodes are in.");
  flags.bool_var(&config.override_nexthop, "override-nexthop",
                 "Override the next-hop in bgp routes sent to peers with the local ip.");
  flags.uints_var(&config.peer_router_asns, "peer-router-asns",
                  "ASN numbers of the BGP peer to which cluster nodes will advertise cluster ip "
                  "and node's pod cidr.");
  flags.ip_slice_var(&config.peer_router_ips, "peer-router-ips",
                     "The ip address of the external router to which all nodes will peer and "
                     "advertise the cluster ip and pod cidr's.");
  flags.uint8_var(
      &config.peer_router_multihop_ttl, "peer-router-multihop-ttl",
      "Enable eBGP multihop supports -- sets multihop-ttl. (Relevant only if ttl >= 2)");
  flags.strings_var(
      &config.peer_router_passwords, "peer-router-passwords",
      "Password for authenticating against the BGP peer defined with \"--peer-router-ips\".");
  flags.string_var(
      &config.peer_router_passwords_file, "peer-router-passwords-file",
      "Path to file containing password for authenticating against the BGP peer defined with "
      "\"--peer-router-ips\". --peer-router-passwords will be preferred if both are set.");
  flags.uints_var(&config.peer_router_ports, "peer-router-ports",
                  "The remote port of the external BGP to which all nodes will peer. If not set, "
                  "default BGP port (179) will be used.");
  flags.string_var(&config.router_id, "router-id",
                   "BGP router-id. Must be specified in a ipv6 only cluster, \"generate\" can be "
                   "specified to generate the router id.");
  flags.duration_var(&config.routes_sync_period, "routes-sync-period",
                     "The delay between route updates and advertisements (e.g. '5s', '1m', "
                     "'2h22m'). Must be greater than 0.");
  flags.bool_var(
      &config.run_firewall, "run-firewall",
      "Enables Network Policy -- sets up iptables to provide ingress firewall for pods.");
  flags.bool_var(&config.run_loadbalancer, "run-loadbalancer",
                 "Enable loadbalancer address allocator");
  flags.bool_var(&config.run_router, "run-router",
                 "Enables Pod Networking -- Advertises and learns the routes to Pods via iBGP.");
  flags.bool_var(&config.run_service_proxy, "run-service-proxy",
                 "Enables Service Proxy -- sets up IPVS for Kubernetes Services.");
  flags.string_var(&config.runtime_endpoint, "runtime-endpoint",
                   "Path to CRI compatible container runtime socket (used for DSR mode). Currently "
                   "known working with containerd.");
  flags.strings_var(
      &config.service_cluster_ip_range, "service-cluster-ip-range",
      "CIDR values from which service cluster IPs are assigned (can be specified up to 2 times)");
  flags.strings_var(&config.service_external_ip_range, "service-external-ip-range",
                    "Specify external IP CIDRs that are used for inter-cluster communication (can "
                    "be specified multiple times)");
  flags.string_var(&config.service_node_port_range, "service-node-port-range",
                   "NodePort range specified with either a hyphen or colon");
  flags.duration_var(&config.service_tcp_timeout, "service-tcp-timeout",
                     "Specify TCP timeout for IPVS services in standard duration syntax (e.g. "
                     "'5s', '1m'), default 0s preserves default system value (default: 0s)");
  flags.duration_var(&config.service_tcpfin_timeout, "service-tcpfin-timeout",
                     "Specify TCP FIN timeout for IPVS services in standard duration syntax (e.g. "
                     "'5s', '1m'), default 0s preserves default system value (default: 0s)");
  flags.duration_var(&config.service_udp_timeout, "service-udp-timeout",
                     "Specify UDP timeout for IPVS services in standard duration syntax (e.g. "
                     "'5s', '1m'), default 0s preserves default system value (default: 0s)");
  flags.bool_var(&config.strict_external_ip_validation, "strict-external-ip-validation",
                 "Only allow external IPs and LoadBalancer IPs inside --service-external-ip-range "
                 "and --loadbalancer-ip-range respectively and outside --service-cluster-ip-range; "
                 "other IPs are ignored.");
  flags.bool_var(&config.use_nftables_for_netpol, "use-nftables-for-netpol",
                 "Use nftables instead of iptables and ipset for network policies (experimental, "
                 "needs nft 1.0.1 or later).");
  flags.string_var(&config.v, "v", "log level for V logs", 'v');
  flags.bool_var(&config.version, "version", "Print version information.", 'V');

  // The user guide prints "(default [])" here although pflag hides an empty
  // string-slice default; keep the documented table.
  flags.always_show_default("service-cluster-ip-range");
}

}  // namespace kr::options
