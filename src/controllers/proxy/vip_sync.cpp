#include "controllers/proxy/vip_sync.h"

#include "base/log.h"

namespace kr::proxy {
namespace {

bool link_local_v6(const IpAddress& ip) {
  return ip.is_v6() && ip.data()[0] == 0xfe && (ip.data()[1] & 0xc0) == 0x80;
}

}  // namespace

bool VipSync::full_sync(const std::vector<IpAddress>& desired, const NodeFacts& node) {
  const auto listed = interface_.list();
  return apply(desired, std::set<IpAddress>(listed.begin(), listed.end()), node);
}

bool VipSync::sync(const std::vector<IpAddress>& desired, const NodeFacts& node) {
  return apply(desired, applied_, node);
}

bool VipSync::apply(const std::vector<IpAddress>& desired, const std::set<IpAddress>& current,
                    const NodeFacts& node) {
  std::vector<VipChange> changes;
  for (const IpAddress& ip : current) {
    if (!std::binary_search(desired.begin(), desired.end(), ip) && !link_local_v6(ip)) {
      changes.push_back({ip, node.best_ip(family_of(ip)), false});
    }
  }
  for (const IpAddress& ip : desired) {
    if (!current.contains(ip)) {
      changes.push_back({ip, node.best_ip(family_of(ip)), true});
    }
  }
  std::set<IpAddress> next = current;
  bool ok = true;
  const auto errors = changes.empty() ? std::vector<std::string>{} : interface_.apply(changes);
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const VipChange& c = changes[i];
    if (i < errors.size() && errors[i].empty()) {
      if (c.add) {
        next.insert(c.vip);
      } else {
        next.erase(c.vip);
      }
    } else {
      ok = false;
      KR_ERROR("{} {} on kube-dummy-if: {}", c.add ? "adding" : "removing", c.vip.to_string(),
               i < errors.size() ? errors[i] : "no result");
    }
  }
  // Link-local addresses the kernel may put on the interface are not ours to track.
  std::erase_if(next, link_local_v6);
  applied_ = std::move(next);
  return ok;
}

}  // namespace kr::proxy
