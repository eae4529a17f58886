#include "service_network.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <set>

#include "api_error.h"
#include "object_meta.h"
#include "resource_types.h"
#include "store.h"

namespace kr::apiserver_lite {
namespace json = boost::json;

namespace {

std::string family_name(int family) { return family == 4 ? "IPv4" : "IPv6"; }

json::object& member_object(json::object& parent, std::string_view name) {
  json::value& v = parent[name];
  if (!v.is_object()) {
    v = json::object();
  }
  return v.get_object();
}

std::string string_member(const json::object& object, std::string_view name) {
  const json::value* v = object.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Where dynamic allocation starts: kube-apiserver keeps the low band of a range for explicit
// requests (KEP-3070 for IPs, KEP-3668 for node ports) and hands out the rest first.
uint64_t dynamic_start(uint64_t size, uint64_t divisor, uint64_t cap) {
  const uint64_t reserved = std::min<uint64_t>(std::max<uint64_t>(16, size / divisor), cap);
  return reserved < size ? reserved : 0;
}

ApiError service_invalid(const std::string& name, const std::string& field,
                         const std::string& message) {
  return invalid("Service", "", name, {{"FieldValueInvalid", message, field}});
}

struct InUse {
  std::set<std::string> ips;
  std::set<int64_t> node_ports;
};

// What every other Service holds (the one being written is excluded by key).
InUse in_use(const Store& store, const std::string& key) {
  InUse used;
  const ResourceType& services = *find_resource("", "v1", "services");
  for (const auto& [other_key, object] : store.snapshot(services, "", 0)) {
    if (other_key == key) {
      continue;
    }
    const json::value* spec = object->if_contains("spec");
    if (spec == nullptr || !spec->is_object()) {
      continue;
    }
    if (const json::value* ips = spec->get_object().if_contains("clusterIPs");
        ips != nullptr && ips->is_array()) {
      for (const auto& ip : ips->get_array()) {
        if (ip.is_string()) {
          if (std::string canonical = canonical_ip(std::string(ip.get_string()));
              !canonical.empty()) {
            used.ips.insert(std::move(canonical));
          }
        }
      }
    }
    if (const json::value* ports = spec->get_object().if_contains("ports");
        ports != nullptr && ports->is_array()) {
      for (const auto& port : ports->get_array()) {
        const json::value* node_port =
            port.is_object() ? port.get_object().if_contains("nodePort") : nullptr;
        if (node_port != nullptr && node_port->is_int64()) {
          used.node_ports.insert(node_port->get_int64());
        }
      }
    }
  }
  return used;
}

// The nodePort the same (port, protocol) had before an update, or 0.
int64_t previous_node_port(const json::object& old_spec, const json::object& port) {
  const json::value* old_ports = old_spec.if_contains("ports");
  const json::value* number = port.if_contains("port");
  if (old_ports == nullptr || !old_ports->is_array() || number == nullptr) {
    return 0;
  }
  for (const auto& entry : old_ports->get_array()) {
    if (!entry.is_object()) {
      continue;
    }
    const json::object& old_port = entry.get_object();
    const json::value* old_number = old_port.if_contains("port");
    const json::value* node_port = old_port.if_contains("nodePort");
    if (old_number != nullptr && *old_number == *number && node_port != nullptr &&
        node_port->is_int64() &&
        string_member(old_port, "protocol") == string_member(port, "protocol")) {
      return node_port->get_int64();
    }
  }
  return 0;
}

}  // namespace

ServiceNetworkConfig ServiceNetworkConfig::defaults() {
  return {{*IpRange::parse("10.96.0.0/12")}, 30000, 32767};
}

void ServiceNetwork::prepare(json::object& service, const json::object* old) const {
  const std::string name = meta_string(service, "name");
  const std::string key = meta_string(service, "namespace") + "/" + name;
  json::object& spec = member_object(service, "spec");
  const json::object* old_spec = nullptr;
  if (old != nullptr) {
    const json::value* v = old->if_contains("spec");
    old_spec = v != nullptr && v->is_object() ? &v->get_object() : nullptr;
  }
  if (string_member(spec, "type").empty()) {
    spec["type"] = "ClusterIP";
  }
  const std::string type = string_member(spec, "type");
  const bool external_name = type == "ExternalName";
  const bool node_ports = type == "NodePort" || type == "LoadBalancer";
  if (!external_name) {
    if (!spec.contains("sessionAffinity")) {
      spec["sessionAffinity"] = "None";
    }
    if (!spec.contains("internalTrafficPolicy")) {
      spec["internalTrafficPolicy"] = "Cluster";
    }
  }
  if (node_ports && !spec.contains("externalTrafficPolicy")) {
    spec["externalTrafficPolicy"] = "Cluster";
  }
  if (type == "LoadBalancer" && !spec.contains("allocateLoadBalancerNodePorts")) {
    spec["allocateLoadBalancerNodePorts"] = true;
  }
  if (json::value* ports = spec.if_contains("ports"); ports != nullptr && ports->is_array()) {
    for (auto& port : ports->get_array()) {
      if (!port.is_object()) {
        continue;
      }
      json::object& p = port.get_object();
      if (string_member(p, "protocol").empty()) {
        p["protocol"] = "TCP";
      }
      if (!p.contains("targetPort") && p.contains("port")) {
        p["targetPort"] = p.at("port");
      }
    }
  }

  if (external_name) {
    spec.erase("clusterIP");
    spec.erase("clusterIPs");
  } else {
    // An allocated clusterIP survives updates that leave it out and may never change.
    const std::string old_ip = old_spec != nullptr ? string_member(*old_spec, "clusterIP") : "";
    const std::string new_ip = string_member(spec, "clusterIP");
    if (!old_ip.empty() && (new_ip.empty() || new_ip == old_ip)) {
      for (const char* field : {"clusterIPs", "ipFamilies", "ipFamilyPolicy"}) {
        const json::value* v = old_spec->if_contains(field);
        if (v != nullptr && !spec.contains(field)) {
          spec[field] = *v;
        }
      }
      spec["clusterIP"] = old_ip;
    } else if (!old_ip.empty()) {
      throw service_invalid(name, "spec.clusterIPs[0]",
                            "Invalid value: \"" + new_ip + "\": may not change once set");
    } else {
      assign_cluster_ips(spec, name, key);
    }
  }
  assign_node_ports(spec, node_ports ? old_spec : nullptr, name, key);
}

void ServiceNetwork::assign_cluster_ips(json::object& spec, const std::string& name,
                                        const std::string& key) const {
  const std::string cluster_ip = string_member(spec, "clusterIP");
  const int primary = config_.cluster_ip_ranges.front().family;
  std::string policy = string_member(spec, "ipFamilyPolicy");
  if (policy.empty()) {
    policy = "SingleStack";
  }
  std::vector<int> families;
  if (const json::value* v = spec.if_contains("ipFamilies"); v != nullptr && v->is_array()) {
    for (const auto& f : v->get_array()) {
      families.push_back(f == "IPv6" ? 6 : 4);
    }
  }
  std::vector<std::string> requested;
  if (const json::value* v = spec.if_contains("clusterIPs"); v != nullptr && v->is_array()) {
    for (const auto& ip : v->get_array()) {
      requested.push_back(ip.is_string() ? std::string(ip.get_string()) : "");
    }
  } else if (!cluster_ip.empty()) {
    requested.push_back(cluster_ip);
  }
  if (cluster_ip == "None" || (!requested.empty() && requested.front() == "None")) {
    spec["clusterIP"] = "None";
    spec["clusterIPs"] = json::array{"None"};
    if (families.empty()) {
      spec["ipFamilies"] = json::array{json::string(family_name(primary))};
    }
    spec["ipFamilyPolicy"] = policy;
    return;
  }
  if (families.empty()) {
    const int first = requested.empty() ? primary : parse_ip(requested.front()).first;
    families.push_back(first != 0 ? first : primary);
    const bool dual = policy == "PreferDualStack" || policy == "RequireDualStack";
    if (dual && config_.cluster_ip_ranges.size() > 1) {
      families.push_back(families.front() == 4 ? 6 : 4);
    }
  }
  if (policy == "RequireDualStack" && families.size() < 2) {
    throw invalid("Service", "", name,
                  {{"FieldValueInvalid",
                    "Invalid value: \"RequireDualStack\": this cluster is not configured for "
                    "dual-stack services",
                    "spec.ipFamilyPolicy"}});
  }
  const InUse used = in_use(store_, key);
  json::array ips;
  for (size_t i = 0; i < families.size(); ++i) {
    const std::string field = "spec.clusterIPs[" + std::to_string(i) + "]";
    const auto range =
        std::find_if(config_.cluster_ip_ranges.begin(), config_.cluster_ip_ranges.end(),
                     [&](const IpRange& r) { return r.family == families[i]; });
    if (range == config_.cluster_ip_ranges.end()) {
      throw service_invalid(
          name, "spec.ipFamilies[" + std::to_string(i) + "]",
          "Invalid value: \"" + family_name(families[i]) + "\": not configured on this cluster");
    }
    if (i < requested.size() && !requested[i].empty()) {
      const std::string canonical = canonical_ip(requested[i]);
      if (canonical.empty()) {
        throw service_invalid(
            name, field, "Invalid value: \"" + requested[i] + "\": must be a valid IP address");
      }
      if (!range->contains(canonical)) {
        throw service_invalid(name, field,
                              "Invalid value: \"" + requested[i] + "\": failed to allocate IP " +
                                  requested[i] + ": the provided IP (" + requested[i] +
                                  ") is not in the valid range. The range of valid IPs is " +
                                  range->text);
      }
      if (used.ips.contains(canonical)) {
        throw service_invalid(name, field,
                              "Invalid value: \"" + requested[i] + "\": failed to allocate IP " +
                                  requested[i] + ": provided IP is already allocated");
      }
      ips.push_back(json::string(canonical));
      continue;
    }
    const uint64_t size = range->size();
    const uint64_t start = dynamic_start(size, 16, 256);
    std::string chosen;
    for (uint64_t n = 0; n < size && chosen.empty(); ++n) {
      const std::string candidate = range->at((start + n) % size + 1);
      if (!used.ips.contains(candidate)) {
        chosen = candidate;
      }
    }
    if (chosen.empty()) {
      throw ApiError(500, "InternalError",
                     "failed to allocate a serviceIP: range is full (" + range->text + ")");
    }
    ips.push_back(json::string(chosen));
  }
  spec["clusterIP"] = ips.front();
  spec["clusterIPs"] = ips;
  json::array family_names;
  for (const int family : families) {
    family_names.push_back(json::string(family_name(family)));
  }
  spec["ipFamilies"] = std::move(family_names);
  spec["ipFamilyPolicy"] = policy;
}

void ServiceNetwork::assign_node_ports(json::object& spec, const json::object* old_spec,
                                       const std::string& name, const std::string& key) const {
  json::value* ports = spec.if_contains("ports");
  if (ports == nullptr || !ports->is_array()) {
    return;
  }
  const std::string type = string_member(spec, "type");
  const json::value* allocate_lb = spec.if_contains("allocateLoadBalancerNodePorts");
  const bool wanted = type == "NodePort" ||
                      (type == "LoadBalancer" && (allocate_lb == nullptr || *allocate_lb != false));
  const InUse used = wanted ? in_use(store_, key) : InUse{};
  std::set<int64_t> taken_here;
  size_t index = 0;
  for (auto& entry : ports->get_array()) {
    const std::string field = "spec.ports[" + std::to_string(index++) + "].nodePort";
    if (!entry.is_object()) {
      continue;
    }
    json::object& port = entry.get_object();
    if (type == "ClusterIP" || type == "ExternalName") {
      port.erase("nodePort");  // released when the type no longer needs one
      continue;
    }
    const json::value* node_port = port.if_contains("nodePort");
    int64_t value = node_port != nullptr && node_port->is_int64() ? node_port->get_int64() : 0;
    if (value == 0 && old_spec != nullptr) {
      value = previous_node_port(*old_spec, port);
      if (value != 0) {
        port["nodePort"] = value;
        taken_here.insert(value);
        continue;
      }
    }
    if (value != 0) {
      if (value < config_.node_port_min || value > config_.node_port_max) {
        throw service_invalid(name, field,
                              "Invalid value: " + std::to_string(value) +
                                  ": provided port is not in the valid range. The range of valid "
                                  "ports is " +
                                  std::to_string(config_.node_port_min) + "-" +
                                  std::to_string(config_.node_port_max));
      }
      if (used.node_ports.contains(value) || taken_here.contains(value)) {
        throw service_invalid(
            name, field,
            "Invalid value: " + std::to_string(value) + ": provided port is already allocated");
      }
      taken_here.insert(value);
      continue;
    }
    if (!wanted) {
      continue;
    }
    const auto size = static_cast<uint64_t>(config_.node_port_max) -
                      static_cast<uint64_t>(config_.node_port_min) + 1;
    const uint64_t start = dynamic_start(size, 32, 128);
    for (uint64_t n = 0; n < size; ++n) {
      const int64_t candidate = config_.node_port_min + static_cast<int64_t>((start + n) % size);
      if (!used.node_ports.contains(candidate) && !taken_here.contains(candidate)) {
        port["nodePort"] = candidate;
        taken_here.insert(candidate);
        break;
      }
    }
    if (!port.contains("nodePort")) {
      throw ApiError(500, "InternalError", "failed to allocate a nodePort: range is full");
    }
  }
}

}  // namespace kr::apiserver_lite
