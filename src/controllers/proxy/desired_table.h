// The desired state of the whole node, kept per Service so that one Service's change is
// recomputed and diffed alone (design.md §2: incremental, coalesced reconciles).
//
// Several Services may claim the same virtual service (two Services listing one externalIP on
// the same port, or NodePorts with --nodeport-bindon-all-ip on shared addresses): the merged
// entry takes the scheduler and flags of the first owner in namespace/name order and the union
// of all owners' destinations, which is what upstream's repeated upserts converge to.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "controllers/proxy/service_state.h"

namespace kr::proxy {

// What one update changed in the merged view, i.e. what the appliers must look at.
struct TableDelta {
  std::vector<VipKey> virtual_services;  // merged entries that appeared, changed or vanished
  bool vips = false;                     // kube-dummy-if address set
  bool service_keys = false;             // set of virtual-service keys (svip, svip-prt sets)
  bool hairpin_v4 = false;
  bool hairpin_v6 = false;
  bool health_checks = false;
  bool sloppy_tcp = false;

  bool hairpin(Family f) const { return f == Family::kIPv4 ? hairpin_v4 : hairpin_v6; }
  bool empty() const {
    return virtual_services.empty() && !vips && !service_keys && !hairpin_v4 && !hairpin_v6 &&
           !health_checks && !sloppy_tcp;
  }
  // Adds another delta (keys stay sorted and unique).
  void merge(const TableDelta& other);
};

class DesiredTable {
 public:
  // Replaces one Service's state; an empty state removes the Service.
  TableDelta set(const ServiceId& id, ServiceState state);
  TableDelta erase(const ServiceId& id) { return set(id, ServiceState{}); }

  const std::map<VipKey, DesiredVirtualService>& virtual_services() const { return merged_; }
  // nullptr when no Service wants this virtual service.
  const DesiredVirtualService* find(const VipKey& key) const;
  const std::map<ServiceId, ServiceState>& services() const { return services_; }
  // The Service a virtual service is reported under (the first owner); nullptr when none.
  const ServiceId* owner(const VipKey& key) const;

  std::vector<IpAddress> vips() const;  // sorted
  bool has_vip(const IpAddress& ip) const { return vip_refs_.contains(ip); }
  std::vector<std::string> hairpin_rules(Family family) const;   // sorted
  std::map<std::uint16_t, std::uint32_t> health_checks() const;  // port -> local endpoints
  bool sloppy_tcp() const { return sloppy_refs_ > 0; }

  // Members of kube-router-svip / -svip-prt for a family, as `ipset save` prints them
  // ("10.96.0.10", "10.96.0.10,udp:53"), sorted.
  std::vector<std::string> service_ip_members(Family family) const;
  std::vector<std::string> service_port_members(Family family) const;

 private:
  // Recomputes the merged entry of `key` from its owners; true when it changed.
  bool remerge(const VipKey& key);

  std::map<ServiceId, ServiceState> services_;
  std::map<VipKey, std::vector<ServiceId>> owners_;  // sorted ids
  std::map<VipKey, DesiredVirtualService> merged_;
  std::map<IpAddress, int> vip_refs_;
  std::map<HairpinRule, int> hairpin_refs_;
  std::map<std::uint16_t, std::map<ServiceId, std::uint32_t>> health_;
  int sloppy_refs_ = 0;
};

}  // namespace kr::proxy
