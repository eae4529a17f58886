// A Service as the proxy reads it (proxy.md §1.3, §2): addresses parsed and validated, ports
// with their protocol, traffic policies and affinity, and the kube-router.io/service.*
// annotations decoded. One record per Service (upstream keeps one per port, keyed by the string
// "<ns>-<name>-<port>", which can collide; we key by (namespace, name) and port name).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controllers/proxy/cidr.h"
#include "controllers/proxy/service_ip_validator.h"
#include "k8s/objects.h"
#include "kernel/ipvs/types.h"

namespace kr::proxy {

struct ServiceId {
  std::string namespace_;
  std::string name;

  std::string to_string() const { return namespace_ + "/" + name; }
  friend bool operator==(const ServiceId&, const ServiceId&) = default;
  // clang-tidy 14 misreads the generated body of a defaulted <=> (llvm-project#53961).
  // NOLINTNEXTLINE(modernize-use-nullptr)
  friend auto operator<=>(const ServiceId&, const ServiceId&) = default;
};

struct ServicePortRecord {
  std::string name;  // spec.ports[].name; matched to EndpointSlice port names (§1.4)
  ipvs::Protocol protocol = ipvs::Protocol::kTcp;
  std::uint16_t port = 0;
  std::uint16_t node_port = 0;  // 0 = none
};

// The IPVS scheduler names the annotation accepts (§2); anything else means rr.
inline constexpr std::string_view kSchedulers[] = {"rr", "lc", "dh", "sh", "mh"};

struct ServiceRecord {
  ServiceId id;
  std::vector<IpAddress> cluster_ips;       // spec.clusterIP ∪ spec.clusterIPs, both families
  std::vector<IpAddress> external_ips;      // spec.externalIPs that passed validation
  std::vector<IpAddress> loadbalancer_ips;  // ingress IPs (not ipMode Proxy) that passed it
  std::vector<ServicePortRecord> ports;
  std::uint16_t health_check_node_port = 0;  // spec.healthCheckNodePort
  bool session_affinity = false;             // spec.sessionAffinity == ClientIP
  std::uint32_t affinity_timeout = 0;        // ...clientIP.timeoutSeconds (API default 10800)
  bool internal_local = false;        // internalTrafficPolicy Local (forced off by service.local)
  bool external_local = false;        // externalTrafficPolicy Local, or service.local=true
  std::string scheduler = "rr";       // kube-router.io/service.scheduler
  std::uint32_t scheduler_flags = 0;  // kube-router.io/service.schedflags (mh only)
  bool dsr = false;                   // kube-router.io/service.dsr present (any value)
  bool dsr_tunnel = false;            // ... with value "tunnel"
  bool hairpin = false;               // kube-router.io/service.hairpin present
  bool hairpin_external_ips = false;  // kube-router.io/service.hairpin.externalips present
  bool skip_lb_ips = false;           // kube-router.io/service.skiplbips present

  // IPVS service flags for this service's virtual services (§4.1).
  std::uint32_t ipvs_flags() const;
};

struct ServiceReadResult {
  // nullopt when the proxy ignores the Service (headless, ExternalName, other proxy, §1.3).
  std::optional<ServiceRecord> record;
  // Parts of the Service that could not be used (bad address, rejected external IP, unknown
  // protocol), each naming the value; the rest of the Service is still programmed.
  std::vector<std::string> problems;
};

ServiceReadResult read_service(const k8s::Service& service, const ServiceIpValidator& validator);

}  // namespace kr::proxy
