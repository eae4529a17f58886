#include "bgp/codec/update_packer.h"

#include "base/log.h"
#include "bgp/codec/attr_codec.h"
#include "bgp/codec/nlri.h"

namespace kr::bgp {
namespace {

// Size of `u` once `extra` more prefix bytes are added to its MP attribute
// (whose value length is `mp_value_len` before), counting the attribute
// header growing to the extended-length form past 255 bytes.
std::size_t grown_size(std::size_t base, std::size_t mp_value_len, std::size_t extra) {
  const bool was_ext = mp_value_len > 255;
  const bool is_ext = mp_value_len + extra > 255;
  return base + extra + (is_ext && !was_ext ? 1 : 0);
}

std::size_t mp_reach_value_len(const MpReach& mp) {
  Bytes v;
  detail::encode_mp_reach_value(mp, v);
  return v.size();
}

// Emits the prefixes [0, n) as messages built by `make(first, last)`, each as
// large as `base`/`mp_len` allow. Returns false if not even one prefix fits.
template <class P, class Make>
bool chunk(const std::vector<P>& prefixes, std::size_t base, std::size_t mp_len, std::size_t max,
           std::vector<Bytes>& out, Make make) {
  std::size_t i = 0;
  while (i < prefixes.size()) {
    std::size_t j = i;
    std::size_t bytes = 0;
    while (j < prefixes.size() &&
           grown_size(base, mp_len, bytes + encoded_size(prefixes[j])) <= max) {
      bytes += encoded_size(prefixes[j]);
      ++j;
    }
    if (j == i) return false;
    out.push_back(make(i, j));
    i = j;
  }
  return true;
}

}  // namespace

UpdatePacker::UpdatePacker(Family family, CodecOptions opts, std::size_t max_size)
    : family_(family), opts_(opts), max_size_(max_size) {}

UpdatePacker::Group& UpdatePacker::group_for(const AttrSetPtr& attrs) {
  auto [it, inserted] = group_index_.try_emplace(attrs.get(), groups_.size());
  if (inserted) groups_.push_back(Group{attrs, {}, {}});
  return groups_[it->second];
}

void UpdatePacker::announce(const Prefix4& p, const AttrSetPtr& attrs) {
  group_for(attrs).v4.push_back(p);
}

void UpdatePacker::announce(const Prefix6& p, const AttrSetPtr& attrs) {
  group_for(attrs).v6.push_back(p);
}

bool UpdatePacker::empty() const {
  return withdrawn4_.empty() && withdrawn6_.empty() && groups_.empty();
}

void UpdatePacker::pack_withdrawals(std::vector<Bytes>& out) {
  if (family_.is_ipv4_unicast()) {
    const std::size_t base = encode_update(UpdateMessage{}, opts_).size();
    chunk(withdrawn4_, base, 0, max_size_, out, [&](std::size_t a, std::size_t b) {
      UpdateMessage u;
      u.withdrawn.assign(withdrawn4_.begin() + static_cast<std::ptrdiff_t>(a),
                         withdrawn4_.begin() + static_cast<std::ptrdiff_t>(b));
      return encode_update(u, opts_);
    });
    return;
  }
  UpdateMessage empty;
  empty.mp_unreach = MpUnreach{family_, true, {}, {}};
  const std::size_t base = encode_update(empty, opts_).size();
  auto pack = [&](const auto& list, auto member) {
    chunk(list, base, 3, max_size_, out, [&](std::size_t a, std::size_t b) {
      UpdateMessage u = empty;
      (u.mp_unreach.value().*member)
          .assign(list.begin() + static_cast<std::ptrdiff_t>(a),
                  list.begin() + static_cast<std::ptrdiff_t>(b));
      return encode_update(u, opts_);
    });
  };
  pack(withdrawn4_, &MpUnreach::withdrawn4);
  pack(withdrawn6_, &MpUnreach::withdrawn6);
}

void UpdatePacker::pack_group(const Group& g, std::vector<Bytes>& out) {
  bool fits = true;
  if (family_.is_ipv4_unicast()) {
    UpdateMessage u;
    u.attrs = g.attrs;
    // One dummy prefix forces NEXT_HOP into the size estimate; subtract it.
    u.nlri.push_back(Prefix4{});
    const std::size_t base = encode_update(u, opts_).size() - encoded_size(Prefix4{});
    fits = chunk(g.v4, base, 0, max_size_, out, [&](std::size_t a, std::size_t b) {
      u.nlri.assign(g.v4.begin() + static_cast<std::ptrdiff_t>(a),
                    g.v4.begin() + static_cast<std::ptrdiff_t>(b));
      return encode_update(u, opts_);
    });
  } else {
    UpdateMessage u;
    u.attrs = g.attrs;
    u.mp_reach = MpReach{family_, true, {}, {}, {}, {}};
    if (g.attrs && g.attrs->next_hop) u.mp_reach->next_hop = *g.attrs->next_hop;
    if (g.attrs) u.mp_reach->link_local_next_hop = g.attrs->link_local_next_hop;
    if (!family_.is_ipv4_unicast() && !u.mp_reach->next_hop.v6) {
      u.mp_reach->next_hop = u.mp_reach->next_hop.to_v6_mapped();
    }
    const std::size_t base = encode_update(u, opts_).size();
    const std::size_t mp_len = mp_reach_value_len(*u.mp_reach);
    auto fill = [&](auto& list, auto member) {
      return chunk(list, base, mp_len, max_size_, out, [&](std::size_t a, std::size_t b) {
        UpdateMessage m = u;
        (m.mp_reach.value().*member)
            .assign(list.begin() + static_cast<std::ptrdiff_t>(a),
                    list.begin() + static_cast<std::ptrdiff_t>(b));
        return encode_update(m, opts_);
      });
    };
    fits = fill(g.v4, &MpReach::nlri4) && fill(g.v6, &MpReach::nlri6);
  }
  if (!fits) {
    KR_ERROR("BGP {}: path attributes too large to send ({}); routes not advertised",
             family_.to_string(), g.attrs ? g.attrs->to_string() : "");
  }
}

std::vector<Bytes> UpdatePacker::finish() {
  std::vector<Bytes> out;
  pack_withdrawals(out);
  for (const Group& g : groups_) pack_group(g, out);
  withdrawn4_.clear();
  withdrawn6_.clear();
  groups_.clear();
  group_index_.clear();
  return out;
}

}  // namespace kr::bgp
