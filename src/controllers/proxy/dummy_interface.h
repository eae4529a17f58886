// kube-dummy-if over rtnetlink: the real VipInterface (proxy.md §4.5). Every change is sent in
// one batch of netlink requests (an address add or delete plus its local-table route each), so
// thousands of VIPs cost a few sendmsg() calls rather than thousands of round trips.
#pragma once

#include <memory>
#include <string>

#include "controllers/proxy/vip_sync.h"

namespace kr::netlink {
class Socket;
}

namespace kr::proxy {

class DummyInterface final : public VipInterface {
 public:
  // netns_path: act inside that network namespace (tests); empty: the caller's.
  explicit DummyInterface(const std::string& netns_path = {});
  ~DummyInterface() override;

  std::vector<IpAddress> list() override;
  std::vector<std::string> apply(const std::vector<VipChange>& changes) override;

 private:
  int ensure_link();  // creates kube-dummy-if (type dummy, up) if needed; returns its index
  // An IPv6 address gets a kernel local route (metric 0, no source) that outranks ours (metric
  // 1024 with the node IP as source); upstream deletes it too (proxy.md §4.5).
  void drop_kernel_v6_routes(const std::vector<VipChange>& changes, int index);

  std::unique_ptr<netlink::Socket> socket_;
};

// Deletes kube-dummy-if and with it every VIP (--cleanup-config). False when it failed.
bool remove_dummy_interface(const std::string& netns_path = {});

}  // namespace kr::proxy
