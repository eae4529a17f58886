#include "kernel/ipvs/messages.h"

#include <linux/ip_vs.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

namespace kr::ipvs {
namespace {

using netlink::Attributes;

// IPVS addresses are a union nf_inet_addr (16 bytes); IPv4 uses the first 4. Sending the
// whole union is what ipvsadm does.
void put_ipvs_address(Message& message, std::uint16_t type, const IpAddress& address) {
  std::array<std::uint8_t, 16> bytes{};
  std::copy(address.bytes().begin(), address.bytes().end(), bytes.begin());
  message.put_bytes(type, bytes);
}

void check_key(const ServiceKey& key, const std::string& operation) {
  int family = key.address_family();
  if (family != AF_INET && family != AF_INET6) {
    throw std::invalid_argument(operation +
                                ": the service needs an IPv4/IPv6 address or a "
                                "fwmark with a family");
  }
}

// The service identity inside IPVS_CMD_ATTR_SERVICE.
void put_key(Message& message, const ServiceKey& key) {
  message.put_u16(IPVS_SVC_ATTR_AF, static_cast<std::uint16_t>(key.address_family()));
  if (key.fwmark != 0) {
    message.put_u32(IPVS_SVC_ATTR_FWMARK, key.fwmark);
  } else {
    message.put_u16(IPVS_SVC_ATTR_PROTOCOL, static_cast<std::uint16_t>(key.protocol));
    put_ipvs_address(message, IPVS_SVC_ATTR_ADDR, key.address);
    message.put_be16(IPVS_SVC_ATTR_PORT, key.port);
  }
}

Message service_message(const GenlFamily& family, std::uint8_t command, std::uint16_t flags,
                        const std::string& operation, const ServiceKey& key) {
  check_key(key, operation);
  return netlink::genl_request(family, command, flags, operation);
}

// A full service entry: the kernel requires scheduler, flags, timeout and netmask on
// NEW_SERVICE and SET_SERVICE (ip_vs_genl_parse_service with full_entry).
Message full_service(const GenlFamily& family, std::uint8_t command, const std::string& verb,
                     const Service& service) {
  std::string operation = verb + " IPVS service " + service.key.to_string();
  if (service.scheduler.empty() || service.scheduler.size() >= IP_VS_SCHEDNAME_MAXLEN) {
    throw std::invalid_argument(operation + ": invalid scheduler name '" + service.scheduler + "'");
  }
  Message message = service_message(family, command, 0, operation, service.key);
  auto nest = message.begin_nest(IPVS_CMD_ATTR_SERVICE);
  put_key(message, service.key);
  message.put_string(IPVS_SVC_ATTR_SCHED_NAME, service.scheduler);
  // The mask says which flag bits to change: all of them, so the result is exactly `flags`
  // (the kernel keeps its own "hashed" bit regardless).
  ip_vs_flags flags{service.flags, ~0u};
  message.put_bytes(IPVS_SVC_ATTR_FLAGS,
                    {reinterpret_cast<const std::uint8_t*>(&flags), sizeof(flags)});
  message.put_u32(IPVS_SVC_ATTR_TIMEOUT, service.timeout);
  message.put_u32(IPVS_SVC_ATTR_NETMASK, service.netmask);
  message.end_nest(nest);
  return message;
}

Message destination_message(const GenlFamily& family, std::uint8_t command, const std::string& verb,
                            const ServiceKey& key, const Destination& destination, bool full) {
  std::string operation =
      verb + " IPVS destination " + destination.to_string() + " of " + key.to_string();
  if (destination.address.empty()) throw std::invalid_argument(operation + ": missing address");
  Message message = service_message(family, command, 0, operation, key);
  auto service = message.begin_nest(IPVS_CMD_ATTR_SERVICE);
  put_key(message, key);
  message.end_nest(service);
  auto nest = message.begin_nest(IPVS_CMD_ATTR_DEST);
  put_ipvs_address(message, IPVS_DEST_ATTR_ADDR, destination.address);
  message.put_be16(IPVS_DEST_ATTR_PORT, destination.port);
  // A destination may be of another family than its service (IPv4 real servers behind an
  // IPv6 service with tunnel forwarding); the kernel needs to be told.
  message.put_u16(IPVS_DEST_ATTR_ADDR_FAMILY,
                  static_cast<std::uint16_t>(destination.address.family()));
  if (full) {
    message.put_u32(IPVS_DEST_ATTR_FWD_METHOD, static_cast<std::uint32_t>(destination.forward));
    message.put_u32(IPVS_DEST_ATTR_WEIGHT, destination.weight);
    message.put_u32(IPVS_DEST_ATTR_U_THRESH, destination.upper_threshold);
    message.put_u32(IPVS_DEST_ATTR_L_THRESH, destination.lower_threshold);
    if (destination.forward == ForwardMethod::kTunnel) {
      message.put_u8(IPVS_DEST_ATTR_TUN_TYPE, static_cast<std::uint8_t>(destination.tunnel_type));
      if (destination.tunnel_type == TunnelType::kGue) {
        message.put_be16(IPVS_DEST_ATTR_TUN_PORT, destination.tunnel_port);
      }
    }
  }
  message.end_nest(nest);
  return message;
}

Stats parse_stats(const Attributes& parent, std::uint16_t stats64, std::uint16_t stats32) {
  Stats stats;
  // STATS64 carries every counter as u64; the older STATS has u32 counters and u64 bytes.
  bool wide = parent.has(stats64);
  auto nest = Attributes::of_nest(parent.nested(wide ? stats64 : stats32), IPVS_STATS_ATTR_MAX);
  auto read = [&](std::uint16_t type) -> std::uint64_t {
    if (auto value = nest.u64(type)) return *value;
    return nest.u32(type).value_or(0);
  };
  stats.connections = read(IPVS_STATS_ATTR_CONNS);
  stats.packets_in = read(IPVS_STATS_ATTR_INPKTS);
  stats.packets_out = read(IPVS_STATS_ATTR_OUTPKTS);
  stats.bytes_in = read(IPVS_STATS_ATTR_INBYTES);
  stats.bytes_out = read(IPVS_STATS_ATTR_OUTBYTES);
  stats.cps = read(IPVS_STATS_ATTR_CPS);
  stats.pps_in = read(IPVS_STATS_ATTR_INPPS);
  stats.pps_out = read(IPVS_STATS_ATTR_OUTPPS);
  stats.bps_in = read(IPVS_STATS_ATTR_INBPS);
  stats.bps_out = read(IPVS_STATS_ATTR_OUTBPS);
  return stats;
}

}  // namespace

Message add_service_request(const GenlFamily& family, const Service& service) {
  return full_service(family, IPVS_CMD_NEW_SERVICE, "add", service);
}

Message update_service_request(const GenlFamily& family, const Service& service) {
  return full_service(family, IPVS_CMD_SET_SERVICE, "update", service);
}

Message remove_service_request(const GenlFamily& family, const ServiceKey& key) {
  Message message = service_message(family, IPVS_CMD_DEL_SERVICE, 0,
                                    "delete IPVS service " + key.to_string(), key);
  auto nest = message.begin_nest(IPVS_CMD_ATTR_SERVICE);
  put_key(message, key);
  message.end_nest(nest);
  return message;
}

Message list_services_request(const GenlFamily& family) {
  return netlink::genl_request(family, IPVS_CMD_GET_SERVICE, NLM_F_DUMP, "list IPVS services");
}

Message add_destination_request(const GenlFamily& family, const ServiceKey& key,
                                const Destination& destination) {
  return destination_message(family, IPVS_CMD_NEW_DEST, "add", key, destination, true);
}

Message update_destination_request(const GenlFamily& family, const ServiceKey& key,
                                   const Destination& destination) {
  return destination_message(family, IPVS_CMD_SET_DEST, "update", key, destination, true);
}

Message remove_destination_request(const GenlFamily& family, const ServiceKey& key,
                                   const Destination& destination) {
  return destination_message(family, IPVS_CMD_DEL_DEST, "delete", key, destination, false);
}

Message list_destinations_request(const GenlFamily& family, const ServiceKey& key) {
  Message message = service_message(family, IPVS_CMD_GET_DEST, NLM_F_DUMP,
                                    "list IPVS destinations of " + key.to_string(), key);
  auto nest = message.begin_nest(IPVS_CMD_ATTR_SERVICE);
  put_key(message, key);
  message.end_nest(nest);
  return message;
}

Message get_timeouts_request(const GenlFamily& family) {
  return netlink::genl_request(family, IPVS_CMD_GET_CONFIG, 0, "get IPVS timeouts");
}

Message set_timeouts_request(const GenlFamily& family, const Timeouts& timeouts) {
  Message message = netlink::genl_request(family, IPVS_CMD_SET_CONFIG, 0,
                                          "set IPVS timeouts tcp " + std::to_string(timeouts.tcp) +
                                              " tcpfin " + std::to_string(timeouts.tcp_fin) +
                                              " udp " + std::to_string(timeouts.udp));
  message.put_u32(IPVS_CMD_ATTR_TIMEOUT_TCP, timeouts.tcp);
  message.put_u32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, timeouts.tcp_fin);
  message.put_u32(IPVS_CMD_ATTR_TIMEOUT_UDP, timeouts.udp);
  return message;
}

Message flush_request(const GenlFamily& family) {
  return netlink::genl_request(family, IPVS_CMD_FLUSH, 0, "flush IPVS services");
}

std::optional<Service> parse_service(const nlmsghdr* message) {
  auto top = netlink::genl_attributes(message, IPVS_CMD_ATTR_MAX);
  if (!top.has(IPVS_CMD_ATTR_SERVICE)) return std::nullopt;
  auto attributes = Attributes::of_nest(top.nested(IPVS_CMD_ATTR_SERVICE), IPVS_SVC_ATTR_MAX);
  Service service;
  auto family = attributes.u16(IPVS_SVC_ATTR_AF);
  if (!family || (*family != AF_INET && *family != AF_INET6)) return std::nullopt;
  service.key.family = *family;
  if (auto fwmark = attributes.u32(IPVS_SVC_ATTR_FWMARK); fwmark && *fwmark != 0) {
    service.key.fwmark = *fwmark;
  } else {
    auto address = attributes.address(IPVS_SVC_ATTR_ADDR, *family);
    auto protocol = attributes.u16(IPVS_SVC_ATTR_PROTOCOL);
    auto port = attributes.be16(IPVS_SVC_ATTR_PORT);
    if (!address || !protocol || !port) return std::nullopt;
    service.key.address = *address;
    service.key.protocol = static_cast<Protocol>(*protocol);
    service.key.port = *port;
  }
  service.scheduler = attributes.string(IPVS_SVC_ATTR_SCHED_NAME).value_or("");
  auto flags = attributes.bytes(IPVS_SVC_ATTR_FLAGS);
  if (flags.size() == sizeof(ip_vs_flags)) {
    ip_vs_flags value;
    std::memcpy(&value, flags.data(), sizeof(value));
    service.flags = value.flags;
  }
  service.timeout = attributes.u32(IPVS_SVC_ATTR_TIMEOUT).value_or(0);
  service.netmask = attributes.u32(IPVS_SVC_ATTR_NETMASK).value_or(0);
  service.stats = parse_stats(attributes, IPVS_SVC_ATTR_STATS64, IPVS_SVC_ATTR_STATS);
  return service;
}

std::optional<Destination> parse_destination(const nlmsghdr* message, int service_family) {
  auto top = netlink::genl_attributes(message, IPVS_CMD_ATTR_MAX);
  if (!top.has(IPVS_CMD_ATTR_DEST)) return std::nullopt;
  auto attributes = Attributes::of_nest(top.nested(IPVS_CMD_ATTR_DEST), IPVS_DEST_ATTR_MAX);
  Destination destination;
  int family = attributes.u16(IPVS_DEST_ATTR_ADDR_FAMILY).value_or(service_family);
  auto address = attributes.address(IPVS_DEST_ATTR_ADDR, family);
  auto port = attributes.be16(IPVS_DEST_ATTR_PORT);
  if (!address || !port) return std::nullopt;
  destination.address = *address;
  destination.port = *port;
  destination.forward = static_cast<ForwardMethod>(
      attributes.u32(IPVS_DEST_ATTR_FWD_METHOD).value_or(0) & IP_VS_CONN_F_FWD_MASK);
  destination.weight = attributes.u32(IPVS_DEST_ATTR_WEIGHT).value_or(0);
  destination.tunnel_type =
      static_cast<TunnelType>(attributes.u8(IPVS_DEST_ATTR_TUN_TYPE).value_or(0));
  destination.tunnel_port = attributes.be16(IPVS_DEST_ATTR_TUN_PORT).value_or(0);
  destination.upper_threshold = attributes.u32(IPVS_DEST_ATTR_U_THRESH).value_or(0);
  destination.lower_threshold = attributes.u32(IPVS_DEST_ATTR_L_THRESH).value_or(0);
  destination.active_connections = attributes.u32(IPVS_DEST_ATTR_ACTIVE_CONNS).value_or(0);
  destination.inactive_connections = attributes.u32(IPVS_DEST_ATTR_INACT_CONNS).value_or(0);
  destination.persistent_connections = attributes.u32(IPVS_DEST_ATTR_PERSIST_CONNS).value_or(0);
  destination.stats = parse_stats(attributes, IPVS_DEST_ATTR_STATS64, IPVS_DEST_ATTR_STATS);
  return destination;
}

Timeouts parse_timeouts(const nlmsghdr* message) {
  auto attributes = netlink::genl_attributes(message, IPVS_CMD_ATTR_MAX);
  return Timeouts{attributes.u32(IPVS_CMD_ATTR_TIMEOUT_TCP).value_or(0),
                  attributes.u32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN).value_or(0),
                  attributes.u32(IPVS_CMD_ATTR_TIMEOUT_UDP).value_or(0)};
}

}  // namespace kr::ipvs
