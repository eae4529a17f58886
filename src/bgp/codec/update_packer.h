// Packs one family's outgoing changes into as few UPDATEs as fit the size
// limit (bgp-wire.md §6.1): withdrawals first, then announcements grouped by
// attribute set. IPv4 unicast uses the classic Withdrawn Routes / NLRI fields
// with NEXT_HOP; every other family uses MP_REACH_NLRI / MP_UNREACH_NLRI with
// the attribute set's next_hop (an IPv4 next hop on IPv6 goes out IPv4-mapped).
#pragma once

#include <unordered_map>
#include <vector>

#include "bgp/codec/update.h"

namespace kr::bgp {

class UpdatePacker {
 public:
  // `max_size` is 4096, or 65535 once extended messages were negotiated.
  UpdatePacker(Family family, CodecOptions opts, std::size_t max_size = kMaxMessageSize);

  void withdraw(const Prefix4& p) { withdrawn4_.push_back(p); }
  void withdraw(const Prefix6& p) { withdrawn6_.push_back(p); }
  // Announcements are grouped by attribute-set identity: pass interned sets
  // (the RIB does) to get the fewest messages.
  void announce(const Prefix4& p, const AttrSetPtr& attrs);
  void announce(const Prefix6& p, const AttrSetPtr& attrs);

  bool empty() const;
  // Encodes everything queued and clears the packer. An attribute set too big
  // to fit even one prefix is dropped with an error log (cannot be sent).
  std::vector<Bytes> finish();

 private:
  struct Group {
    AttrSetPtr attrs;
    std::vector<Prefix4> v4;
    std::vector<Prefix6> v6;
  };
  Group& group_for(const AttrSetPtr& attrs);
  void pack_withdrawals(std::vector<Bytes>& out);
  void pack_group(const Group& g, std::vector<Bytes>& out);

  Family family_;
  CodecOptions opts_;
  std::size_t max_size_;
  std::vector<Prefix4> withdrawn4_;
  std::vector<Prefix6> withdrawn6_;
  std::vector<Group> groups_;
  std::unordered_map<const PathAttributes*, std::size_t> group_index_;
};

}  // namespace kr::bgp
