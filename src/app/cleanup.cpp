#include "app/cleanup.h"

#include <fmt/format.h>

#include "app/kernel_inventory.h"
#include "base/log.h"
#include "controllers/netpol/cleanup.h"
#include "controllers/proxy/proxy_cleanup.h"
#include "options/kube_router_config.h"

namespace kr::app {

int run_cleanup(const options::Config& config, const std::string& netns_path) {
  const KernelInventory before = take_inventory(netns_path);

  // Phase 1 (cleanup.md §3-§4): the firewall. This build has only the iptables firewall.
  if (config.use_nftables_for_netpol) {
    KR_WARN(
        "--use-nftables-for-netpol is not supported by this build; cleaning up the iptables "
        "firewall");
  }
  KR_INFO("cleanup: removing the network policy firewall's chains and ipsets");
  bool ok = netpol::cleanup_network_policy(netns_path);

  // Phase 2 (§5): the service proxy. Without IPVS in the kernel there are no virtual services
  // to flush; its chains, ipsets and kube-dummy-if are still removed.
  if (!before.ipvs_services) {
    KR_INFO("cleanup: the kernel has no IPVS; skipping the IPVS virtual services");
  }
  KR_INFO("cleanup: removing the service proxy's IPVS services, chains, ipsets and kube-dummy-if");
  ok = proxy::cleanup_service_proxy(netns_path) && ok;

  // Phase 3 (§6): routing. This build has no routing controller, so it made no routing state.
  KR_INFO("cleanup: the routing controller is not part of this build; no routing state to remove");

  const InventoryChange change = compare_inventories(before, take_inventory(netns_path));
  if (change.removed.empty()) {
    KR_INFO("cleanup removed nothing: no kube-router state was found");
  } else {
    KR_INFO("cleanup removed {} objects: {}", change.removed.size(),
            fmt::join(change.removed, ", "));
  }
  if (!change.remaining.empty()) {
    KR_WARN("cleanup left {} objects in place: {}", change.remaining.size(),
            fmt::join(change.remaining, ", "));
  }
  if (!ok) {
    KR_ERROR("cleanup incomplete: a step failed (see the errors above)");
    return 1;
  }
  return 0;
}

}  // namespace kr::app
