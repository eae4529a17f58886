#include "controllers/proxy/service_record.h"

#include <algorithm>
#include <cctype>

#include "fmt/format.h"

namespace kr::proxy {
namespace {

constexpr std::string_view kProxyNameLabel = "service.kubernetes.io/service-proxy-name";
constexpr std::string_view kHeadlessLabel = "service.kubernetes.io/headless";
constexpr std::string_view kSchedulerAnnotation = "kube-router.io/service.scheduler";
constexpr std::string_view kSchedFlagsAnnotation = "kube-router.io/service.schedflags";
constexpr std::string_view kDsrAnnotation = "kube-router.io/service.dsr";
constexpr std::string_view kHairpinAnnotation = "kube-router.io/service.hairpin";
constexpr std::string_view kHairpinExternalAnnotation =
    "kube-router.io/service.hairpin.externalips";
constexpr std::string_view kLocalAnnotation = "kube-router.io/service.local";
constexpr std::string_view kSkipLbIpsAnnotation = "kube-router.io/service.skiplbips";
// core/v1 ServiceSpec.sessionAffinityConfig.clientIP.timeoutSeconds default and maximum.
constexpr std::int32_t kDefaultAffinitySeconds = 10800;
constexpr std::int32_t kMaxAffinitySeconds = 86400;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::optional<ipvs::Protocol> parse_protocol(std::string_view text) {
  const std::string p = lower(text);
  if (p.empty() || p == "tcp") return ipvs::Protocol::kTcp;  // the API defaults to TCP
  if (p == "udp") return ipvs::Protocol::kUdp;
  if (p == "sctp") return ipvs::Protocol::kSctp;
  return std::nullopt;
}

// §2: flag-1/2/3 -> IP_VS_SVC_F_SCHED1/2/3, honoured only for the maglev scheduler.
std::uint32_t parse_sched_flags(std::string_view text) {
  std::uint32_t flags = 0;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view token = trim(text.substr(start, comma - start));
    if (token == "flag-1") flags |= ipvs::flags::kSched1;
    if (token == "flag-2") flags |= ipvs::flags::kSched2;
    if (token == "flag-3") flags |= ipvs::flags::kSched3;
    start = comma + 1;
  }
  return flags;
}

void add_unique(std::vector<IpAddress>& out, const IpAddress& ip) {
  if (std::find(out.begin(), out.end(), ip) == out.end()) {
    out.push_back(ip);
  }
}

void read_annotations(const k8s::StringMap& a, ServiceRecord& r) {
  const std::string scheduler(a.get(kSchedulerAnnotation).value_or("rr"));
  r.scheduler =
      std::find(std::begin(kSchedulers), std::end(kSchedulers), scheduler) != std::end(kSchedulers)
          ? scheduler
          : "rr";
  if (r.scheduler == "mh") {
    r.scheduler_flags = parse_sched_flags(a.get(kSchedFlagsAnnotation).value_or(""));
  }
  if (auto dsr = a.get(kDsrAnnotation)) {
    r.dsr = true;
    r.dsr_tunnel = *dsr == "tunnel";
  }
  r.hairpin = a.contains(kHairpinAnnotation);
  r.hairpin_external_ips = a.contains(kHairpinExternalAnnotation);
  r.skip_lb_ips = a.contains(kSkipLbIpsAnnotation);
  // annotations.md: service.local forces external Local and internal Cluster (upstream code;
  // the upstream docs claim both become Local).
  if (a.get(kLocalAnnotation) == "true") {
    r.external_local = true;
    r.internal_local = false;
  }
}

}  // namespace

std::uint32_t ServiceRecord::ipvs_flags() const {
  return (session_affinity ? ipvs::flags::kPersistent : 0) | scheduler_flags;
}

ServiceReadResult read_service(const k8s::Service& service, const ServiceIpValidator& validator) {
  ServiceReadResult result;
  const auto& labels = service.meta.labels;
  if (service.type == "ExternalName" || labels.contains(kHeadlessLabel) ||
      (labels.contains(kProxyNameLabel) && labels.get(kProxyNameLabel) != "kube-router") ||
      service.cluster_ip.empty() || lower(service.cluster_ip) == "none") {
    return result;
  }
  ServiceRecord r;
  r.id = {std::string(service.meta.namespace_.view()), service.meta.name};

  std::vector<std::string> cluster_texts{service.cluster_ip};
  cluster_texts.insert(cluster_texts.end(), service.cluster_ips.begin(), service.cluster_ips.end());
  for (const std::string& text : cluster_texts) {
    if (auto ip = IpAddress::parse(text)) {
      add_unique(r.cluster_ips, *ip);
    } else if (lower(text) != "none") {
      result.problems.push_back(fmt::format("cluster IP \"{}\" is not an IP address", text));
    }
  }

  auto external = validator.external_ips(service.external_ips);
  r.external_ips = std::move(external.accepted);
  std::vector<std::string> ingress;
  for (const k8s::LoadBalancerIngress& in : service.load_balancer_ingress) {
    // Hostname-only entries carry no IP; ipMode Proxy means the load balancer proxies the
    // traffic to node ports itself, so the IP must not be captured on the node (KEP-1860).
    if (!in.ip.empty() && in.ip_mode != "Proxy") {
      ingress.push_back(in.ip);
    }
  }
  auto lb = validator.loadbalancer_ips(ingress);
  r.loadbalancer_ips = std::move(lb.accepted);
  for (auto* rejected : {&external.rejected, &lb.rejected}) {
    result.problems.insert(result.problems.end(), rejected->begin(), rejected->end());
  }

  for (const k8s::ServicePort& p : service.ports) {
    const auto protocol = parse_protocol(p.protocol.view());
    if (!protocol) {
      result.problems.push_back(
          fmt::format("port {} has unsupported protocol \"{}\"", p.port, p.protocol.view()));
      continue;
    }
    if (p.port < 1 || p.port > 65535 || p.node_port < 0 || p.node_port > 65535) {
      result.problems.push_back(
          fmt::format("port \"{}\" has an out-of-range port {} or nodePort {}", p.name.view(),
                      p.port, p.node_port));
      continue;
    }
    r.ports.push_back({.name = p.name.str(),
                       .protocol = *protocol,
                       .port = static_cast<std::uint16_t>(p.port),
                       .node_port = static_cast<std::uint16_t>(p.node_port)});
  }
  if (service.health_check_node_port > 0 && service.health_check_node_port <= 65535) {
    r.health_check_node_port = static_cast<std::uint16_t>(service.health_check_node_port);
  }

  if (service.session_affinity == "ClientIP") {
    r.session_affinity = true;
    const std::int32_t t =
        service.session_affinity_timeout_seconds.value_or(kDefaultAffinitySeconds);
    if (t > 0 && t <= kMaxAffinitySeconds) {
      r.affinity_timeout = static_cast<std::uint32_t>(t);
    } else {
      r.affinity_timeout = kDefaultAffinitySeconds;
      result.problems.push_back(fmt::format("session affinity timeout {} is outside 1-{}, using {}",
                                            t, kMaxAffinitySeconds, kDefaultAffinitySeconds));
    }
  }
  r.internal_local = service.internal_traffic_policy == "Local";
  r.external_local = service.external_traffic_policy == "Local";
  read_annotations(service.meta.annotations, r);
  result.record = std::move(r);
  return result;
}

}  // namespace kr::proxy
