// What the Service registry adds on every write, as kube-apiserver's service REST storage does:
// field defaults (type, sessionAffinity, port protocol and targetPort, traffic policies, IP
// families) and allocation of spec.clusterIP(s) from --service-cluster-ip-range and of
// spec.ports[].nodePort from --service-node-port-range, with the same 422 errors for an
// explicit value that is out of range or already taken.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "ip_range.h"

namespace kr::apiserver_lite {

class Store;

struct ServiceNetworkConfig {
  std::vector<IpRange> cluster_ip_ranges;  // one per family, primary first
  int node_port_min = 30000;
  int node_port_max = 32767;

  // kube-apiserver's defaults: 10.96.0.0/12 and 30000-32767.
  static ServiceNetworkConfig defaults();
};

class ServiceNetwork {
 public:
  ServiceNetwork(ServiceNetworkConfig config, const Store& store)
      : config_(std::move(config)), store_(store) {}

  // Defaults and allocations for a Service being created (`old` null) or updated. Throws
  // ApiError (422) for an explicit clusterIP or nodePort that is invalid, outside its range
  // or already used by another Service.
  void prepare(boost::json::object& service, const boost::json::object* old) const;

 private:
  void assign_cluster_ips(boost::json::object& spec, const std::string& name,
                          const std::string& key) const;
  void assign_node_ports(boost::json::object& spec, const boost::json::object* old_spec,
                         const std::string& name, const std::string& key) const;

  ServiceNetworkConfig config_;
  const Store& store_;
};

}  // namespace kr::apiserver_lite
