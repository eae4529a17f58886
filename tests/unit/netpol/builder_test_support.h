// A small cluster for desired-state tests: namespaces x, y, z (label ns=<name>), pods a, b, c
// in each (label pod=<name>). x's pods run on this node (10.244.1.1-3, fd00:244:1::1-3); y's and
// z's on another (10.244.2.x, 10.244.3.x).
#pragma once

#include <string>
#include <vector>

#include "controllers/netpol/ruleset_builder.h"
#include "fixtures.h"
#include "packet_sim.h"

namespace kr::netpol::testing {

class Cluster {
 public:
  Cluster();

  // The address of pod "<ns>/<name>" in a family.
  std::string ip(std::string_view pod, Family f = Family::kIPv4) const;

  void add_policy(const PolicySpec& spec) { state.policies.push_back(make_policy(spec)); }
  DesiredState build() const { return build_desired_state(state, node, settings); }

  // Whether a TCP (or `protocol`) connection from pod `from` to `to`:port passes this node's
  // firewall (FORWARD hook: routed pod traffic).
  bool can(const DesiredState& d, std::string_view from, std::string_view to, int port = 80,
           std::string protocol = "tcp", Family f = Family::kIPv4) const;

  ClusterState state;
  NodeFacts node = test_node();
  FirewallSettings settings;
};

// The family's ruleset, failing the test when it was not built.
const FamilyRuleset& rules(const DesiredState& d, Family f = Family::kIPv4);

// The ipset the first rule of `chain` containing `text` matches in `direction` (src or dst);
// "" when there is none.
std::string set_matched(const FamilyRuleset& r, const std::string& chain, std::string_view text,
                        std::string_view direction);

}  // namespace kr::netpol::testing
