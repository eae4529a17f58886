#include "controllers/proxy/endpoint_record.h"

#include <algorithm>

#include "fmt/format.h"

namespace kr::proxy {
namespace {

constexpr std::string_view kHeadlessLabel = "service.kubernetes.io/headless";

}  // namespace

bool slice_ignored(const k8s::EndpointSlice& slice) {
  return slice.meta.labels.contains(kHeadlessLabel) ||
         slice.meta.annotations.contains(k8s::kLeaderAnnotation) ||
         (slice.address_type != "IPv4" && slice.address_type != "IPv6");
}

std::optional<ServiceId> owning_service(const k8s::EndpointSlice& slice) {
  std::string name(slice.service_name());
  if (name.empty() && slice.owner_references.size() == 1) {
    name = slice.owner_references.front().name;
  }
  if (name.empty() && !slice.generate_name.empty()) {
    name = slice.generate_name;
    if (name.back() == '-') {
      name.pop_back();
    }
  }
  if (name.empty()) {
    return std::nullopt;
  }
  return ServiceId{std::string(slice.meta.namespace_.view()), std::move(name)};
}

EndpointReadResult read_endpoints(std::span<const std::shared_ptr<const k8s::EndpointSlice>> slices,
                                  std::string_view node_name) {
  EndpointReadResult r;
  for (const auto& slice : slices) {
    if (slice_ignored(*slice)) {
      continue;
    }
    const Family family = slice->address_type == "IPv6" ? Family::kIPv6 : Family::kIPv4;
    const std::string key = slice->meta.key();
    std::vector<std::pair<std::string, std::uint16_t>> ports;
    for (const k8s::EndpointPort& port : slice->ports) {
      // An unset port means "all ports", which IPVS destinations cannot express.
      if (!port.port || *port.port < 1 || *port.port > 65535) {
        r.problems.push_back(
            fmt::format("slice {}: port \"{}\" has no usable number", key, port.name.view()));
        continue;
      }
      ports.emplace_back(port.name.str(), static_cast<std::uint16_t>(*port.port));
    }
    for (const k8s::Endpoint& ep : slice->endpoints) {
      const bool ready = ep.ready.value_or(true);
      const bool serving = ep.serving.value_or(true);
      if (!ready && !serving) {
        continue;
      }
      for (const std::string& text : ep.addresses) {
        const auto ip = IpAddress::parse(text);
        if (!ip || family_of(*ip) != family) {
          r.problems.push_back(fmt::format("slice {}: endpoint address \"{}\" is not {}", key, text,
                                           family_name(family)));
          continue;
        }
        for (const auto& [port_name, number] : ports) {
          r.by_port[port_name].push_back({.ip = *ip,
                                          .port = number,
                                          .local = !node_name.empty() && ep.node_name == node_name,
                                          .ready = ready,
                                          .serving = serving,
                                          .terminating = ep.terminating.value_or(false)});
        }
      }
    }
  }
  for (auto& [name, list] : r.by_port) {
    std::sort(list.begin(), list.end());
    // The same address in two slices (a slice being replaced): keep one.
    list.erase(std::unique(list.begin(), list.end(),
                           [](const EndpointRecord& a, const EndpointRecord& b) {
                             return a.ip == b.ip && a.port == b.port;
                           }),
               list.end());
  }
  return r;
}

}  // namespace kr::proxy
