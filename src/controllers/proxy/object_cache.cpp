#include "controllers/proxy/object_cache.h"

namespace kr::proxy {
namespace {

ServiceId id_of(const k8s::Service& s) {
  return {std::string(s.meta.namespace_.view()), s.meta.name};
}

}  // namespace

void ObjectCache::on_service(const std::shared_ptr<const k8s::Service>& old,
                             const std::shared_ptr<const k8s::Service>& now) {
  const ServiceId id = id_of(now ? *now : *old);
  const std::lock_guard lock(mutex_);
  if (now) {
    services_[id] = now;
  } else {
    services_.erase(id);
  }
  dirty_.insert(id);
}

void ObjectCache::on_slice(const std::shared_ptr<const k8s::EndpointSlice>& old,
                           const std::shared_ptr<const k8s::EndpointSlice>& now) {
  const auto& any = now ? *now : *old;
  const SliceKey key{std::string(any.meta.namespace_.view()), any.meta.name};
  const std::lock_guard lock(mutex_);
  drop_slice(key);
  if (now) {
    put_slice(now);
  }
}

void ObjectCache::put_slice(const std::shared_ptr<const k8s::EndpointSlice>& slice) {
  const auto owner = owning_service(*slice);
  if (!owner) {
    return;  // belongs to no Service: nothing to program
  }
  const SliceKey key{std::string(slice->meta.namespace_.view()), slice->meta.name};
  slices_[*owner][key] = slice;
  slice_owner_[key] = *owner;
  dirty_.insert(*owner);
}

void ObjectCache::drop_slice(const SliceKey& key) {
  const auto it = slice_owner_.find(key);
  if (it == slice_owner_.end()) {
    return;
  }
  auto by_service = slices_.find(it->second);
  if (by_service != slices_.end()) {
    by_service->second.erase(key);
    if (by_service->second.empty()) slices_.erase(by_service);
  }
  dirty_.insert(it->second);
  slice_owner_.erase(it);
}

std::set<ServiceId> ObjectCache::reset(const ServiceObjects& objects) {
  const std::lock_guard lock(mutex_);
  std::set<ServiceId> ids;
  for (const auto& [id, s] : services_) ids.insert(id);
  services_.clear();
  slices_.clear();
  slice_owner_.clear();
  for (const auto& s : objects.services) {
    const ServiceId id = id_of(*s);
    services_[id] = s;
    ids.insert(id);
  }
  for (const auto& slice : objects.slices) {
    put_slice(slice);
  }
  dirty_.clear();
  return ids;
}

std::set<ServiceId> ObjectCache::take_dirty() {
  const std::lock_guard lock(mutex_);
  return std::exchange(dirty_, {});
}

ObjectCache::Entry ObjectCache::get(const ServiceId& id) const {
  const std::lock_guard lock(mutex_);
  Entry e;
  if (const auto it = services_.find(id); it != services_.end()) e.service = it->second;
  if (const auto it = slices_.find(id); it != slices_.end()) {
    for (const auto& [key, slice] : it->second) e.slices.push_back(slice);
  }
  return e;
}

}  // namespace kr::proxy
