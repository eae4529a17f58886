#include "builder_test_support.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace kr::netpol::testing {

Cluster::Cluster() {
  settings.ipv6 = true;
  settings.cluster_ip_ranges = {*parse_cidr("10.96.0.0/12")};
  const std::vector<std::pair<std::string, int>> namespaces = {{"x", 1}, {"y", 2}, {"z", 3}};
  for (const auto& [ns, subnet] : namespaces) {
    state.namespaces.push_back(make_namespace(ns, {{"ns", ns}}));
    int host = 1;
    for (const std::string name : {"a", "b", "c"}) {
      state.pods.push_back(make_pod({.ns = ns,
                                     .name = name,
                                     .ips = {fmt::format("10.244.{}.{}", subnet, host),
                                             fmt::format("fd00:244:{}::{}", subnet, host)},
                                     .labels = {{"pod", name}},
                                     .node = subnet == 1 ? "node-1" : "node-2"}));
      ++host;
    }
  }
}

std::string Cluster::ip(std::string_view pod, Family f) const {
  for (const auto& p : state.pods) {
    if (p->meta.key() == pod) {
      for (const std::string& address : p->pod_ips) {
        if ((address.find(':') != std::string::npos) == (f == Family::kIPv6)) return address;
      }
    }
  }
  ADD_FAILURE() << "no pod " << pod;
  return "";
}

bool Cluster::can(const DesiredState& d, std::string_view from, std::string_view to, int port,
                  std::string protocol, Family f) const {
  return allowed(
      rules(d, f),
      Packet{.src = ip(from, f), .dst = ip(to, f), .protocol = std::move(protocol), .dport = port});
}

const FamilyRuleset& rules(const DesiredState& d, Family f) {
  static const FamilyRuleset kEmpty;
  if (!d.family(f)) {
    ADD_FAILURE() << "family not built";
    return kEmpty;
  }
  return *d.family(f);
}

}  // namespace kr::netpol::testing
