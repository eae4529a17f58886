#include "controllers/proxy/service_state.h"

#include <algorithm>
#include <map>
#include <set>

#include "controllers/proxy/rule_text.h"
#include "fmt/format.h"

namespace kr::proxy {
namespace {

template <class T>
void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// Collects one Service's pieces; the finish() step sorts them into a ServiceState.
class StateBuilder {
 public:
  StateBuilder(const ServiceRecord& service, const NodeFacts& node)
      : service_(service), node_(node) {}

  // One virtual service at address:port with the endpoints of its family (local ones only under
  // a Local traffic policy, §4.1).
  void add_virtual_service(const IpAddress& address, const ServicePortRecord& port,
                           std::uint16_t vport, const std::vector<EndpointRecord>& endpoints,
                           bool local_only) {
    const VipKey key{address, port.protocol, vport};
    auto [it, inserted] = virtual_services_.try_emplace(key);
    DesiredVirtualService& vs = it->second;
    if (inserted) {
      vs.key = key;
      vs.scheduler = service_.scheduler;
      vs.flags = service_.ipvs_flags();
      vs.timeout = service_.session_affinity ? service_.affinity_timeout : 0;
    }
    for (const EndpointRecord& e : endpoints) {
      if (e.ip.family() == address.family() && (!local_only || e.local)) {
        vs.destinations.push_back({e.ip, e.port});
      }
    }
  }

  // A VIP on kube-dummy-if needs a node IP of its family as the source of its local route
  // (§4.5); without one the address is skipped.
  bool add_vip(const IpAddress& vip) {
    if (!node_.capable(family_of(vip))) {
      problem(fmt::format("{} not programmed: the node has no {} address", vip.to_string(),
                          family_name(family_of(vip))));
      return false;
    }
    state_.vips.push_back(vip);
    return true;
  }

  void add_hairpin(const IpAddress& endpoint, const IpAddress& vip, std::uint16_t port) {
    state_.hairpin_rules.push_back({family_of(endpoint), hairpin_rule(endpoint, vip, port)});
  }

  void problem(std::string message) { problems_.insert(std::move(message)); }
  ServiceState& state() { return state_; }

  ServiceState finish() {
    for (auto& [key, vs] : virtual_services_) {
      sort_unique(vs.destinations);
      state_.virtual_services.push_back(std::move(vs));
    }
    sort_unique(state_.vips);
    sort_unique(state_.hairpin_rules);
    state_.problems.assign(problems_.begin(), problems_.end());
    return std::move(state_);
  }

 private:
  const ServiceRecord& service_;
  const NodeFacts& node_;
  std::map<VipKey, DesiredVirtualService> virtual_services_;
  std::set<std::string> problems_;
  ServiceState state_;
};

std::vector<IpAddress> of_family(const std::vector<IpAddress>& ips, Family family) {
  std::vector<IpAddress> out;
  std::copy_if(ips.begin(), ips.end(), std::back_inserter(out),
               [&](const IpAddress& ip) { return family_of(ip) == family; });
  return out;
}

}  // namespace

std::string VipKey::to_string() const {
  return address.is_v6()
             ? fmt::format("[{}]:{}/{}", address.to_string(), port, ipvs::to_string(protocol))
             : fmt::format("{}:{}/{}", address.to_string(), port, ipvs::to_string(protocol));
}

ServiceState build_service_state(const ServiceRecord& service, const EndpointsByPort& endpoints,
                                 const NodeFacts& node, const ProxySettings& settings) {
  StateBuilder b(service, node);
  static const std::vector<EndpointRecord> kNoEndpoints;
  std::vector<IpAddress> external = service.external_ips;
  if (!service.skip_lb_ips) {
    for (const IpAddress& ip : service.loadbalancer_ips) {
      if (std::find(external.begin(), external.end(), ip) == external.end()) {
        external.push_back(ip);
      }
    }
  }
  const bool hairpin = settings.hairpin_mode || service.hairpin;

  for (const ServicePortRecord& port : service.ports) {
    const auto found = endpoints.find(port.name);
    const auto& eps = found != endpoints.end() ? found->second : kNoEndpoints;
    const bool has_local =
        std::any_of(eps.begin(), eps.end(), [](const EndpointRecord& e) { return e.local; });

    // §4.2 ClusterIP: skipped entirely under internal policy Local without a local endpoint.
    if (!service.internal_local || has_local) {
      for (const IpAddress& ip : service.cluster_ips) {
        if (b.add_vip(ip)) {
          b.add_virtual_service(ip, port, port.port, eps, service.internal_local);
        }
      }
    }
    // §4.3, §4.4: under external policy Local a node without local endpoints takes no
    // external traffic at all, so the load balancer's health check steers it elsewhere.
    const bool external_programmed = !service.external_local || has_local;
    if (port.node_port != 0 && external_programmed) {
      if (settings.nodeport_bindon_all_ip) {
        for (const IpAddress& ip : node.local_addresses) {
          b.add_virtual_service(ip, port, port.node_port, eps, service.external_local);
        }
      } else {
        for (const Family family : kBothFamilies) {
          if (node.capable(family) && !of_family(service.cluster_ips, family).empty()) {
            b.add_virtual_service(node.best_ip(family), port, port.node_port, eps,
                                  service.external_local);
          }
        }
      }
    }
    if (external_programmed) {
      for (const IpAddress& ip : external) {
        if (service.dsr_tunnel) {
          b.problem(
              "kube-router.io/service.dsr=tunnel is not supported yet: its external and "
              "load balancer IPs are not programmed");
          continue;
        }
        if (b.add_vip(ip)) {
          b.add_virtual_service(ip, port, port.port, eps, service.external_local);
        }
      }
    }

    // §6: each local endpoint reaching itself through the service's addresses.
    if (hairpin && has_local) {
      for (const EndpointRecord& e : eps) {
        if (!e.local) {
          continue;
        }
        const Family family = family_of(e.ip);
        for (const IpAddress& ip : of_family(service.cluster_ips, family)) {
          b.add_hairpin(e.ip, ip, port.port);
        }
        if (service.hairpin_external_ips) {
          for (const IpAddress& ip : of_family(service.external_ips, family)) {
            b.add_hairpin(e.ip, ip, port.port);
          }
        }
        if (port.node_port != 0) {
          for (const IpAddress& ip : of_family(node.node_ips, family)) {
            b.add_hairpin(e.ip, ip, port.node_port);
          }
        }
      }
    }
  }

  if (service.health_check_node_port != 0) {
    std::set<IpAddress> local;
    for (const auto& [name, eps] : endpoints) {
      for (const EndpointRecord& e : eps) {
        if (e.local && !e.terminating) {
          local.insert(e.ip);
        }
      }
    }
    b.state().health_check =
        HealthCheck{service.health_check_node_port, static_cast<std::uint32_t>(local.size())};
  }
  b.state().sloppy_tcp = service.dsr && service.scheduler == "mh";
  return b.finish();
}

}  // namespace kr::proxy
