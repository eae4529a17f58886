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

std::string set_matched(const FamilyRuleset& r, const std::string& chain, std::string_view text,
                        std::string_view direction) {
  const auto it = r.filter.chains.find(chain);
  if (it == r.filter.chains.end()) return "";
  for (const std::string& rule : it->second) {
    if (rule.find(text) == std::string::npos) continue;
    for (size_t pos = rule.find("--match-set "); pos != std::string::npos;
         pos = rule.find("--match-set ", pos + 1)) {
      const size_t name = pos + 12;
      const size_t space = rule.find(' ', name);
      if (rule.compare(space + 1, direction.size(), direction) == 0) {
        return rule.substr(name, space - name);
      }
    }
  }
  return "";
}

}  // namespace kr::netpol::testing
