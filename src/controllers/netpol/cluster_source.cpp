#include "controllers/netpol/cluster_source.h"

#include <algorithm>

#include "k8s/informer.h"

namespace kr::netpol {
namespace {

template <class T>
std::vector<std::shared_ptr<const T>> all(const k8s::Informer<T>& informer) {
  std::vector<std::shared_ptr<const T>> out;
  const k8s::Snapshot<T> snapshot = informer.snapshot();
  out.reserve(snapshot.size());
  snapshot.for_each([&](const std::shared_ptr<const T>& p) { out.push_back(p); });
  return out;
}

template <class T>
k8s::EventHandlers<T> adapt(ChangeHandler<T> handler) {
  k8s::EventHandlers<T> h;
  h.on_add = [handler](const auto& now) { handler(nullptr, now); };
  h.on_update = [handler](const auto& old, const auto& now) { handler(old, now); };
  h.on_delete = [handler](const auto& old) { handler(old, nullptr); };
  return h;
}

class InformerSource final : public ClusterSource {
 public:
  InformerSource(k8s::Informer<k8s::Pod>& pods, k8s::Informer<k8s::Namespace>& namespaces,
                 k8s::Informer<k8s::NetworkPolicy>& policies)
      : pods_(pods), namespaces_(namespaces), policies_(policies) {}

  ClusterState snapshot() const override {
    return ClusterState{all(pods_), all(namespaces_), all(policies_)};
  }

  void subscribe(ChangeHandlers handlers) override {
    pods_.add_handlers(adapt(std::move(handlers.pod)));
    namespaces_.add_handlers(adapt(std::move(handlers.ns)));
    policies_.add_handlers(adapt(std::move(handlers.policy)));
  }

 private:
  k8s::Informer<k8s::Pod>& pods_;
  k8s::Informer<k8s::Namespace>& namespaces_;
  k8s::Informer<k8s::NetworkPolicy>& policies_;
};

template <class T>
bool same_key(const std::shared_ptr<const T>& p, std::string_view ns, std::string_view name) {
  return p->meta.namespace_ == ns && p->meta.name == name;
}

// Replaces or appends; returns the previous object.
template <class T>
std::shared_ptr<const T> upsert(std::vector<std::shared_ptr<const T>>& v,
                                std::shared_ptr<const T> obj) {
  for (auto& p : v) {
    if (same_key(p, obj->meta.namespace_.view(), obj->meta.name)) {
      return std::exchange(p, std::move(obj));
    }
  }
  v.push_back(std::move(obj));
  return nullptr;
}

template <class T>
std::shared_ptr<const T> erase(std::vector<std::shared_ptr<const T>>& v, std::string_view ns,
                               std::string_view name) {
  const auto it =
      std::find_if(v.begin(), v.end(), [&](const auto& p) { return same_key(p, ns, name); });
  if (it == v.end()) return nullptr;
  auto old = *it;
  v.erase(it);
  return old;
}

}  // namespace

std::unique_ptr<ClusterSource> make_informer_source(FirewallInformers informers) {
  return std::make_unique<InformerSource>(informers.pods, informers.namespaces, informers.policies);
}

ClusterState MemoryClusterSource::snapshot() const {
  const std::lock_guard lock(mutex_);
  return state_;
}

void MemoryClusterSource::subscribe(ChangeHandlers handlers) {
  ClusterState existing;
  {
    const std::lock_guard lock(mutex_);
    handlers_.push_back(handlers);
    existing = state_;
  }
  for (const auto& p : existing.pods) handlers.pod(nullptr, p);
  for (const auto& n : existing.namespaces) handlers.ns(nullptr, n);
  for (const auto& p : existing.policies) handlers.policy(nullptr, p);
}

template <class T>
void MemoryClusterSource::notify(ChangeHandler<T> ChangeHandlers::*field,
                                 const std::shared_ptr<const T>& old,
                                 const std::shared_ptr<const T>& now) {
  std::vector<ChangeHandlers> handlers;
  {
    const std::lock_guard lock(mutex_);
    handlers = handlers_;
  }
  for (const ChangeHandlers& h : handlers) {
    (h.*field)(old, now);
  }
}

void MemoryClusterSource::put(std::shared_ptr<const k8s::Pod> pod) {
  std::shared_ptr<const k8s::Pod> old;
  {
    const std::lock_guard lock(mutex_);
    old = upsert(state_.pods, pod);
  }
  notify(&ChangeHandlers::pod, old, pod);
}

void MemoryClusterSource::put(std::shared_ptr<const k8s::Namespace> ns) {
  std::shared_ptr<const k8s::Namespace> old;
  {
    const std::lock_guard lock(mutex_);
    old = upsert(state_.namespaces, ns);
  }
  notify(&ChangeHandlers::ns, old, ns);
}

void MemoryClusterSource::put(std::shared_ptr<const k8s::NetworkPolicy> policy) {
  std::shared_ptr<const k8s::NetworkPolicy> old;
  {
    const std::lock_guard lock(mutex_);
    old = upsert(state_.policies, policy);
  }
  notify(&ChangeHandlers::policy, old, policy);
}

void MemoryClusterSource::remove_pod(std::string_view ns, std::string_view name) {
  std::shared_ptr<const k8s::Pod> old;
  {
    const std::lock_guard lock(mutex_);
    old = erase(state_.pods, ns, name);
  }
  if (old) notify(&ChangeHandlers::pod, old, std::shared_ptr<const k8s::Pod>());
}

void MemoryClusterSource::remove_namespace(std::string_view name) {
  std::shared_ptr<const k8s::Namespace> old;
  {
    const std::lock_guard lock(mutex_);
    old = erase(state_.namespaces, "", name);
  }
  if (old) notify(&ChangeHandlers::ns, old, std::shared_ptr<const k8s::Namespace>());
}

void MemoryClusterSource::remove_policy(std::string_view ns, std::string_view name) {
  std::shared_ptr<const k8s::NetworkPolicy> old;
  {
    const std::lock_guard lock(mutex_);
    old = erase(state_.policies, ns, name);
  }
  if (old) notify(&ChangeHandlers::policy, old, std::shared_ptr<const k8s::NetworkPolicy>());
}

}  // namespace kr::netpol
