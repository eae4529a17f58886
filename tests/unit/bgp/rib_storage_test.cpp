// The RIB's compact storage: the prefix table on its own (many keys, holes
// closed on erase, shrinking), and through rib::Rib the cases where a prefix
// goes from one path to several and back, and walks that erase as they go.
#include <gmock/gmock.h>

#include <map>
#include <set>

#include "bgp/rib/prefix_table.h"
#include "rib_fixture.h"

namespace kr::bgp::test {
namespace {

using ::testing::ElementsAre;

Prefix4 nth_prefix(uint32_t n) {
  // 10.x.y.0/24 and, every 7th, a /25 of the same block: same address,
  // different key.
  const uint8_t addr[4] = {10, static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n), 0};
  return Prefix4::make(addr, n % 7 == 0 ? 25 : 24);
}

TEST(PrefixTable, FindsEveryKeyAfterGrowingAndErasing) {
  rib::PrefixTable<Prefix4, uint32_t> table;
  std::map<Prefix4, uint32_t> model;
  for (uint32_t n = 0; n < 50000; ++n) {
    auto [pos, inserted] = table.find_or_insert(nth_prefix(n));
    ASSERT_TRUE(inserted);
    table.value(pos) = n;
    model[nth_prefix(n)] = n;
  }
  EXPECT_FALSE(table.find_or_insert(nth_prefix(3)).second);
  // Erase every third key: positions move (last into the hole) and probe
  // runs get shifted back.
  for (uint32_t n = 0; n < 50000; n += 3) {
    const std::size_t pos = table.find(nth_prefix(n));
    ASSERT_NE(pos, table.npos);
    table.erase_at(pos);
    model.erase(nth_prefix(n));
  }
  ASSERT_EQ(table.size(), model.size());
  for (const auto& [prefix, value] : model) {
    const std::size_t pos = table.find(prefix);
    ASSERT_NE(pos, table.npos) << prefix.to_string();
    EXPECT_EQ(table.value(pos), value);
  }
  for (uint32_t n = 0; n < 50000; n += 3) EXPECT_EQ(table.find(nth_prefix(n)), table.npos);
}

TEST(PrefixTable, ShrinksAndStaysUsableAfterMassErase) {
  rib::PrefixTable<Prefix4, uint32_t> table;
  for (uint32_t n = 0; n < 20000; ++n) table.value(table.find_or_insert(nth_prefix(n)).first) = n;
  for (uint32_t n = 0; n < 19990; ++n) table.erase_at(table.find(nth_prefix(n)));
  ASSERT_EQ(table.size(), 10u);
  for (uint32_t n = 19990; n < 20000; ++n) {
    const std::size_t pos = table.find(nth_prefix(n));
    ASSERT_NE(pos, table.npos);
    EXPECT_EQ(table.value(pos), n);
  }
  EXPECT_TRUE(table.find_or_insert(nth_prefix(1)).second);
  EXPECT_EQ(table.size(), 11u);
}

class RibStorage : public RibFixture {
 protected:
  std::vector<rib::PeerId> peers_of(const Prefix4& prefix) const {
    std::vector<rib::PeerId> out;
    for (const rib::PathEntry& e : rib.paths(prefix)) out.push_back(e.peer);
    return out;
  }
};

TEST_F(RibStorage, FirstPathWithdrawnWhileOthersRemain) {
  const rib::PeerId a = peer_up("10.0.0.2", 65001);
  const rib::PeerId b = peer_up("10.0.0.3", 65002);
  const rib::PeerId c = peer_up("10.0.0.4", 65003);
  const Prefix4 dst = p4("10.244.9.0/24");
  rib.receive(a, announce(attrs({65001, 1, 2}, "10.0.0.2"), {dst}), changes);
  rib.receive(b, announce(attrs({65002, 1}, "10.0.0.3"), {dst}), changes);
  rib.receive(c, announce(attrs({65003}, "10.0.0.4"), {dst}), changes);
  EXPECT_THAT(peers_of(dst), ElementsAre(a, b, c));
  EXPECT_EQ(rib.best(dst)->peer, c);  // shortest AS_PATH

  rib.receive(a, withdraw({dst}), changes);
  EXPECT_THAT(peers_of(dst), ElementsAre(b, c));
  EXPECT_EQ(rib.best(dst)->peer, c);

  changes.clear();
  rib.receive(c, withdraw({dst}), changes);
  EXPECT_THAT(peers_of(dst), ElementsAre(b));
  ASSERT_EQ(changes.best4.size(), 1u);
  EXPECT_EQ(changes.best4[0].best_peer, b);
  EXPECT_EQ(changes.best4[0].previous_peer, c);

  changes.clear();
  rib.receive(b, withdraw({dst}), changes);
  EXPECT_TRUE(rib.paths(dst).empty());
  EXPECT_EQ(rib.prefix_count(kIpv4Unicast), 0u);
  ASSERT_EQ(changes.best4.size(), 1u);
  EXPECT_EQ(changes.best4[0].best, nullptr);
  EXPECT_EQ(changes.best4[0].previous_peer, b);
}

TEST_F(RibStorage, ReplacedPathKeepsItsPlace) {
  const rib::PeerId a = peer_up("10.0.0.2", 65001);
  const rib::PeerId b = peer_up("10.0.0.3", 65002);
  const Prefix4 dst = p4("10.244.9.0/24");
  rib.receive(a, announce(attrs({65001, 7, 8}, "10.0.0.2"), {dst}), changes);
  rib.receive(b, announce(attrs({65002, 7}, "10.0.0.3"), {dst}), changes);
  EXPECT_EQ(rib.best(dst)->peer, b);
  rib.receive(a, announce(attrs({65001}, "10.0.0.2"), {dst}), changes);
  EXPECT_THAT(peers_of(dst), ElementsAre(a, b));
  EXPECT_EQ(rib.best(dst)->peer, a);
}

TEST_F(RibStorage, SweepOverManyPrefixesRemovesExactlyTheStaleOnes) {
  const rib::PeerId a = peer_up("10.0.0.2", 65001);
  const rib::PeerId b = peer_up("10.0.0.3", 65002);
  std::vector<Prefix4> all;
  for (uint32_t n = 0; n < 3000; ++n) all.push_back(nth_prefix(n));
  rib.receive(a, announce(attrs({65001}, "10.0.0.2"), all), changes);
  // b also has every tenth prefix, so those keep a path after the sweep.
  std::vector<Prefix4> tenth;
  for (uint32_t n = 0; n < 3000; n += 10) tenth.push_back(nth_prefix(n));
  rib.receive(b, announce(attrs({65002, 9}, "10.0.0.3"), tenth), changes);

  rib.peer_down(a, {kIpv4Unicast}, changes);
  const rib::PeerInfo info = *rib.peer(a);
  rib.peer_up(a, info, changes);
  // After its restart `a` re-announces the even prefixes only.
  std::vector<Prefix4> even;
  for (uint32_t n = 0; n < 3000; n += 2) even.push_back(nth_prefix(n));
  rib.receive(a, announce(attrs({65001}, "10.0.0.2"), even), changes);
  changes.clear();
  rib.sweep_stale(a, kIpv4Unicast, changes);

  std::set<Prefix4> withdrawn;
  for (const auto& c : changes.best4) {
    if (c.best == nullptr) withdrawn.insert(c.prefix);
  }
  std::size_t expected_withdrawn = 0;
  for (uint32_t n = 0; n < 3000; ++n) {
    const Prefix4 p = nth_prefix(n);
    const bool kept_by_a = n % 2 == 0;
    const bool has_b = n % 10 == 0;
    std::vector<rib::PeerId> want;
    if (kept_by_a) want.push_back(a);
    if (has_b) want.push_back(b);
    std::sort(want.begin(), want.end());
    std::vector<rib::PeerId> got = peers_of(p);
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, want) << p.to_string();
    if (!kept_by_a && !has_b) {
      ++expected_withdrawn;
      EXPECT_TRUE(withdrawn.contains(p)) << p.to_string();
    }
  }
  EXPECT_EQ(withdrawn.size(), expected_withdrawn);
  EXPECT_EQ(rib.prefix_count(kIpv4Unicast), 3000u - expected_withdrawn);
}

TEST_F(RibStorage, ForEachPathVisitsEveryPathOnceAndMarksTheBest) {
  const rib::PeerId a = peer_up("10.0.0.2", 65001);
  const rib::PeerId b = peer_up("10.0.0.3", 65002);
  rib.receive(a, announce(attrs({65001}, "10.0.0.2"), {p4("10.1.0.0/16"), p4("10.2.0.0/16")}),
              changes);
  rib.receive(b, announce(attrs({65002, 5}, "10.0.0.3"), {p4("10.2.0.0/16")}), changes);
  rib.originate(p6("2001:db8::/32"), attrs({}, "10.0.1.10"), changes);

  std::map<std::pair<Prefix4, rib::PeerId>, bool> seen;
  rib.for_each_path<Prefix4>([&](const Prefix4& p, const rib::PathEntry& e, bool best) {
    EXPECT_TRUE(seen.emplace(std::pair{p, e.peer}, best).second) << "visited twice";
  });
  const std::map<std::pair<Prefix4, rib::PeerId>, bool> want{
      {{p4("10.1.0.0/16"), a}, true},
      {{p4("10.2.0.0/16"), a}, true},
      {{p4("10.2.0.0/16"), b}, false},
  };
  EXPECT_EQ(seen, want);
  std::size_t v6 = 0;
  rib.for_each_path<Prefix6>([&](const Prefix6& p, const rib::PathEntry& e, bool best) {
    EXPECT_EQ(p, p6("2001:db8::/32"));
    EXPECT_EQ(e.peer, rib::kLocalPeer);
    EXPECT_TRUE(best);
    ++v6;
  });
  EXPECT_EQ(v6, 1u);
}

TEST_F(RibStorage, AttributeSetsAreFreedWhenNoRouteUsesThem) {
  const rib::PeerId a = peer_up("10.0.0.2", 65001);
  std::weak_ptr<const PathAttributes> stored;
  {
    AttrSetPtr first = attrs({65001, 42}, "10.0.0.2");
    stored = first;
    rib.receive(a, announce(first, {p4("10.3.0.0/16")}), changes);
  }
  // Replace the path with other attributes: the RIB lets go of the first
  // set (the change report holds it until consumed); the interner is then
  // the last holder and drops it when it collects.
  rib.receive(a, announce(attrs({65001}, "10.0.0.2"), {p4("10.3.0.0/16")}), changes);
  changes.clear();
  EXPECT_EQ(stored.use_count(), 1);
}

}  // namespace
}  // namespace kr::bgp::test
