#include "controllers/proxy/dummy_interface.h"

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <set>

#include "base/log.h"
#include "controllers/proxy/names.h"
#include "fmt/format.h"
#include "kernel/netlink/address.h"
#include "kernel/netlink/error.h"
#include "kernel/netlink/link.h"
#include "kernel/netlink/route.h"
#include "kernel/netlink/socket.h"

namespace kr::proxy {
namespace {

// The VIP as a host address with scope link (`ip addr add <vip>/32 dev kube-dummy-if scope
// link`). IPv6 gets IFA_F_NOPREFIXROUTE: the kernel's automatic /128 prefix route would carry
// no source and break source selection for host-originated traffic (§4.5).
netlink::Message address_message(std::uint16_t type, std::uint16_t flags, const IpAddress& vip,
                                 int index) {
  netlink::Message m(type, flags,
                     fmt::format("{} VIP {} on {}", type == RTM_NEWADDR ? "add" : "delete",
                                 vip.to_string(), kDummyInterface));
  auto& h = m.put_header<ifaddrmsg>();
  h.ifa_family = static_cast<std::uint8_t>(vip.family());
  h.ifa_prefixlen = static_cast<std::uint8_t>(vip.size() * 8);
  h.ifa_scope = static_cast<std::uint8_t>(netlink::Scope::kLink);
  h.ifa_index = static_cast<std::uint32_t>(index);
  m.put_address(IFA_LOCAL, vip);
  m.put_address(IFA_ADDRESS, vip);
  if (vip.is_v6()) {
    m.put_u32(IFA_FLAGS, IFA_F_NOPREFIXROUTE);
  }
  return m;
}

// `local <vip> dev kube-dummy-if table local proto kernel scope host src <node IP>`: traffic the
// node itself sends to a VIP leaves from the node IP, which the endpoints can answer.
netlink::Route local_route(const IpAddress& vip, const IpAddress& source, int index) {
  netlink::Route r;
  r.destination = netlink::IpPrefix::host(vip);
  r.table = netlink::kTableLocal;
  r.protocol = netlink::kProtocolKernel;
  r.scope = netlink::Scope::kHost;
  r.type = netlink::RouteType::kLocal;
  r.oif = index;
  r.preferred_source = source;
  return r;
}

}  // namespace

DummyInterface::DummyInterface(const std::string& netns_path)
    : socket_(std::make_unique<netlink::Socket>(NETLINK_ROUTE, netns_path)) {}

DummyInterface::~DummyInterface() = default;

int DummyInterface::ensure_link() {
  netlink::Links links(*socket_);
  auto link = links.get(kDummyInterface);
  if (!link) {
    try {
      links.add_dummy(kDummyInterface);
    } catch (const netlink::NetlinkError& e) {
      if (e.error() != EEXIST) throw;
    }
    link = links.get(kDummyInterface);
  }
  if (!link) {
    throw netlink::NetlinkError(fmt::format("create {}", kDummyInterface), ENODEV);
  }
  if (!link->up()) {
    links.set_up(kDummyInterface, true);
  }
  return link->index;
}

std::vector<IpAddress> DummyInterface::list() {
  const auto link = netlink::Links(*socket_).get(kDummyInterface);
  if (!link) {
    return {};
  }
  std::vector<IpAddress> out;
  for (const netlink::Address& a : netlink::Addresses(*socket_).list(0, link->index)) {
    out.push_back(a.prefix.address);
  }
  return out;
}

std::vector<std::string> DummyInterface::apply(const std::vector<VipChange>& changes) {
  std::vector<std::string> errors(changes.size());
  int index = 0;
  try {
    index = ensure_link();
  } catch (const std::exception& e) {
    for (auto& error : errors) error = e.what();
    return errors;
  }
  // Two requests per change: the address, then its route. Deleting an address drops its
  // routes too, so a route delete finding nothing is fine.
  std::vector<netlink::Message> requests;
  requests.reserve(changes.size() * 2);
  for (const VipChange& c : changes) {
    const auto route = local_route(c.vip, c.source, index);
    if (c.add) {
      requests.push_back(address_message(RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, c.vip, index));
      requests.push_back(
          netlink::route_request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, "replace", route));
    } else {
      requests.push_back(address_message(RTM_DELADDR, 0, c.vip, index));
      requests.push_back(netlink::route_request(RTM_DELROUTE, 0, "delete", route));
    }
  }
  std::vector<netlink::BatchResult> results;
  try {
    results = socket_->execute_batch(requests);
  } catch (const std::exception& e) {
    for (auto& error : errors) error = e.what();
    return errors;
  }
  drop_kernel_v6_routes(changes, index);
  for (std::size_t i = 0; i < changes.size(); ++i) {
    for (std::size_t j = 2 * i; j < 2 * i + 2 && j < results.size(); ++j) {
      const int e = results[j].error;
      const bool removing = !changes[i].add;
      if (e == 0 || (removing && (e == EADDRNOTAVAIL || e == ESRCH || e == ENOENT))) {
        continue;
      }
      if (errors[i].empty()) {
        errors[i] = netlink::describe_error(requests[j].operation(), e, results[j].kernel_message);
      }
    }
  }
  return errors;
}

void DummyInterface::drop_kernel_v6_routes(const std::vector<VipChange>& changes, int index) {
  std::set<IpAddress> added;
  for (const VipChange& c : changes) {
    if (c.add && c.vip.is_v6()) added.insert(c.vip);
  }
  if (added.empty()) {
    return;
  }
  std::vector<netlink::Message> requests;
  try {
    const netlink::RouteFilter filter{
        .family = AF_INET6, .table = netlink::kTableLocal, .protocol = 0, .oif = index};
    for (const netlink::Route& r : netlink::Routes(*socket_).list(filter)) {
      if (r.type == netlink::RouteType::kLocal && r.preferred_source.empty() &&
          r.destination.length == 128 && added.contains(r.destination.address)) {
        // No RTA_PRIORITY: IPv6 deletes the lowest metric first, which is the kernel's (0).
        requests.push_back(netlink::route_request(RTM_DELROUTE, 0, "delete", r));
      }
    }
    for (const auto& result : socket_->execute_batch(requests)) {
      if (result.error != 0 && result.error != ESRCH) {
        KR_WARN("removing the kernel's route of an IPv6 VIP: {}",
                netlink::describe_error("delete route", result.error, result.kernel_message));
      }
    }
  } catch (const std::exception& e) {
    KR_WARN("removing the kernel's routes of IPv6 VIPs: {}", e.what());
  }
}

bool remove_dummy_interface(const std::string& netns_path) {
  try {
    netlink::Socket socket(NETLINK_ROUTE, netns_path);
    netlink::Links links(socket);
    if (links.get(kDummyInterface)) {
      links.remove(kDummyInterface);
    }
    return true;
  } catch (const std::exception& e) {
    KR_ERROR("deleting {}: {}", kDummyInterface, e.what());
    return false;
  }
}

}  // namespace kr::proxy
