// Fakes of kube-dummy-if and of the proxy's netfilter state, recording what they were asked.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "controllers/proxy/proxy_firewall.h"
#include "controllers/proxy/vip_sync.h"
#include "fmt/format.h"

namespace kr::proxy::testing {

class FakeDummy : public VipInterface {
 public:
  std::vector<IpAddress> list() override {
    ++lists;
    return {addresses.begin(), addresses.end()};
  }
  std::vector<std::string> apply(const std::vector<VipChange>& changes) override {
    std::vector<std::string> out;
    for (const VipChange& c : changes) {
      log.push_back(fmt::format("{} {} src {}", c.add ? "add" : "del", c.vip.to_string(),
                                c.source.to_string()));
      if (failing.contains(c.vip)) {
        out.push_back("Operation not permitted");
        continue;
      }
      if (c.add) {
        addresses.insert(c.vip);
      } else {
        addresses.erase(c.vip);
      }
      out.emplace_back();
    }
    return out;
  }
  std::set<IpAddress> addresses;
  std::set<IpAddress> failing;
  std::vector<std::string> log;
  int lists = 0;
};

class FakeFirewall : public ProxyFirewall {
 public:
  void sync_sets(Family family, const FamilyNodeState& node, const ServiceSets& sets,
                 bool read_kernel) override {
    log.push_back(fmt::format("sets {}{}", family_name(family), read_kernel ? " read" : ""));
    auto& f = families[static_cast<int>(family)];
    f.local_ips = node.local_ips.size();
    f.sets = sets;
  }
  void sync_filter(Family family, const FamilyNodeState& node) override {
    log.push_back(fmt::format("filter {}", family_name(family)));
    families[static_cast<int>(family)].services_chain = node.services_chain;
  }
  void sync_nat(Family family, const FamilyNodeState& node,
                const std::vector<std::string>& hairpin_rules, bool read_kernel) override {
    log.push_back(fmt::format("nat {}{}", family_name(family), read_kernel ? " read" : ""));
    auto& f = families[static_cast<int>(family)];
    f.masquerade = node.masquerade;
    f.hairpin = hairpin_rules;
  }
  struct State {
    std::size_t local_ips = 0;
    ServiceSets sets;
    std::vector<std::string> services_chain;
    std::vector<std::string> masquerade;
    std::vector<std::string> hairpin;
  };
  State families[2];
  std::vector<std::string> log;
};

}  // namespace kr::proxy::testing
