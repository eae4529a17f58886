// EndpointSlices as the proxy reads them (proxy.md §1.4): which Service a slice belongs to, and
// the usable endpoints of each service port name.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "controllers/proxy/cidr.h"
#include "controllers/proxy/service_record.h"
#include "k8s/objects.h"

namespace kr::proxy {

struct EndpointRecord {
  IpAddress ip;
  std::uint16_t port = 0;  // the slice port's number (the Service's target port)
  bool local = false;      // endpoints[].nodeName is this node
  bool ready = false;
  bool serving = false;
  bool terminating = false;

  friend bool operator==(const EndpointRecord&, const EndpointRecord&) = default;
  // clang-tidy 14 misreads the generated body of a defaulted <=> (llvm-project#53961).
  // NOLINTNEXTLINE(modernize-use-nullptr,readability-implicit-bool-conversion)
  friend auto operator<=>(const EndpointRecord&, const EndpointRecord&) = default;
};

// Service port name -> endpoints, each list sorted by (ip, port) without duplicates.
using EndpointsByPort = std::map<std::string, std::vector<EndpointRecord>, std::less<>>;

// Slices the proxy ignores: label service.kubernetes.io/headless, the leader-election
// annotation (annotations.md §2), or an addressType other than IPv4/IPv6 (FQDN).
bool slice_ignored(const k8s::EndpointSlice& slice);

// The Service a slice belongs to: label kubernetes.io/service-name, else the name of its only
// ownerReference, else metadata.generateName without the trailing '-'. nullopt when none.
std::optional<ServiceId> owning_service(const k8s::EndpointSlice& slice);

struct EndpointReadResult {
  EndpointsByPort by_port;
  std::vector<std::string> problems;  // e.g. "slice ns/s1: endpoint address \"x\" is not IPv4"
};

// The endpoints of all slices of one Service. An endpoint is used when it is ready or serving
// (so a terminating endpoint that still serves keeps receiving traffic, as upstream does);
// unset conditions read as the API defines them (ready/serving true, terminating false).
EndpointReadResult read_endpoints(std::span<const std::shared_ptr<const k8s::EndpointSlice>> slices,
                                  std::string_view node_name);

}  // namespace kr::proxy
