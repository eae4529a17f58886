// ipsets as `ipset save` shows them, and the restore scripts that move the sets a controller
// owns from what the kernel has to what the controller wants.
//
// A new set is created and filled. A set whose members changed is refilled through a
// temporary set and `swap`, so rules matching it never see it half-filled. Sets the
// controller owns but no longer wants are destroyed by a separate script, run once no rule
// references them any more.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/netfilter/family.h"
#include "kernel/netfilter/string_list.h"

namespace kr::netfilter {

struct IpsetState {
  std::string type;    // e.g. hash:ip
  std::string family;  // the create line's family option: inet, inet6 (or "")
  StringList members;  // sorted; entry text without "timeout N" (nomatch kept)
};
using IpsetTable = std::map<std::string, IpsetState, std::less<>>;

// Parses `ipset save` output.
IpsetTable parse_ipset_save(std::string_view save_output);

struct IpsetSpec {
  std::string type;  // hash:ip or hash:net
  Family family = Family::kIPv4;
  StringList members;  // canonical text (as ipset prints it), sorted, unique
};
using DesiredIpsets = std::map<std::string, IpsetSpec, std::less<>>;

using IpsetOwnership = std::function<bool(std::string_view set)>;

struct IpsetPlan {
  std::string update_script;   // creates and swaps; empty when nothing changes
  std::string destroy_script;  // stale owned sets; empty when none
  size_t sets_created = 0;
  size_t sets_swapped = 0;
  size_t sets_edited = 0;  // changed by add/del lines (IpsetPlanOptions::edit_ip_sets)
  size_t sets_destroyed = 0;
};

struct IpsetPlanOptions {
  // Change a hash:ip set by adding and deleting the members that differ instead of refilling
  // a copy and swapping it in, when that is fewer lines. A packet looks up one address in such
  // a set, and each add or del is atomic, so every packet sees the set either as it was or as
  // it will be for its address: the same as a swap, without re-adding every member (a pod
  // joining a 1,000-member peer set is one line). hash:net sets are always swapped: a packet
  // can match several of their entries, so a half-edited set could match where neither the
  // old nor the new one does, or the other way round.
  bool edit_ip_sets = false;
};

// Plans the sets of one family. `temp_name` is the scratch set used for swaps (owned by the
// controller, destroyed again by the same script). Sets of the other family are left alone.
IpsetPlan plan_ipsets(const DesiredIpsets& desired, const IpsetTable& current, Family family,
                      const IpsetOwnership& owned, std::string_view temp_name,
                      const IpsetPlanOptions& options = {});

// What `ipset save` would show after the plan for `desired` succeeded.
IpsetTable expected_ipsets(const DesiredIpsets& desired);

}  // namespace kr::netfilter
