// What each peer is sent: the export rules and rewriting of bgp-wire.md
// §6.1-§6.2 and §9, down to the bytes of the §17 vectors.
#include "bgp/codec/update_packer.h"
#include "hex.h"
#include "kube_router_policy.h"
#include "rib_fixture.h"

namespace kr::bgp {
namespace {

using test::ip;
using test::p4;
using test::rid;

class RibExport : public test::RibFixture {};

TEST_F(RibExport, LocalPodCidrToNodePeerIsTheIbgpVector) {
  const rib::PeerId node_b = peer_up("10.0.1.11", kLocalAs);
  rib.originate(p4("10.244.0.0/24"), attrs({}, "10.0.1.10"), changes);
  auto out = sent(node_b, p4("10.244.0.0/24"));
  ASSERT_TRUE(out && *out);
  UpdatePacker packer(kIpv4Unicast, {});
  packer.announce(p4("10.244.0.0/24"), *out);
  EXPECT_EQ(packer.finish(),
            std::vector<Bytes>{test::hex("ff×16 00 30 02 00 00 00 15 40 01 01 00 40 02 00 40 03 04 "
                                         "0a 00 01 0a 40 05 04 00 00 00 64 18 0a f4 00")});
}

TEST_F(RibExport, KubeRouterPolicyToExternalRouterIsTheEbgpVector) {
  test::KubeRouterPolicyInput in;
  in.communities = {kCommunityNoExport};
  rib.set_policy(test::build_policy(test::kube_router_policy(in)), changes);
  const rib::PeerId router = peer_up("10.0.1.1", 65000);
  const rib::PeerId node_b = peer_up("10.0.1.11", kLocalAs);
  changes.clear();
  rib.originate(p4("10.244.0.0/24"), attrs({}, "10.0.1.10"), changes);
  rib.originate(p4("10.96.0.50/32"), attrs({}, "10.0.1.10"), changes);
  UpdatePacker packer(kIpv4Unicast, {});
  for (const char* p : {"10.244.0.0/24", "10.96.0.50/32"}) {
    auto out = sent(router, p4(p));
    ASSERT_TRUE(out && *out) << p;
    packer.announce(p4(p), *out);
  }
  EXPECT_EQ(packer.finish(),
            std::vector<Bytes>{test::hex(
                "ff×16 00 3b 02 00 00 00 1b 40 01 01 00 40 02 06 02 01 00 00 fc 00 40 03 04 0a 00 "
                "01 0a c0 08 04 ff ff ff 01 18 0a f4 00 20 0a 60 00 32")});
  // Node peers get the pod CIDR only, never VIPs (routing.md §7.1 E1/E2).
  EXPECT_TRUE(sent(node_b, p4("10.244.0.0/24")).has_value());
  EXPECT_FALSE(sent(node_b, p4("10.96.0.50/32")).has_value());
}

TEST_F(RibExport, PrependAndNextHopSelfTowardExternalPeers) {
  test::KubeRouterPolicyInput in;
  in.prepend_as = 65100;
  in.prepend_count = 2;
  in.next_hop_self = true;
  rib.set_policy(test::build_policy(test::kube_router_policy(in)), changes);
  rib::PeerInfo info;
  info.address = ip("10.0.1.1");
  info.local_address = ip("192.0.2.10");
  info.asn = 65000;
  info.router_id = rid("10.0.1.1");
  info.families = {kIpv4Unicast};
  const rib::PeerId router = rib.add_peer(info);
  rib.peer_up(router, info, changes);
  rib.originate(p4("10.96.0.60/32"), attrs({}, "10.0.1.10"), changes);
  auto out = sent(router, p4("10.96.0.60/32"));
  ASSERT_TRUE(out && *out);
  EXPECT_EQ((*out)->as_path->to_string(), "65100 65100 64512");  // P P L (§6.2)
  EXPECT_EQ((*out)->next_hop, ip("192.0.2.10"));
  EXPECT_FALSE((*out)->local_pref.has_value());
}

TEST_F(RibExport, LearnedPathsFollowIbgpAndEbgpRules) {
  const rib::PeerId node_b = peer_up("10.0.1.11", kLocalAs);
  const rib::PeerId node_c = peer_up("10.0.2.10", kLocalAs);
  const rib::PeerId router = peer_up("10.0.1.1", 65000);
  changes.clear();
  auto a = std::make_shared<PathAttributes>(*attrs({}, "10.0.1.11", 100));
  a->med = 7;
  a->other = {{kFlagOptional, 99, {1}}, {kFlagOptional | kFlagTransitive, 98, {2}}};
  rib.receive(node_b, announce(a, {p4("10.244.1.0/24")}), changes);
  EXPECT_FALSE(sent(node_b, p4("10.244.1.0/24")));  // never back to its source
  EXPECT_FALSE(sent(node_c, p4("10.244.1.0/24")));  // iBGP-learned, no reflection
  auto out = sent(router, p4("10.244.1.0/24"));
  ASSERT_TRUE(out && *out);
  const PathAttributes& e = **out;
  EXPECT_EQ(e.as_path->to_string(), "64512");
  EXPECT_EQ(e.next_hop, ip("10.0.1.10"));  // learned path ⇒ session local address
  EXPECT_FALSE(e.med.has_value());
  EXPECT_FALSE(e.local_pref.has_value());
  ASSERT_EQ(e.other.size(), 1u);  // non-transitive 99 dropped
  EXPECT_EQ(e.other[0].type, 98);
  EXPECT_EQ(e.other[0].flags, kFlagOptional | kFlagTransitive | kFlagPartial);
}

TEST_F(RibExport, EbgpLearnedPathGoesToIbgpPeersUnchangedPlusLocalPref) {
  const rib::PeerId node_b = peer_up("10.0.1.11", kLocalAs);
  const rib::PeerId router = peer_up("10.0.1.1", 65000);
  auto a = std::make_shared<PathAttributes>(*attrs({65000}, "10.0.1.1"));
  a->med = 3;
  rib.receive(router, announce(a, {p4("0.0.0.0/0")}), changes);
  auto out = sent(node_b, p4("0.0.0.0/0"));
  ASSERT_TRUE(out && *out);
  EXPECT_EQ((*out)->as_path->to_string(), "65000");
  EXPECT_EQ((*out)->next_hop, ip("10.0.1.1"));
  EXPECT_EQ((*out)->local_pref, 100u);
  EXPECT_EQ((*out)->med, 3u);
}

TEST_F(RibExport, PathWithTargetAsIsNotSentAndAnEarlierOneIsWithdrawn) {
  const rib::PeerId r1 = peer_up("10.0.1.1", 65000);
  const rib::PeerId r2 = peer_up("10.0.1.2", 65001);
  rib.receive(r1, announce(attrs({65000}, "10.0.1.1"), {p4("198.51.100.0/24")}), changes);
  ASSERT_TRUE(sent(r2, p4("198.51.100.0/24")).value_or(nullptr));
  changes.clear();
  rib.receive(r1, announce(attrs({65000, 65001}, "10.0.1.1"), {p4("198.51.100.0/24")}), changes);
  auto out = sent(r2, p4("198.51.100.0/24"));
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, nullptr);  // explicit withdrawal
}

TEST_F(RibExport, RouteReflectionAttributes) {
  const rib::PeerId client_a = peer_up("10.0.3.1", kLocalAs, true);
  const rib::PeerId client_b = peer_up("10.0.3.2", kLocalAs, true);
  const rib::PeerId plain = peer_up("10.0.3.3", kLocalAs, false);
  const rib::PeerId plain2 = peer_up("10.0.3.4", kLocalAs, false);
  changes.clear();
  // From a non-client: reflected to clients only, with ORIGINATOR_ID and CLUSTER_LIST.
  rib.receive(plain, announce(attrs({}, "10.0.3.3", 100), {p4("10.244.3.0/24")}), changes);
  auto to_client = sent(client_a, p4("10.244.3.0/24"));
  ASSERT_TRUE(to_client && *to_client);
  EXPECT_EQ((*to_client)->originator_id, rid("10.0.3.3"));
  EXPECT_EQ((*to_client)->cluster_list, std::vector<uint32_t>{rid("10.0.1.10")});
  EXPECT_EQ((*to_client)->next_hop, ip("10.0.3.3"));  // next hop unchanged
  EXPECT_FALSE(sent(plain2, p4("10.244.3.0/24")));
  // From a client: reflected to everyone; to non-clients without RR attributes.
  rib.receive(client_a, announce(attrs({}, "10.0.3.1", 100), {p4("10.244.4.0/24")}), changes);
  auto to_plain = sent(plain, p4("10.244.4.0/24"));
  ASSERT_TRUE(to_plain && *to_plain);
  EXPECT_FALSE((*to_plain)->originator_id.has_value());
  EXPECT_TRUE((*to_plain)->cluster_list.empty());
  auto to_b = sent(client_b, p4("10.244.4.0/24"));
  ASSERT_TRUE(to_b && *to_b);
  EXPECT_EQ((*to_b)->originator_id, rid("10.0.3.1"));
  // A path already carrying our cluster ID never goes to a client (RFC 4456 §8)
  // and is not even accepted.
  auto looped = std::make_shared<PathAttributes>(*attrs({}, "10.0.3.4", 100));
  looped->cluster_list = {rid("10.0.1.10")};
  rib.receive(plain2, announce(looped, {p4("10.244.5.0/24")}), changes);
  EXPECT_EQ(rib.best(p4("10.244.5.0/24")), std::nullopt);
}

TEST_F(RibExport, ReflectedPathCarriesTheSourcesCurrentRouterId) {
  const rib::PeerId client = peer_up("10.0.3.1", kLocalAs, true);
  const rib::PeerId source = peer_up("10.0.3.3", kLocalAs, false, "10.0.3.3");
  const AttrSetPtr a = attrs({}, "10.0.3.3", 100);
  rib.receive(source, announce(a, {p4("10.244.3.0/24")}), changes);
  ASSERT_EQ(sent(client, p4("10.244.3.0/24")).value()->originator_id, rid("10.0.3.3"));
  // The source restarts with another BGP identifier and sends the same path.
  rib.peer_down(source, {}, changes);
  rib::PeerInfo info = *rib.peer(source);
  info.router_id = rid("10.0.3.33");
  rib.peer_up(source, info, changes);
  changes.clear();
  rib.receive(source, announce(a, {p4("10.244.3.0/24")}), changes);
  auto out = sent(client, p4("10.244.3.0/24"));
  ASSERT_TRUE(out && *out);
  EXPECT_EQ((*out)->originator_id, rid("10.0.3.33"));
}

TEST_F(RibExport, ReoriginatingIdenticalPathSendsNothing) {
  peer_up("10.0.1.11", kLocalAs);
  rib.originate(p4("10.244.0.0/24"), attrs({}, "10.0.1.10"), changes);
  changes.clear();
  rib.originate(p4("10.244.0.0/24"), attrs({}, "10.0.1.10"), changes);
  EXPECT_TRUE(changes.empty());
}

TEST_F(RibExport, PolicyChangesAreAppliedToRoutesAlreadyAdvertised) {
  test::KubeRouterPolicyInput in;
  rib.set_policy(test::build_policy(test::kube_router_policy(in)), changes);
  const rib::PeerId router = peer_up("10.0.1.1", 65000);
  rib.originate(p4("10.96.0.50/32"), attrs({}, "10.0.1.10"), changes);
  ASSERT_TRUE(sent(router, p4("10.96.0.50/32")).value_or(nullptr));
  changes.clear();
  in.vips = {"10.96.0.60/32"};  // the service went away
  rib.set_policy(test::build_policy(test::kube_router_policy(in)), changes);
  auto out = sent(router, p4("10.96.0.50/32"));
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, nullptr);
}

}  // namespace
}  // namespace kr::bgp
