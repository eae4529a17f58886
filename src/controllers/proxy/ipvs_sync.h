// Makes the kernel's IPVS table match the desired table (proxy.md §4.1, §4.7, §9).
//
// It remembers what it last applied, so an incremental pass diffs just the virtual services an
// event touched against that memory and sends only the difference, in one netlink batch. A
// full pass re-reads the kernel first, which repairs drift (a destination someone deleted, a
// service someone added) and deletes IPVS services nobody wants unless they lie in
// --excluded-cidrs. Changes the kernel refuses are logged and retried on the next pass; the
// kernel's answers EEXIST/ESRCH/ENOENT (state differing from memory) are resolved at once by
// updating or adding instead.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <vector>

#include "controllers/proxy/desired_table.h"
#include "controllers/proxy/draining_queue.h"
#include "kernel/ipvs/ipvs.h"

namespace kr::proxy {

struct IpvsSyncReport {
  std::size_t services_added = 0;
  std::size_t services_updated = 0;
  std::size_t services_removed = 0;
  std::size_t destinations_added = 0;
  std::size_t destinations_updated = 0;  // includes weight 0 for draining
  std::size_t destinations_removed = 0;
  std::size_t failures = 0;
  bool ok() const { return failures == 0; }
  std::size_t changes() const {
    return services_added + services_updated + services_removed + destinations_added +
           destinations_updated + destinations_removed;
  }
};

class IpvsSync {
 public:
  using Clock = DrainingQueue::Clock;

  struct Options {
    bool graceful_termination = false;  // --ipvs-graceful-termination
    std::vector<Cidr> excluded_cidrs;   // --excluded-cidrs: never deleted as stale
    // Grace period of a draining endpoint: its pod's terminationGracePeriodSeconds, else
    // --ipvs-graceful-period.
    std::function<std::chrono::seconds(const IpAddress& endpoint)> grace_for;
    // Called after a destination of a UDP virtual service was deleted, so stale conntrack
    // entries stop steering datagrams to the gone endpoint (§9).
    std::function<void(const VipKey& service)> udp_destination_removed;
  };

  IpvsSync(ipvs::Ipvs& ipvs, Options options);

  // Reads the kernel's whole table and makes it equal to `desired`.
  IpvsSyncReport full_sync(const DesiredTable& desired, Clock::time_point now);
  // Brings just `keys` (plus keys whose last change failed) to their desired state, diffing
  // against what was last applied.
  IpvsSyncReport sync(const DesiredTable& desired, std::span<const VipKey> keys,
                      Clock::time_point now);
  // Deletes draining destinations that are done (§9); run every few seconds.
  IpvsSyncReport expire_draining(Clock::time_point now);

  const DrainingQueue& draining() const { return draining_; }
  bool has_retries() const { return !retry_.empty(); }

 private:
  struct Applied {
    std::string scheduler;
    std::uint32_t flags = 0;
    std::uint32_t timeout = 0;
    std::map<DesiredDestination, std::uint32_t> weights;  // destination -> weight
  };
  class Batch;

  // Runs a batch, then re-creates virtual services the kernel turned out to lack.
  IpvsSyncReport run(Batch& batch, const DesiredTable& desired, Clock::time_point now);
  void plan_key(const VipKey& key, const DesiredVirtualService* desired, Batch& batch,
                Clock::time_point now);
  void plan_destinations(const VipKey& key, const DesiredVirtualService& desired,
                         const Applied* applied, Batch& batch, Clock::time_point now);
  bool excluded(const IpAddress& address) const;
  std::chrono::seconds grace_for(const IpAddress& endpoint) const;

  ipvs::Ipvs& ipvs_;
  Options options_;
  std::map<VipKey, Applied> applied_;  // what the kernel holds, as far as we know
  std::set<VipKey> retry_;             // keys whose last change failed
  DrainingQueue draining_;
};

}  // namespace kr::proxy
