#include "controllers/proxy/ipvs_sync.h"

#include <algorithm>
#include <cerrno>

#include "base/log.h"

namespace kr::proxy {
namespace {

using Kind = ipvs::Change::Kind;

ipvs::ServiceKey kernel_key(const VipKey& key) {
  return ipvs::ServiceKey{.address = key.address, .protocol = key.protocol, .port = key.port};
}

ipvs::Service kernel_service(const DesiredVirtualService& vs) {
  ipvs::Service s;
  s.key = kernel_key(vs.key);
  s.scheduler = vs.scheduler;
  s.flags = vs.flags;
  s.timeout = vs.timeout;
  // One persistence entry per client address (upstream sends the prefix length 32 where the
  // kernel expects a mask, which groups unrelated clients; see docs/differences.md).
  s.netmask = ipvs::Service::host_netmask(vs.key.address.family());
  return s;
}

ipvs::Destination kernel_destination(const DesiredDestination& d, std::uint32_t weight) {
  ipvs::Destination out;
  out.address = d.address;
  out.port = d.port;
  out.weight = weight;
  out.forward = ipvs::ForwardMethod::kMasquerade;
  return out;
}

VipKey vip_key(const ipvs::ServiceKey& key) { return {key.address, key.protocol, key.port}; }

bool known_protocol(ipvs::Protocol p) {
  return p == ipvs::Protocol::kTcp || p == ipvs::Protocol::kUdp || p == ipvs::Protocol::kSctp;
}

// What to do when the kernel refuses a change because its state differs from what we
// remembered: send another change instead, count it as done, or re-plan the whole virtual
// service (it is gone from the kernel).
enum class Resolution { kFailed, kDone, kRetryAs, kServiceLost };
Resolution resolve(const ipvs::Change& change, int error, Kind* retry_kind) {
  switch (change.kind) {
    case Kind::kAddService:
      *retry_kind = Kind::kUpdateService;
      return error == EEXIST ? Resolution::kRetryAs : Resolution::kFailed;
    case Kind::kUpdateService:
      return error == ESRCH ? Resolution::kServiceLost : Resolution::kFailed;
    case Kind::kAddDestination:
      *retry_kind = Kind::kUpdateDestination;
      return error == EEXIST  ? Resolution::kRetryAs
             : error == ESRCH ? Resolution::kServiceLost
                              : Resolution::kFailed;
    case Kind::kUpdateDestination:
      *retry_kind = Kind::kAddDestination;
      return error == ENOENT  ? Resolution::kRetryAs
             : error == ESRCH ? Resolution::kServiceLost
                              : Resolution::kFailed;
    case Kind::kRemoveService:
      return error == ESRCH ? Resolution::kDone : Resolution::kFailed;
    case Kind::kRemoveDestination:
      return error == ENOENT || error == ESRCH ? Resolution::kDone : Resolution::kFailed;
  }
  return Resolution::kFailed;
}

}  // namespace

// Changes for one pass, applied as one netlink batch; what succeeded is recorded in the
// sync's memory, what failed is logged and retried on the next pass.
class IpvsSync::Batch {
 public:
  explicit Batch(IpvsSync& sync, Clock::time_point now) : sync_(sync), now_(now) {}

  void add_service(const DesiredVirtualService& vs) {
    push(Kind::kAddService, kernel_service(vs), {});
  }
  void update_service(const DesiredVirtualService& vs) {
    push(Kind::kUpdateService, kernel_service(vs), {});
  }
  void remove_service(const ipvs::ServiceKey& key) {
    ipvs::Service s;
    s.key = key;
    push(Kind::kRemoveService, s, {});
  }
  void set_destination(Kind kind, const VipKey& key, const DesiredDestination& d,
                       std::uint32_t weight) {
    ipvs::Service s;
    s.key = kernel_key(key);
    push(kind, s, kernel_destination(d, weight));
  }

  // Virtual services the kernel turned out not to have (deleted behind our back).
  const std::set<VipKey>& lost() const { return lost_; }

  IpvsSyncReport run() {
    IpvsSyncReport report;
    std::vector<ipvs::Change> follow_ups;
    execute(changes_, report, &follow_ups);
    if (!follow_ups.empty()) {
      execute(follow_ups, report, nullptr);
    }
    return report;
  }

 private:
  void push(Kind kind, ipvs::Service service, ipvs::Destination destination) {
    changes_.push_back({kind, std::move(service), destination});
  }

  void execute(const std::vector<ipvs::Change>& changes, IpvsSyncReport& report,
               std::vector<ipvs::Change>* follow_ups) {
    if (changes.empty()) {
      return;
    }
    const auto results = sync_.ipvs_.apply(changes);
    for (std::size_t i = 0; i < changes.size(); ++i) {
      const ipvs::Change& change = changes[i];
      if (i < results.size() && results[i].ok()) {
        record(change, report);
        continue;
      }
      const int error = i < results.size() ? results[i].error : EIO;
      Kind retry_kind{};
      const Resolution r = resolve(change, error, &retry_kind);
      if (r == Resolution::kDone) {
        record(change, report);
      } else if (r == Resolution::kServiceLost && follow_ups != nullptr) {
        lost_.insert(vip_key(change.service.key));
      } else if (r == Resolution::kRetryAs && follow_ups != nullptr) {
        follow_ups->push_back({retry_kind, change.service, change.destination});
      } else {
        ++report.failures;
        sync_.retry_.insert(vip_key(change.service.key));
        KR_ERROR("IPVS: {}", i < results.size() ? results[i].what : "no result for a change");
      }
    }
  }

  // The kernel now holds what `change` asked for.
  void record(const ipvs::Change& change, IpvsSyncReport& report) {
    const VipKey key = vip_key(change.service.key);
    const DesiredDestination dest{change.destination.address, change.destination.port};
    auto& applied = sync_.applied_;
    switch (change.kind) {
      case Kind::kAddService:
      case Kind::kUpdateService: {
        Applied& a = applied[key];
        a.scheduler = change.service.scheduler;
        a.flags = change.service.flags;
        a.timeout = change.service.timeout;
        ++(change.kind == Kind::kAddService ? report.services_added : report.services_updated);
        break;
      }
      case Kind::kRemoveService:
        applied.erase(key);
        sync_.draining_.remove_service(key);
        ++report.services_removed;
        break;
      case Kind::kAddDestination:
      case Kind::kUpdateDestination:
        applied[key].weights[dest] = change.destination.weight;
        if (change.destination.weight == 0) {
          sync_.draining_.add(key, dest, now_, sync_.grace_for(dest.address));
        } else {
          sync_.draining_.remove(key, dest);
        }
        ++(change.kind == Kind::kAddDestination ? report.destinations_added
                                                : report.destinations_updated);
        break;
      case Kind::kRemoveDestination:
        if (auto it = applied.find(key); it != applied.end()) {
          it->second.weights.erase(dest);
        }
        sync_.draining_.remove(key, dest);
        ++report.destinations_removed;
        if (key.protocol == ipvs::Protocol::kUdp && sync_.options_.udp_destination_removed) {
          sync_.options_.udp_destination_removed(key);
        }
        break;
    }
  }

  IpvsSync& sync_;
  Clock::time_point now_;
  std::vector<ipvs::Change> changes_;
  std::set<VipKey> lost_;
};

IpvsSync::IpvsSync(ipvs::Ipvs& ipvs, Options options) : ipvs_(ipvs), options_(std::move(options)) {}

bool IpvsSync::excluded(const IpAddress& address) const {
  return any_contains(options_.excluded_cidrs, address);
}

IpvsSyncReport IpvsSync::full_sync(const DesiredTable& desired, Clock::time_point now) {
  Batch batch(*this, now);
  std::map<VipKey, Applied> kernel;
  for (const ipvs::Service& s : ipvs_.list_services()) {
    if (s.key.fwmark == 0 && !known_protocol(s.key.protocol)) {
      continue;  // §4.7: neither ours nor identifiable
    }
    if (s.key.fwmark != 0) {
      // Firewall-mark services are only made for DSR, which this proxy does not program yet;
      // like upstream, stale ones are deleted.
      batch.remove_service(s.key);
      continue;
    }
    const VipKey key = vip_key(s.key);
    if (desired.find(key) == nullptr) {
      if (!excluded(key.address)) {
        batch.remove_service(s.key);
      }
      continue;
    }
    Applied& a = kernel[key];
    a.scheduler = s.scheduler;
    a.flags = s.flags & ~ipvs::flags::kHashed;
    a.timeout = s.timeout;
    for (const ipvs::Destination& d : ipvs_.list_destinations(s.key)) {
      a.weights[{d.address, d.port}] = d.weight;
    }
  }
  applied_ = std::move(kernel);
  retry_.clear();
  // Draining entries whose destination vanished behind our back are forgotten.
  for (const auto& e : draining_.entries()) {
    const auto it = applied_.find(e.service);
    if (it == applied_.end() || !it->second.weights.contains(e.destination)) {
      draining_.remove(e.service, e.destination);
    }
  }
  for (const auto& [key, vs] : desired.virtual_services()) {
    plan_key(key, &vs, batch, now);
  }
  return run(batch, desired, now);
}

IpvsSyncReport IpvsSync::run(Batch& batch, const DesiredTable& desired, Clock::time_point now) {
  IpvsSyncReport report = batch.run();
  if (batch.lost().empty()) {
    return report;
  }
  // Re-create what vanished, in a second batch (its failures are retried next pass).
  Batch again(*this, now);
  for (const VipKey& key : batch.lost()) {
    KR_WARN("IPVS service {} vanished from the kernel; re-creating it", key.to_string());
    applied_.erase(key);
    draining_.remove_service(key);
    if (const DesiredVirtualService* want = desired.find(key)) {
      plan_key(key, want, again, now);
    }
  }
  const IpvsSyncReport second = again.run();
  report.services_added += second.services_added;
  report.services_updated += second.services_updated;
  report.services_removed += second.services_removed;
  report.destinations_added += second.destinations_added;
  report.destinations_updated += second.destinations_updated;
  report.destinations_removed += second.destinations_removed;
  report.failures += second.failures;
  return report;
}

IpvsSyncReport IpvsSync::sync(const DesiredTable& desired, std::span<const VipKey> keys,
                              Clock::time_point now) {
  std::set<VipKey> todo(keys.begin(), keys.end());
  todo.insert(retry_.begin(), retry_.end());
  retry_.clear();
  Batch batch(*this, now);
  for (const VipKey& key : todo) {
    const DesiredVirtualService* want = desired.find(key);
    if (want == nullptr) {
      if (applied_.contains(key)) {
        batch.remove_service(kernel_key(key));
      }
      continue;
    }
    plan_key(key, want, batch, now);
  }
  return run(batch, desired, now);
}

void IpvsSync::plan_key(const VipKey& key, const DesiredVirtualService* desired, Batch& batch,
                        Clock::time_point now) {
  const auto it = applied_.find(key);
  const Applied* applied = it != applied_.end() ? &it->second : nullptr;
  if (applied == nullptr) {
    batch.add_service(*desired);
  } else if (applied->scheduler != desired->scheduler || applied->flags != desired->flags ||
             applied->timeout != desired->timeout) {
    batch.update_service(*desired);
  }
  plan_destinations(key, *desired, applied, batch, now);
}

void IpvsSync::plan_destinations(const VipKey& key, const DesiredVirtualService& desired,
                                 const Applied* applied, Batch& batch, Clock::time_point now) {
  if (applied == nullptr) {
    for (const DesiredDestination& d : desired.destinations) {
      batch.set_destination(Kind::kAddDestination, key, d, 1);
    }
    return;
  }
  for (const DesiredDestination& d : desired.destinations) {
    const auto found = applied->weights.find(d);
    if (found == applied->weights.end()) {
      batch.set_destination(Kind::kAddDestination, key, d, 1);
    } else if (found->second != 1) {
      batch.set_destination(Kind::kUpdateDestination, key, d, 1);  // back from draining
    }
  }
  for (const auto& [d, weight] : applied->weights) {
    if (std::binary_search(desired.destinations.begin(), desired.destinations.end(), d)) {
      continue;
    }
    if (!options_.graceful_termination) {
      batch.set_destination(Kind::kRemoveDestination, key, d, weight);
    } else if (weight != 0) {
      batch.set_destination(Kind::kUpdateDestination, key, d, 0);
    } else if (!draining_.contains(key, d)) {
      // Found at weight 0 in the kernel (e.g. drained by a previous run): let it finish.
      draining_.add(key, d, now, grace_for(d.address));
    }
  }
}

std::chrono::seconds IpvsSync::grace_for(const IpAddress& endpoint) const {
  return options_.grace_for ? options_.grace_for(endpoint) : std::chrono::seconds(0);
}

IpvsSyncReport IpvsSync::expire_draining(Clock::time_point now) {
  Batch batch(*this, now);
  const auto entries = draining_.entries();
  for (std::size_t i = 0; i < entries.size();) {
    const VipKey key = entries[i].service;
    std::vector<ipvs::Destination> current;
    try {
      current = ipvs_.list_destinations(kernel_key(key));
    } catch (const std::exception& e) {
      KR_WARN("IPVS: graceful termination: listing {}: {}", key.to_string(), e.what());
    }
    for (; i < entries.size() && entries[i].service == key; ++i) {
      const auto& entry = entries[i];
      const auto d = std::find_if(current.begin(), current.end(), [&](const auto& c) {
        return c.address == entry.destination.address && c.port == entry.destination.port;
      });
      if (d == current.end()) {
        draining_.remove(key, entry.destination);  // already gone
        if (auto a = applied_.find(key); a != applied_.end()) {
          a->second.weights.erase(entry.destination);
        }
      } else if (DrainingQueue::done(entry, d->active_connections, d->inactive_connections, now)) {
        batch.set_destination(Kind::kRemoveDestination, key, entry.destination, 0);
      }
    }
  }
  return batch.run();
}

}  // namespace kr::proxy
