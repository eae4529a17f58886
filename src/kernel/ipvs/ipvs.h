// The IPVS seam of the service proxy: what it reads and changes in the
// kernel's IPVS tables. One real implementation (KernelIpvs, generic netlink);
// controllers' unit tests may use a fake.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kernel/ipvs/types.h"

namespace kr::ipvs {

// One change of a batch (Ipvs::apply).
struct Change {
  enum class Kind {
    kAddService,
    kUpdateService,
    kRemoveService,
    kAddDestination,
    kUpdateDestination,
    kRemoveDestination,
  };
  Kind kind = Kind::kAddService;
  Service service;          // the whole service for add/update; only its key otherwise
  Destination destination;  // for the destination kinds
};

// The outcome of one change of a batch.
struct ChangeResult {
  int error = 0;     // 0 on success, else a positive errno (EEXIST, ENOENT, ESRCH, ...)
  std::string what;  // "add IPVS service 10.96.0.10:80/tcp: File exists" on failure
  bool ok() const { return error == 0; }
};

class Ipvs {
 public:
  virtual ~Ipvs() = default;

  // Every virtual service with its scheduler, flags and statistics.
  virtual std::vector<Service> list_services() = 0;
  // Each throws netlink::NetlinkError when the kernel refuses: EEXIST for an existing
  // service or destination, ESRCH for a missing service, ENOENT for a missing destination or
  // an unknown scheduler.
  virtual void add_service(const Service& service) = 0;
  virtual void update_service(const Service& service) = 0;
  virtual void remove_service(const ServiceKey& key) = 0;

  virtual std::vector<Destination> list_destinations(const ServiceKey& key) = 0;
  virtual void add_destination(const ServiceKey& key, const Destination& destination) = 0;
  virtual void update_destination(const ServiceKey& key, const Destination& destination) = 0;
  virtual void remove_destination(const ServiceKey& key, const Destination& destination) = 0;

  // Applies many changes in order, as a batch where the implementation can; a failing change
  // does not stop the ones after it. One result per change.
  virtual std::vector<ChangeResult> apply(const std::vector<Change>& changes) = 0;

  virtual Timeouts timeouts() = 0;
  virtual void set_timeouts(const Timeouts& timeouts) = 0;
  // Deletes every virtual service and destination (ipvsadm -C), e.g. for --cleanup-config.
  virtual void flush() = 0;
};

}  // namespace kr::ipvs
