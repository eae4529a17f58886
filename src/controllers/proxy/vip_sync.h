// Keeps kube-dummy-if holding exactly the service VIPs (proxy.md §4.5, §4.6): every programmed
// ClusterIP and non-DSR external/LB IP, as a /32 (/128) scope-link address plus a local-table
// route whose source is the node IP, so host-originated traffic to a VIP leaves from the node
// IP. Anything else on the interface is removed, except IPv6 link-local addresses.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "controllers/proxy/node_facts.h"

namespace kr::proxy {

struct VipChange {
  IpAddress vip;
  IpAddress source;  // the node IP of the VIP's family (route source)
  bool add = true;
};

// The kernel side (real: netlink on kube-dummy-if; tests: a fake).
class VipInterface {
 public:
  virtual ~VipInterface() = default;
  // The addresses on kube-dummy-if; none when the interface does not exist yet.
  virtual std::vector<IpAddress> list() = 0;
  // Applies the changes in order, creating kube-dummy-if on first use. An add of an address
  // already there, or a remove of one already gone, succeeds. Returns one entry per change:
  // "" on success, else the reason.
  virtual std::vector<std::string> apply(const std::vector<VipChange>& changes) = 0;
};

class VipSync {
 public:
  explicit VipSync(VipInterface& interface) : interface_(interface) {}

  // Reads the interface and makes it hold exactly `desired` (sorted). Returns false if any
  // change failed (it is retried by the next call).
  bool full_sync(const std::vector<IpAddress>& desired, const NodeFacts& node);
  // Changes only what differs from the last successful state.
  bool sync(const std::vector<IpAddress>& desired, const NodeFacts& node);

 private:
  bool apply(const std::vector<IpAddress>& desired, const std::set<IpAddress>& current,
             const NodeFacts& node);

  VipInterface& interface_;
  std::set<IpAddress> applied_;
};

}  // namespace kr::proxy
