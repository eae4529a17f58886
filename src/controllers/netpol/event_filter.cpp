#include "controllers/netpol/event_filter.h"

#include "controllers/netpol/cluster_index.h"

namespace kr::netpol {
namespace {

bool same_ports(const k8s::Pod& a, const k8s::Pod& b) {
  if (a.container_ports.size() != b.container_ports.size()) return false;
  for (size_t i = 0; i < a.container_ports.size(); ++i) {
    const auto& x = a.container_ports[i];
    const auto& y = b.container_ports[i];
    if (x.name != y.name || x.container_port != y.container_port || x.protocol != y.protocol) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool pod_change_matters(const k8s::Pod* old, const k8s::Pod* now) {
  if (!old || !now) {
    // Pods that never had an address were in no chain and no set.
    return pod_is_actionable(old ? *old : *now);
  }
  return old->phase != now->phase || old->pod_ips != now->pod_ips || old->host_ip != now->host_ip ||
         old->meta.labels != now->meta.labels || old->host_network != now->host_network ||
         old->node_name != now->node_name || !same_ports(*old, *now);
}

bool namespace_change_matters(const k8s::Namespace* old, const k8s::Namespace* now) {
  return !old || !now || old->meta.labels != now->meta.labels;
}

}  // namespace kr::netpol
