#include "kernel/ipvs/kernel_ipvs.h"

#include <linux/netlink.h>

#include <stdexcept>

#include "kernel/ipvs/messages.h"
#include "kernel/netlink/error.h"
#include "kernel/netlink/socket.h"

namespace kr::ipvs {
namespace {

using netlink::Socket;

class KernelIpvs final : public Ipvs {
 public:
  explicit KernelIpvs(const std::string& netns_path)
      : socket_(NETLINK_GENERIC, netns_path),
        family_(netlink::resolve_genl_family(socket_, "IPVS")) {}

  std::vector<Service> list_services() override {
    auto request = list_services_request(family_);
    std::vector<Service> services;
    socket_.query(request, [&](const nlmsghdr* reply) {
      if (auto service = parse_service(reply)) services.push_back(std::move(*service));
    });
    return services;
  }

  void add_service(const Service& service) override {
    execute(add_service_request(family_, service));
  }
  void update_service(const Service& service) override {
    execute(update_service_request(family_, service));
  }
  void remove_service(const ServiceKey& key) override {
    execute(remove_service_request(family_, key));
  }

  std::vector<Destination> list_destinations(const ServiceKey& key) override {
    auto request = list_destinations_request(family_, key);
    std::vector<Destination> destinations;
    socket_.query(request, [&](const nlmsghdr* reply) {
      if (auto destination = parse_destination(reply, key.address_family())) {
        destinations.push_back(*destination);
      }
    });
    return destinations;
  }

  void add_destination(const ServiceKey& key, const Destination& destination) override {
    execute(add_destination_request(family_, key, destination));
  }
  void update_destination(const ServiceKey& key, const Destination& destination) override {
    execute(update_destination_request(family_, key, destination));
  }
  void remove_destination(const ServiceKey& key, const Destination& destination) override {
    execute(remove_destination_request(family_, key, destination));
  }

  // Every change becomes one request; Socket::execute_batch packs them back to back into
  // 32 KiB sendmsg() buffers (a few hundred IPVS requests each). The kernel's genetlink
  // receive path handles the messages of one buffer in order, taking the IPVS mutex per
  // message, and acks each, so a failure is reported for exactly that change.
  std::vector<ChangeResult> apply(const std::vector<Change>& changes) override {
    std::vector<Message> requests;
    requests.reserve(changes.size());
    for (const Change& change : changes) requests.push_back(request_for(change));
    auto results = socket_.execute_batch(requests);
    std::vector<ChangeResult> outcome(results.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
      outcome[i].error = results[i].error;
      if (results[i].error != 0) {
        outcome[i].what = netlink::describe_error(requests[i].operation(), results[i].error,
                                                  results[i].kernel_message);
      }
    }
    return outcome;
  }

  Timeouts timeouts() override {
    auto request = get_timeouts_request(family_);
    Timeouts timeouts;
    socket_.query(request, [&](const nlmsghdr* reply) { timeouts = parse_timeouts(reply); });
    return timeouts;
  }

  void set_timeouts(const Timeouts& timeouts) override {
    execute(set_timeouts_request(family_, timeouts));
  }

  void flush() override { execute(flush_request(family_)); }

 private:
  void execute(Message request) { socket_.execute(request); }

  Message request_for(const Change& change) const {
    switch (change.kind) {
      case Change::Kind::kAddService:
        return add_service_request(family_, change.service);
      case Change::Kind::kUpdateService:
        return update_service_request(family_, change.service);
      case Change::Kind::kRemoveService:
        return remove_service_request(family_, change.service.key);
      case Change::Kind::kAddDestination:
        return add_destination_request(family_, change.service.key, change.destination);
      case Change::Kind::kUpdateDestination:
        return update_destination_request(family_, change.service.key, change.destination);
      case Change::Kind::kRemoveDestination:
        return remove_destination_request(family_, change.service.key, change.destination);
    }
    throw std::invalid_argument("unknown IPVS change kind");
  }

  Socket socket_;
  netlink::GenlFamily family_;
};

}  // namespace

std::unique_ptr<Ipvs> open_kernel_ipvs(const std::string& netns_path) {
  return std::make_unique<KernelIpvs>(netns_path);
}

}  // namespace kr::ipvs
