// A node for the daemon's firewall tests: a network namespace with two pod namespaces routed
// through it (tests/integration/netpol's TestCluster: client 10.244.1.2, server 10.244.1.3,
// each serving TCP 80 and 81), an apiserver-lite listening inside it that knows the node and
// both pods, and ways to read back the firewall kube-router left in the node's namespace.
#pragma once

#include <string>
#include <vector>

#include "api_in_netns.h"
#include "support/temp_dir.h"
#include "test_cluster.h"

namespace kr::test {

class FirewallNode {
 public:
  static constexpr const char* kNodeName = "node-1";  // TestCluster's name for node 0

  FirewallNode();

  const ScopedNetns& netns() const { return cluster_.node(0); }
  ApiInNetns& api() { return api_; }
  TempDir& dir() { return dir_; }

  // Flags for a kube-router that runs only the firewall on this node, then `extra`.
  std::vector<std::string> args(std::vector<std::string> extra = {}) const;

  // One TCP connection attempt from the client pod to the server pod's port 80: "ok",
  // "refused" (a REJECT answers at once) or "timeout".
  std::string client_to_server();

  // iptables-save of both backends and both families inside the node's namespace.
  std::string saved_rules() const;
  // `ipset list -n` inside the node's namespace.
  std::string ipset_names() const;

 private:
  TempDir dir_{"daemon-firewall"};
  netpol::testing::TestCluster cluster_{1};
  ApiInNetns api_{cluster_.node(0)};
};

// Whether `text` has a line starting with `prefix` (e.g. ":KUBE-ROUTER-FORWARD").
bool has_line_starting(const std::string& text, const std::string& prefix);

}  // namespace kr::test
