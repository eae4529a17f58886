// Encoding IPVS generic netlink requests and decoding the kernel's replies
// (family "IPVS", linux/ip_vs.h). Pure functions: no socket, unit-tested.
#pragma once

#include <cstdint>
#include <optional>

#include "kernel/ipvs/types.h"
#include "kernel/netlink/genl.h"
#include "kernel/netlink/message.h"

namespace kr::ipvs {

using netlink::GenlFamily;
using netlink::Message;

// IPVS_CMD_NEW_SERVICE / IPVS_CMD_SET_SERVICE with every field of the service.
Message add_service_request(const GenlFamily& family, const Service& service);
Message update_service_request(const GenlFamily& family, const Service& service);
Message remove_service_request(const GenlFamily& family, const ServiceKey& key);
Message list_services_request(const GenlFamily& family);

Message add_destination_request(const GenlFamily& family, const ServiceKey& key,
                                const Destination& destination);
Message update_destination_request(const GenlFamily& family, const ServiceKey& key,
                                   const Destination& destination);
Message remove_destination_request(const GenlFamily& family, const ServiceKey& key,
                                   const Destination& destination);
Message list_destinations_request(const GenlFamily& family, const ServiceKey& key);

Message get_timeouts_request(const GenlFamily& family);
Message set_timeouts_request(const GenlFamily& family, const Timeouts& timeouts);
Message flush_request(const GenlFamily& family);

// One service of an IPVS_CMD_GET_SERVICE reply; nullopt when the message lacks the service
// nest or its identity (family, and address/protocol/port or fwmark).
std::optional<Service> parse_service(const nlmsghdr* message);
// One destination of an IPVS_CMD_GET_DEST reply. service_family gives the address width when
// the kernel omits IPVS_DEST_ATTR_ADDR_FAMILY.
std::optional<Destination> parse_destination(const nlmsghdr* message, int service_family);
// The timeouts of an IPVS_CMD_GET_CONFIG reply (0 for absent ones).
Timeouts parse_timeouts(const nlmsghdr* message);

}  // namespace kr::ipvs
