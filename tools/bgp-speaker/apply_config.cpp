#include "apply_config.h"

#include <algorithm>

namespace kr::bgp::tool {

std::variant<policy::PolicyPtr, std::string> build_policy(const ToolConfig& config) {
  policy::PolicyConfig pc;
  policy::Policy exports{"bgp-speaker-export", {}};
  for (const Neighbor& n : config.neighbors) {
    const ExportActions& a = n.export_actions;
    if (!a.any()) continue;
    const std::string name = "neighbor-" + n.peer.address.to_string();
    policy::NeighborSet set(name);
    set.add(n.peer.address);
    pc.neighbor_sets.push_back(std::move(set));
    policy::Statement st;
    st.name = "export-to-" + n.peer.address.to_string();
    st.conditions.neighbor_set = name;
    st.actions.disposition = a.reject ? policy::Disposition::kReject : policy::Disposition::kAccept;
    if (!a.communities.empty()) {
      st.actions.community_op = policy::CommunityOp::kAdd;
      st.actions.communities = a.communities;
    }
    st.actions.prepend_asn = a.prepend_asn;
    st.actions.prepend_count = a.prepend_count;
    st.actions.next_hop_self = a.next_hop_self;
    exports.statements.push_back(std::move(st));
  }
  if (!exports.statements.empty()) {
    pc.export_policies.push_back(exports.name);
    pc.policies.push_back(std::move(exports));
  }
  auto built = policy::RoutingPolicy::build(std::move(pc));
  if (auto* e = std::get_if<std::string>(&built)) return "export policy: " + *e;
  return std::get<0>(built);
}

std::vector<std::string> apply_config(speaker::Speaker& speaker, const ToolConfig& from,
                                      const ToolConfig& to) {
  std::vector<std::string> problems;
  auto note = [&](std::string e) {
    if (!e.empty()) problems.push_back(std::move(e));
  };
  auto find = [](const ToolConfig& c, const IpAddress& a) -> const Neighbor* {
    auto it = std::find_if(c.neighbors.begin(), c.neighbors.end(),
                           [&](const Neighbor& n) { return n.peer.address == a; });
    return it == c.neighbors.end() ? nullptr : &*it;
  };

  // Policy first, so new neighbors never see routes the new policy rejects.
  auto policy = build_policy(to);
  if (auto* e = std::get_if<std::string>(&policy)) {
    problems.push_back(*e);
  } else {
    speaker.set_policy(std::get<policy::PolicyPtr>(policy));
  }

  for (const Neighbor& n : from.neighbors) {
    if (find(to, n.peer.address) == nullptr) note(speaker.remove_peer(n.peer.address));
  }
  for (const Neighbor& n : to.neighbors) {
    const Neighbor* before = find(from, n.peer.address);
    if (before == nullptr) {
      note(speaker.add_peer(n.peer));
    } else if (!(before->peer == n.peer)) {
      note(speaker.update_peer(n.peer));
    }
  }

  for (const Origination& o : from.originate) {
    const bool kept = std::any_of(to.originate.begin(), to.originate.end(),
                                  [&](const Origination& x) { return x.prefix == o.prefix; });
    if (!kept) speaker.withdraw(o.prefix);
  }
  // Identical re-originations send nothing, so every entry can be replayed.
  for (const Origination& o : to.originate) {
    note(speaker.originate(o.prefix, o.next_hop, o.communities));
  }
  return problems;
}

}  // namespace kr::bgp::tool
