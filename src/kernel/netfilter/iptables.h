// Access to one backend's filter tables through iptables-save / iptables-restore.
//
// Both backends (legacy x_tables and nf_tables) can be loaded at once; which one a node uses is
// decided once at start (backend_detect.h) and the binaries of that backend are then called by
// their explicit names (iptables-legacy-restore, ip6tables-nft-save, ...), so the result never
// depends on where the `iptables` alternative points.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "kernel/netfilter/family.h"

namespace kr::netfilter {

enum class IptablesBackend { kLegacy, kNft };

// "legacy" / "nft", as in the binary names.
std::string_view backend_name(IptablesBackend backend);

// A netfilter tool failed; the message names the tool and carries its stderr.
class NetfilterError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Iptables {
 public:
  virtual ~Iptables() = default;
  virtual IptablesBackend backend() const = 0;
  // iptables-save output holding the filter table (possibly others too; parse_filter_save
  // picks the filter section). Empty when the table does not exist. Throws NetfilterError.
  virtual std::string save_filter(Family family) = 0;
  // Applies a complete `*filter ... COMMIT` document with --noflush (only the chains the
  // document declares are flushed), waiting for the xtables lock. One call is one atomic
  // transaction. Throws NetfilterError, with the failing line number in the message.
  virtual void restore_filter(Family family, std::string_view document) = 0;
  // Returns once the rules earlier restores deleted no longer hold what they referenced, so
  // that ipsets only they used can be destroyed. nf_tables releases a deleted rule in work
  // it defers past an RCU grace period, and finishes that work when the writing tool's
  // netlink socket closes; the legacy backend releases at once.
  virtual void settle_removals() {}
};

// The real implementation. `netns_path` (a network namespace file) makes every command run in
// that namespace; empty means the caller's own.
std::unique_ptr<Iptables> make_iptables(IptablesBackend backend, std::string netns_path = {});

// Name of the backend's tool for a family, e.g. ("ip6tables", kNft, "save") ->
// "ip6tables-nft-save".
std::string backend_tool(IptablesBackend backend, Family family, std::string_view verb);

}  // namespace kr::netfilter
