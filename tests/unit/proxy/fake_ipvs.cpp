#include "fake_ipvs.h"

#include <algorithm>
#include <cerrno>
#include <utility>

#include "fmt/format.h"
#include "fmt/ranges.h"
#include "kernel/netlink/error.h"

namespace kr::proxy::testing {

std::vector<ipvs::Service> FakeIpvs::list_services() {
  std::vector<ipvs::Service> out;
  for (const auto& [key, e] : services_) out.push_back(e.service);
  return out;
}

std::vector<ipvs::Destination> FakeIpvs::list_destinations(const ipvs::ServiceKey& key) {
  ++list_destination_calls;
  std::vector<ipvs::Destination> out;
  const auto it = services_.find(key.to_string());
  if (it == services_.end()) throw netlink::NetlinkError("list destinations", ESRCH);
  for (const auto& [k, d] : it->second.destinations) out.push_back(d);
  return out;
}

void FakeIpvs::add_service(const ipvs::Service& s) {
  if (int e = change({ipvs::Change::Kind::kAddService, s, {}}))
    throw netlink::NetlinkError("add", e);
}
void FakeIpvs::update_service(const ipvs::Service& s) {
  if (int e = change({ipvs::Change::Kind::kUpdateService, s, {}}))
    throw netlink::NetlinkError("update", e);
}
void FakeIpvs::remove_service(const ipvs::ServiceKey& key) {
  ipvs::Service s;
  s.key = key;
  if (int e = change({ipvs::Change::Kind::kRemoveService, s, {}}))
    throw netlink::NetlinkError("remove", e);
}
void FakeIpvs::add_destination(const ipvs::ServiceKey& key, const ipvs::Destination& d) {
  ipvs::Service s;
  s.key = key;
  if (int e = change({ipvs::Change::Kind::kAddDestination, s, d}))
    throw netlink::NetlinkError("add dest", e);
}
void FakeIpvs::update_destination(const ipvs::ServiceKey& key, const ipvs::Destination& d) {
  ipvs::Service s;
  s.key = key;
  if (int e = change({ipvs::Change::Kind::kUpdateDestination, s, d}))
    throw netlink::NetlinkError("update dest", e);
}
void FakeIpvs::remove_destination(const ipvs::ServiceKey& key, const ipvs::Destination& d) {
  ipvs::Service s;
  s.key = key;
  if (int e = change({ipvs::Change::Kind::kRemoveDestination, s, d}))
    throw netlink::NetlinkError("remove dest", e);
}

std::vector<ipvs::ChangeResult> FakeIpvs::apply(const std::vector<ipvs::Change>& changes) {
  std::vector<ipvs::ChangeResult> out;
  for (const ipvs::Change& c : changes) {
    const int error = change(c);
    out.push_back({error, error ? fmt::format("{}: errno {}", c.service.key.to_string(), error)
                                : std::string()});
  }
  return out;
}

int FakeIpvs::change(const ipvs::Change& c) {
  using Kind = ipvs::Change::Kind;
  const std::string key = c.service.key.to_string();
  const std::string dest = c.destination.to_string();
  static const char* const kNames[] = {"add-svc",  "update-svc",  "remove-svc",
                                       "add-dest", "update-dest", "remove-dest"};
  const bool is_dest = c.kind == Kind::kAddDestination || c.kind == Kind::kUpdateDestination ||
                       c.kind == Kind::kRemoveDestination;
  std::string line = fmt::format("{} {}", kNames[static_cast<int>(c.kind)], key);
  if (is_dest) {
    line += fmt::format(" {}", dest);
    if (c.kind != Kind::kRemoveDestination) line += fmt::format(" w{}", c.destination.weight);
  } else if (c.kind != Kind::kRemoveService) {
    line += fmt::format(" {}", c.service.scheduler);
  }
  log_.push_back(line);
  if (failing.contains(key)) return EINVAL;
  auto it = services_.find(key);
  switch (c.kind) {
    case Kind::kAddService:
      if (it != services_.end()) return EEXIST;
      services_[key].service = c.service;
      return 0;
    case Kind::kUpdateService:
      if (it == services_.end()) return ESRCH;
      it->second.service = c.service;
      return 0;
    case Kind::kRemoveService:
      if (it == services_.end()) return ESRCH;
      services_.erase(it);
      return 0;
    default:
      break;
  }
  if (it == services_.end()) return ESRCH;
  auto& dests = it->second.destinations;
  const bool exists = dests.contains(dest);
  switch (c.kind) {
    case Kind::kAddDestination:
      if (exists) return EEXIST;
      dests[dest] = c.destination;
      return 0;
    case Kind::kUpdateDestination: {
      if (!exists) return ENOENT;
      auto kept = dests[dest];
      dests[dest] = c.destination;
      dests[dest].active_connections = kept.active_connections;
      dests[dest].inactive_connections = kept.inactive_connections;
      return 0;
    }
    case Kind::kRemoveDestination:
      if (!exists) return ENOENT;
      dests.erase(dest);
      return 0;
    default:
      return 0;
  }
}

std::vector<std::string> FakeIpvs::table() const {
  std::vector<std::string> lines;
  for (const auto& [key, e] : services_) {
    std::vector<std::string> dests;
    for (const auto& [k, d] : e.destinations) dests.push_back(fmt::format("{} w{}", k, d.weight));
    const std::string persistence = (e.service.flags & ipvs::flags::kPersistent)
                                        ? fmt::format(" persistent {}", e.service.timeout)
                                        : std::string();
    const std::string line = fmt::format("{} {}{} ->{}{}", key, e.service.scheduler, persistence,
                                         dests.empty() ? "" : " ", fmt::join(dests, ","));
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> FakeIpvs::take_log() { return std::exchange(log_, {}); }

void FakeIpvs::set_connections(const std::string& service, const std::string& destination,
                               int active, int inactive) {
  auto& d = services_.at(service).destinations.at(destination);
  d.active_connections = static_cast<std::uint32_t>(active);
  d.inactive_connections = static_cast<std::uint32_t>(inactive);
}

}  // namespace kr::proxy::testing
