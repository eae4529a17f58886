// The e2e netpol model on namespaces: namespaces x, y, z with pods a, b, c serving TCP, UDP and
// SCTP on ports 80 and 81 (named serve-<port>-<proto>), x and y on node-1, z on node-2, a
// firewall controller running on each node's namespace, and policies put into an in-memory
// source both controllers read.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "controllers/netpol/network_policy_controller.h"
#include "fixtures.h"
#include "observe/registry.h"
#include "reachability.h"
#include "test_cluster.h"

namespace kr::netpol::testing {

class ModelEnv {
 public:
  explicit ModelEnv(netfilter::IptablesBackend backend, bool default_deny = false);
  ~ModelEnv();

  static const std::vector<std::string>& pod_keys();  // x/a ... z/c

  // Replaces every policy with these and waits until both nodes programmed them.
  void set_policies(const std::vector<PolicySpec>& policies);
  // Changes labels and waits until programmed.
  void label_namespace(const std::string& ns, Labels labels);
  void label_pod(const std::string& key, Labels labels);
  void wait_programmed();

  // Probes every pair for (proto, port) in each family and returns what differs from `r`.
  std::string check(const Reachability& r, Proto proto, int port,
                    std::vector<netfilter::Family> families = {netfilter::Family::kIPv4,
                                                               netfilter::Family::kIPv6});

  // The CIDRs of one pod: {"10.244.1.2/32", "fd00:244:1::2/128"}.
  std::vector<std::string> pod_cidrs(const std::string& key);

  void start_controller(int node);
  void stop_controller(int node);

  TestCluster& cluster() { return cluster_; }
  MemoryClusterSource& source() { return *source_; }
  NetworkPolicyController& controller(int node) { return *controllers_.at(node); }
  observe::Registry& registry(int node) { return *registries_.at(node); }
  int heartbeats(int node) const { return heartbeats_.at(node)->load(); }
  netfilter::IptablesBackend backend() const { return backend_; }

 private:
  std::shared_ptr<const k8s::Pod> pod_object(const std::string& key, Labels extra = {});

  netfilter::IptablesBackend backend_;
  bool default_deny_;
  TestCluster cluster_;
  std::shared_ptr<MemoryClusterSource> source_;
  std::vector<std::unique_ptr<observe::Registry>> registries_;
  std::vector<std::unique_ptr<std::atomic<int>>> heartbeats_;
  std::vector<std::unique_ptr<NetworkPolicyController>> controllers_;
  std::vector<std::string> policy_keys_;
};

}  // namespace kr::netpol::testing
