// What the desired-state builder keeps from one pass to the next, so that a pass costs what
// changed rather than what exists.
//
// Two kinds of entries:
//  - results of an immutable API object (a Pod or NetworkPolicy version: a change is a new
//    object), kept while the object is in the cluster;
//  - memos of derived results (a selector's pods, a set's members, a chain's rules), each kept
//    with an exact encoding of what it was computed from: its inputs' versions. A memo is reused
//    only when those are equal, so reusing gives exactly what recomputing would; the cache only
//    saves the work. A version names one value of an input: it changes whenever the value does
//    and is never given to another value (numbers are not reused).
// Entries a pass did not use are dropped at its end.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controllers/netpol/cluster_index.h"
#include "controllers/netpol/firewall_inputs.h"
#include "controllers/netpol/policy_resolver.h"
#include "kernel/netfilter/ipset_plan.h"
#include "kernel/netfilter/string_list.h"

namespace kr::netpol {

// The parts of a local pod's chain and jumps that do not depend on policies (pod_chains.h).
struct PodRules {
  std::string chain;
  std::vector<std::string> head;  // COMMON, from the local node
  std::string default_egress;
  std::string default_ingress;
  std::vector<std::string> tail;                    // log, reject, clear, set passed
  std::vector<std::string> input, forward, output;  // jumps to the chain
};

// Append to an exact encoding of inputs (see BuildCache::version): a number, and a text (with
// its length, so no two sequences of texts encode alike).
void append_version(std::string& inputs, uint64_t value);
void append_text(std::string& inputs, std::string_view text);

class BuildCache {
 public:
  BuildCache();
  ~BuildCache();
  BuildCache(const BuildCache&) = delete;
  BuildCache& operator=(const BuildCache&) = delete;

  // Marks the start and end of a pass: what the pass did not use goes at its end. A pass for
  // another node starts from nothing (pods' locality is kept per pod).
  void begin_pass(const NodeFacts& node);
  void end_pass();

  // The pod as the builder sees it (addresses parsed, locality, a serial number no other pod
  // object gets), or nullptr when none of its addresses is usable; problems are appended.
  const PodEntry* pod(const std::shared_ptr<const k8s::Pod>& pod, std::vector<Problem>& problems);
  // The pod's static rules in family f, made by `make` the first time.
  const PodRules& pod_rules(const PodEntry& pod, Family f, const std::function<PodRules()>& make);
  // The pod's chain: made by `make` unless `inputs` equal the last pass's.
  const netfilter::StringList& pod_chain(const PodEntry& pod, Family f, const std::string& inputs,
                                         const std::function<std::vector<std::string>()>& make);

  // When the pod's jumps in family f (made of its name and first address there) first appeared:
  // a number kept while they stay. The KUBE-ROUTER-* chains list the newest jumps first, so a
  // new pod's go to the head of the chain, where iptables-nft inserts cheapest (filter_plan.cpp).
  uint64_t jumps_arrival(const PodEntry& pod, Family f);

  const PolicyCompilation& policy(const std::shared_ptr<const k8s::NetworkPolicy>& policy);

  // The version of the value named `key`, encoded exactly in `inputs`: last pass's number while
  // `inputs` are equal, a new one otherwise.
  uint64_t version(const std::string& key, const std::string& inputs);

  // The pods memoized under `definition`; `select` runs only when `inputs` changed. The result's
  // version changes only when the selected pods do.
  const Selection& selection(const std::string& definition, const std::string& inputs,
                             const std::function<std::vector<const PodEntry*>()>& select);

  // The namespaces a namespaceSelector (canonical text) matches while the namespaces and their
  // labels have version `namespaces_version`.
  const std::vector<std::string>& matching_namespaces(
      const std::string& selector, uint64_t namespaces_version,
      const std::function<std::vector<std::string>()>& match);

  // A named port's sets: one per port number the name has, each with the addresses of the pods
  // that give the name that number.
  struct PortGroup {
    std::string set;
    netfilter::StringList members;
  };
  struct PortGroups {
    std::map<int, PortGroup> by_number;
    uint64_t numbers_version = 0;  // changes exactly when the numbers do
    uint64_t version = 0;          // changes exactly when the numbers or the members do
  };
  // Memoized under `key` while `inputs` are as last pass; `addresses` finds the pods' addresses
  // by number, `set_name` names a number's set.
  const PortGroups& port_groups(
      const std::string& key, const std::string& inputs,
      const std::function<std::map<int, std::vector<std::string>>()>& addresses,
      const std::function<std::string(int number)>& set_name);

  // A set's members (sorted, unique), made by `make` unless `inputs` are as last pass.
  const netfilter::StringList& set_members(const std::string& set, const std::string& inputs,
                                           const std::function<std::vector<std::string>()>& make);

  // A policy chain's rules: made by `make` unless `inputs` are as last pass.
  const netfilter::StringList& policy_chain(const std::string& chain, const std::string& inputs,
                                            const std::function<std::vector<std::string>()>& make);

  // Chains memoized under `key` as a group (the KUBE-ROUTER-* chains of a family).
  const std::vector<netfilter::StringList>& chains(
      const std::string& key, const std::string& inputs,
      const std::function<std::vector<std::vector<std::string>>()>& make);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace kr::netpol
