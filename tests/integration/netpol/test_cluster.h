// A cluster made of network namespaces for the firewall's integration tests: nodes are
// namespaces joined by one link, pods are namespaces routed through their node's namespace
// (a /32 and /128 per pod over a veth, as routed CNIs do), each pod running netpol_probe's
// servers on ports 80 and 81. Everything is removed when the object goes away.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kernel/netfilter/family.h"
#include "support/netns.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace kr::netpol::testing {

enum class Proto { kTcp, kUdp, kSctp };
std::string_view proto_name(Proto p);

struct TestPod {
  std::string key;  // namespace/name
  int node = 0;
  std::string ip4;
  std::string ip6;
  std::unique_ptr<kr::test::ScopedNetns> netns;
  std::unique_ptr<kr::test::Subprocess> server;
  std::filesystem::path server_log;

  const std::string& ip(netfilter::Family f) const {
    return f == netfilter::Family::kIPv4 ? ip4 : ip6;
  }
};

// One probe result: from, to, outcome ("ok", "refused", "timeout", "delivered", "missing").
struct ProbeResult {
  std::string from;
  std::string to;
  bool connected = false;
  std::string outcome;
};

class TestCluster {
 public:
  // Node i gets pod CIDRs 10.244.<i+1>.0/24 and fd00:244:<i+1>::/64 and the link address
  // 192.168.100.<i+1> / fd00:100::<i+1>.
  explicit TestCluster(int nodes);
  ~TestCluster();

  const kr::test::ScopedNetns& node(int i) const { return *nodes_.at(i); }
  std::string node_netns_path(int i) const;
  std::string node_name(int i) const { return "node-" + std::to_string(i + 1); }

  // Creates the pod on node `node`, host number `host` in the node's pod CIDR, and starts its
  // servers. Throws std::runtime_error when a step fails.
  TestPod& add_pod(const std::string& key, int node, int host);
  TestPod& pod(const std::string& key);
  const std::vector<std::unique_ptr<TestPod>>& pods() const { return pods_; }

  // Connects from every pod in `from` to every pod in `to` at once (one probe process per
  // source) and reports each pair. SCTP: an INIT counts as connected when the server saw it.
  std::vector<ProbeResult> probe(const std::vector<std::string>& from,
                                 const std::vector<std::string>& to, Proto proto, int port,
                                 netfilter::Family family);

 private:
  kr::test::TempDir dir_;
  std::vector<std::unique_ptr<kr::test::ScopedNetns>> nodes_;
  std::vector<std::unique_ptr<TestPod>> pods_;
  int next_veth_ = 0;
};

// Path of the netpol_probe helper next to the test binary.
std::string probe_binary();

}  // namespace kr::netpol::testing
