#include "controllers/proxy/proxy_cleanup.h"

#include "base/log.h"
#include "controllers/proxy/dummy_interface.h"
#include "controllers/proxy/proxy_firewall.h"
#include "kernel/ipvs/kernel_ipvs.h"

namespace kr::proxy {

bool cleanup_service_proxy(const std::string& netns_path) {
  bool ok = true;
  std::unique_ptr<ipvs::Ipvs> ipvs;
  try {
    ipvs = ipvs::open_kernel_ipvs(netns_path);
  } catch (const std::exception& e) {
    KR_INFO("cleanup: IPVS is not available ({}); no IPVS services to flush", e.what());
  }
  if (ipvs) {
    try {
      ipvs->flush();
    } catch (const std::exception& e) {
      KR_ERROR("cleanup: flushing IPVS services: {}", e.what());
      ok = false;
    }
  }
  ok = cleanup_proxy_netfilter(netns_path) && ok;
  ok = remove_dummy_interface(netns_path) && ok;
  return ok;
}

}  // namespace kr::proxy
