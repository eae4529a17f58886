// Test helper: a RIB for node-a of routing.md §15 (AS 64512, router ID
// 10.0.1.10) and short ways to bring peers up and feed them UPDATEs.
#pragma once

#include <gtest/gtest.h>

#include "bgp/rib/rib.h"

namespace kr::bgp::test {

inline IpAddress ip(const char* s) { return *IpAddress::parse(s); }
inline Prefix4 p4(const char* s) { return *Prefix4::parse(s); }
inline Prefix6 p6(const char* s) { return *Prefix6::parse(s); }
inline uint32_t rid(const char* s) { return ip(s).v4_u32(); }

class RibFixture : public ::testing::Test {
 protected:
  static constexpr uint32_t kLocalAs = 64512;

  rib::PeerId peer_up(const char* address, uint32_t asn, bool rr_client = false,
                      const char* router_id = nullptr) {
    rib::PeerInfo info;
    info.address = ip(address);
    info.local_address = ip("10.0.1.10");
    info.asn = asn;
    info.router_id = rid(router_id != nullptr ? router_id : address);
    info.route_reflector_client = rr_client;
    info.families = {kIpv4Unicast, kIpv6Unicast};
    rib::PeerId id = rib.add_peer(info);
    rib.peer_up(id, info, changes);
    return id;
  }

  static AttrSetPtr attrs(std::initializer_list<uint32_t> as_path, const char* next_hop,
                          std::optional<uint32_t> local_pref = std::nullopt) {
    auto a = std::make_shared<PathAttributes>();
    a->origin = Origin::kIgp;
    a->as_path = AsPath{};
    if (as_path.size() > 0) a->as_path->segments.push_back({SegmentType::kSequence, as_path});
    a->next_hop = ip(next_hop);
    a->local_pref = local_pref;
    return a;
  }

  static UpdateMessage announce(const AttrSetPtr& a, std::vector<Prefix4> nlri) {
    UpdateMessage u;
    u.attrs = a;
    u.nlri = std::move(nlri);
    return u;
  }

  static UpdateMessage withdraw(std::vector<Prefix4> prefixes) {
    UpdateMessage u;
    u.attrs = std::make_shared<PathAttributes>();
    u.withdrawn = std::move(prefixes);
    return u;
  }

  // The attributes last queued for `peer` and `prefix`; nullopt if nothing
  // queued, a null pointer for a queued withdrawal.
  std::optional<AttrSetPtr> sent(rib::PeerId peer, const Prefix4& prefix) const {
    auto it = changes.out.find(peer);
    if (it == changes.out.end()) return std::nullopt;
    auto p = it->second.v4.find(prefix);
    if (p == it->second.v4.end()) return std::nullopt;
    return p->second;
  }

  rib::Rib rib{{kLocalAs, rid("10.0.1.10"), 0}};
  rib::RibChanges changes;
};

}  // namespace kr::bgp::test
