#include "controllers/proxy/draining_queue.h"

namespace kr::proxy {

void DrainingQueue::add(const VipKey& service, const DesiredDestination& destination,
                        Clock::time_point now, std::chrono::seconds grace) {
  entries_.try_emplace({service, destination}, Entry{service, destination, now, grace});
}

void DrainingQueue::remove(const VipKey& service, const DesiredDestination& destination) {
  entries_.erase({service, destination});
}

void DrainingQueue::remove_service(const VipKey& service) {
  auto it = entries_.lower_bound({service, DesiredDestination{}});
  while (it != entries_.end() && it->first.first == service) {
    it = entries_.erase(it);
  }
}

bool DrainingQueue::contains(const VipKey& service, const DesiredDestination& destination) const {
  return entries_.contains({service, destination});
}

std::vector<DrainingQueue::Entry> DrainingQueue::entries() const {
  std::vector<Entry> out;
  out.reserve(entries_.size());
  for (const auto& [key, entry] : entries_) out.push_back(entry);
  return out;
}

bool DrainingQueue::done(const Entry& entry, std::uint32_t active_connections,
                         std::uint32_t inactive_connections, Clock::time_point now) {
  return (active_connections == 0 && inactive_connections == 0) || now - entry.since > entry.grace;
}

}  // namespace kr::proxy
