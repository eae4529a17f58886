// Access to ipsets through `ipset save` and `ipset restore`. Sets of both families live in one
// namespace-wide list, so one instance serves IPv4 and IPv6.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace kr::netfilter {

class Ipset {
 public:
  virtual ~Ipset() = default;
  // Every set with its members, as `ipset save` prints them. Throws NetfilterError.
  virtual std::string save() = 0;
  // Runs `ipset restore -exist` on the script. It is not one transaction: ipset sends the lines
  // in batches, in order, and stops at the first failure, so some of the lines before a
  // failing one may be applied. Throws NetfilterError naming the failing line.
  virtual void restore(std::string_view script) = 0;
};

// The real implementation; `netns_path` as for make_iptables.
std::unique_ptr<Ipset> make_ipset(std::string netns_path = {});

}  // namespace kr::netfilter
