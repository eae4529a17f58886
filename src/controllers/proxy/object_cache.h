// The proxy's view of Services and EndpointSlices, fed by change events: each Service with the
// slices that belong to it (§1.4 ownership, kept up to date as slices move), and which Services
// changed since the worker last looked. Thread-safe: events arrive on the informers' thread,
// the worker reads.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "controllers/proxy/endpoint_record.h"
#include "controllers/proxy/service_source.h"

namespace kr::proxy {

class ObjectCache {
 public:
  struct Entry {
    std::shared_ptr<const k8s::Service> service;  // nullptr: deleted (or not seen yet)
    std::vector<std::shared_ptr<const k8s::EndpointSlice>> slices;
  };

  // Event handlers; each marks the affected Services dirty.
  void on_service(const std::shared_ptr<const k8s::Service>& old,
                  const std::shared_ptr<const k8s::Service>& now);
  void on_slice(const std::shared_ptr<const k8s::EndpointSlice>& old,
                const std::shared_ptr<const k8s::EndpointSlice>& now);

  // Replaces everything with a fresh listing (full resync: repairs any lost event) and clears
  // the dirty set. Returns every Service id known before or after.
  std::set<ServiceId> reset(const ServiceObjects& objects);

  // Takes the dirty Services.
  std::set<ServiceId> take_dirty();
  Entry get(const ServiceId& id) const;

 private:
  using SliceKey = std::pair<std::string, std::string>;  // namespace, name
  void put_slice(const std::shared_ptr<const k8s::EndpointSlice>& slice);
  void drop_slice(const SliceKey& key);

  mutable std::mutex mutex_;
  std::map<ServiceId, std::shared_ptr<const k8s::Service>> services_;
  std::map<ServiceId, std::map<SliceKey, std::shared_ptr<const k8s::EndpointSlice>>> slices_;
  std::map<SliceKey, ServiceId> slice_owner_;
  std::set<ServiceId> dirty_;
};

}  // namespace kr::proxy
