// Test helper: the policy kube-router installs (routing.md §7.2) for node-a of
// the worked example (routing.md §15), so RIB and policy tests check the
// effective semantics of §7.1 with upstream's object names.
#pragma once

#include "bgp/policy/routing_policy.h"

namespace kr::bgp::test {

struct KubeRouterPolicyInput {
  std::vector<std::string> pod_cidrs = {"10.244.0.0/24"};
  std::vector<std::string> vips = {"10.96.0.50/32", "10.96.0.60/32"};
  std::vector<std::string> node_ips = {"10.0.1.10", "10.0.1.11", "10.0.2.10"};
  std::vector<std::string> external_peers = {"10.0.1.1"};
  std::vector<std::string> custom_import_reject = {"192.168.0.0/16"};
  std::vector<uint32_t> communities;  // node.bgp.communities
  uint32_t prepend_as = 0;            // path-prepend.as
  uint8_t prepend_count = 0;          // path-prepend.repeat-n
  bool next_hop_self = false;         // --override-nexthop
  bool advertise_pod_cidr = true;
};

inline policy::Statement statement(std::string name, std::string prefix_set,
                                   std::string neighbor_set, policy::Actions actions) {
  policy::Statement st;
  st.name = std::move(name);
  st.conditions.prefix_set = std::move(prefix_set);
  st.conditions.neighbor_set = std::move(neighbor_set);
  st.actions = std::move(actions);
  return st;
}

inline policy::Actions decide(policy::Disposition d) {
  policy::Actions a;
  a.disposition = d;
  return a;
}

inline policy::PolicyConfig kube_router_policy(const KubeRouterPolicyInput& in) {
  using namespace policy;
  PolicyConfig cfg;
  PrefixSet pods("podcidrdefinedset");
  for (const auto& p : in.pod_cidrs) pods.add(*IpPrefix::parse(p));
  PrefixSet vips("servicevipsdefinedset");
  for (const auto& p : in.vips) vips.add(*IpPrefix::parse(p));
  PrefixSet def("defaultroutedefinedset");
  def.add(*IpPrefix::parse("0.0.0.0/0"), 0, 0);
  PrefixSet reject("customimportrejectdefinedset");
  for (const auto& p : in.custom_import_reject) {
    IpPrefix prefix = *IpPrefix::parse(p);
    reject.add(prefix, prefix.len, prefix.max_len());
  }
  NeighborSet nodes("iBGPpeerset");
  for (const auto& a : in.node_ips) nodes.add(*IpAddress::parse(a));
  NeighborSet ext("externalpeerset");
  for (const auto& a : in.external_peers) ext.add(*IpAddress::parse(a));
  NeighborSet all("allpeerset");
  for (const auto& a : in.node_ips) all.add(*IpAddress::parse(a));
  for (const auto& a : in.external_peers) all.add(*IpAddress::parse(a));

  Actions external_actions;
  external_actions.disposition = Disposition::kAccept;
  if (!in.communities.empty()) {
    external_actions.community_op = CommunityOp::kAdd;
    external_actions.communities = in.communities;
  }
  external_actions.prepend_asn = in.prepend_as;
  external_actions.prepend_count = in.prepend_count;
  external_actions.next_hop_self = in.next_hop_self;

  Policy exp{"kube_router_export1", {}};
  exp.statements.push_back(statement("podcidrdefinedsetiBGPpeerset", "podcidrdefinedset",
                                     "iBGPpeerset", decide(Disposition::kAccept)));
  exp.statements.push_back(statement("servicevipsdefinedsetexternalpeerset",
                                     "servicevipsdefinedset", "externalpeerset", external_actions));
  if (in.advertise_pod_cidr) {
    exp.statements.push_back(statement("podcidrdefinedsetexternalpeerset", "podcidrdefinedset",
                                       "externalpeerset", external_actions));
  }
  Policy imp{"kube_router_import1", {}};
  for (const char* set :
       {"servicevipsdefinedset", "defaultroutedefinedset", "customimportrejectdefinedset"}) {
    imp.statements.push_back(statement(std::string(set) + "allpeerset", set, "allpeerset",
                                       decide(Disposition::kReject)));
  }
  cfg.prefix_sets = {pods, vips, def, reject};
  cfg.neighbor_sets = {nodes, ext, all};
  cfg.policies = {exp, imp};
  cfg.export_policies = {"kube_router_export1"};
  cfg.export_default_accept = false;
  cfg.import_policies = {"kube_router_import1"};
  cfg.import_default_accept = true;
  return cfg;
}

inline policy::PolicyPtr build_policy(policy::PolicyConfig cfg) {
  auto built = policy::RoutingPolicy::build(std::move(cfg));
  return std::get<policy::PolicyPtr>(built);
}

}  // namespace kr::bgp::test
