// The proxy's netfilter state (proxy.md §5-§7): the ipsets kube-router-local-ips,
// kube-router-svip and kube-router-svip-prt; filter KUBE-ROUTER-SERVICES with its INPUT jump;
// nat KUBE-ROUTER-HAIRPIN with its POSTROUTING jump, and the SNAT rules in POSTROUTING.
//
// Only our own chains and rules are written (iptables-restore --noflush), never a whole table.
// The INPUT jump is inserted at position 1 when missing but not moved if something was inserted
// above it later (upstream's netpol jump goes first, as upstream orders them).
#pragma once

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controllers/proxy/node_state.h"
#include "kernel/netfilter/filter_table.h"
#include "kernel/netfilter/ipset.h"
#include "kernel/netfilter/ipset_plan.h"
#include "kernel/netfilter/iptables.h"

namespace kr::proxy {

// Members of the two service sets of one family, as `ipset save` prints them.
struct ServiceSets {
  std::vector<std::string> ips;    // kube-router-svip
  std::vector<std::string> ports;  // kube-router-svip-prt
};

// The seam the controller writes through; a fake in unit tests.
class ProxyFirewall {
 public:
  virtual ~ProxyFirewall() = default;
  // The three sets of a family. read_kernel: plan against `ipset save` instead of memory.
  virtual void sync_sets(Family family, const FamilyNodeState& node, const ServiceSets& sets,
                         bool read_kernel) = 0;
  // filter KUBE-ROUTER-SERVICES and the INPUT jump (always reads the kernel).
  virtual void sync_filter(Family family, const FamilyNodeState& node) = 0;
  // nat: SNAT rules and the hairpin chain with its jump.
  virtual void sync_nat(Family family, const FamilyNodeState& node,
                        const std::vector<std::string>& hairpin_rules, bool read_kernel) = 0;
};

// One table of iptables-save output: chain names and rules (text after "-A <chain> ").
netfilter::FilterTable parse_saved_table(std::string_view save_output, std::string_view table);

// The restore document that moves `current` (nat table) to the desired SNAT and hairpin rules;
// empty when nothing changes.
std::string plan_nat(const netfilter::FilterTable& current, const std::vector<std::string>& masq,
                     const std::vector<std::string>& hairpin_rules);
// The same for the filter table's KUBE-ROUTER-SERVICES chain and INPUT jump.
std::string plan_services_filter(const netfilter::FilterTable& current,
                                 const FamilyNodeState& node);

// The real implementation on the iptables and ipset tools of `backend`.
class NetfilterFirewall final : public ProxyFirewall {
 public:
  NetfilterFirewall(netfilter::IptablesBackend backend, std::string netns_path = {});

  void sync_sets(Family family, const FamilyNodeState& node, const ServiceSets& sets,
                 bool read_kernel) override;
  void sync_filter(Family family, const FamilyNodeState& node) override;
  void sync_nat(Family family, const FamilyNodeState& node,
                const std::vector<std::string>& hairpin_rules, bool read_kernel) override;

 private:
  std::string save(Family family, std::string_view table);
  void restore(Family family, std::string_view table, const std::string& document);

  netfilter::IptablesBackend backend_;
  std::string netns_path_;
  std::unique_ptr<netfilter::Ipset> ipset_;
  std::optional<netfilter::IpsetTable> known_sets_;                 // after the last success
  std::array<std::optional<netfilter::FilterTable>, 2> known_nat_;  // per family
};

// --cleanup-config (cleanup.md §5, both families, both backends): the INPUT jump and
// KUBE-ROUTER-SERVICES, the hairpin jump and chain, our SNAT rules, then the ipsets. Returns
// false when something failed (logged).
bool cleanup_proxy_netfilter(const std::string& netns_path = {});

}  // namespace kr::proxy
