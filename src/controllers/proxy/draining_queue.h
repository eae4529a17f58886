// Graceful termination bookkeeping (proxy.md §9, --ipvs-graceful-termination): a destination
// that leaves its virtual service first gets weight 0, so IPVS sends it no new connections
// while established ones finish; it is deleted once its connections are gone or its grace
// period (the pod's terminationGracePeriodSeconds, else --ipvs-graceful-period) has passed.
#pragma once

#include <chrono>
#include <map>
#include <utility>
#include <vector>

#include "controllers/proxy/service_state.h"

namespace kr::proxy {

class DrainingQueue {
 public:
  using Clock = std::chrono::steady_clock;

  struct Entry {
    VipKey service;
    DesiredDestination destination;
    Clock::time_point since;
    std::chrono::seconds grace{0};
  };

  // Starts draining; a destination already draining keeps its original start time.
  void add(const VipKey& service, const DesiredDestination& destination, Clock::time_point now,
           std::chrono::seconds grace);
  // The destination is wanted again (or was deleted): stop tracking it.
  void remove(const VipKey& service, const DesiredDestination& destination);
  // Forgets every destination of a deleted virtual service.
  void remove_service(const VipKey& service);
  bool contains(const VipKey& service, const DesiredDestination& destination) const;

  // Every entry, grouped by virtual service (sorted by key).
  std::vector<Entry> entries() const;
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }

  // Whether an entry may be deleted now: no active or inactive connection is left, or the
  // grace period is over (§9).
  static bool done(const Entry& entry, std::uint32_t active_connections,
                   std::uint32_t inactive_connections, Clock::time_point now);

 private:
  std::map<std::pair<VipKey, DesiredDestination>, Entry> entries_;
};

}  // namespace kr::proxy
