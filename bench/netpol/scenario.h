// A synthetic cluster at the scale: 1,000 pods in 20 namespaces (100 of them on the
// benchmarked node), 500 NetworkPolicies mixing every rule kind (pod and namespace selectors,
// ipBlocks with excepts, numeric, ranged and named ports, ingress and egress). Deterministic.
#pragma once

#include <memory>
#include <string>

#include "controllers/netpol/firewall_inputs.h"

namespace kr::netpol::bench {

struct ScenarioSize {
  int namespaces = 20;
  int pods = 1000;
  int local_pods = 100;
  int policies = 500;
};

ClusterState make_scenario(const ScenarioSize& size);

// The node the benchmark runs the firewall for.
NodeFacts bench_node();

// A pod on the benchmarked node that the scenario does not contain yet (index makes it unique).
std::shared_ptr<const k8s::Pod> extra_local_pod(int index);

// The policy `index` of the scenario with its first port moved by `shift`.
std::shared_ptr<const k8s::NetworkPolicy> changed_policy(const ClusterState& state, int index,
                                                         int shift);

}  // namespace kr::netpol::bench
