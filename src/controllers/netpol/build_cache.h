// What the desired-state builder may keep from one pass to the next. Everything in here is a
// function of an immutable API object (a Pod or NetworkPolicy version: a change is a new
// object) or of a string, so reusing it gives exactly what recomputing would; it only saves
// the work. Entries not used during a pass are dropped at its end.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "controllers/netpol/firewall_inputs.h"
#include "controllers/netpol/policy_resolver.h"

namespace kr::netpol {

// A pod's addresses per family (canonical text, API order) and why some were unusable.
struct PodCompilation {
  std::array<std::vector<std::string>, 2> ips;
  std::vector<Problem> problems;
};

// The parts of a local pod's chain and jumps that do not depend on policies (pod_chains.h).
struct PodRules {
  std::string chain;
  std::vector<std::string> head;  // COMMON, from the local node
  std::string default_egress;
  std::string default_ingress;
  std::vector<std::string> tail;                    // log, reject, clear, set passed
  std::vector<std::string> input, forward, output;  // jumps to the chain
};

class BuildCache {
 public:
  BuildCache();
  ~BuildCache();
  BuildCache(const BuildCache&) = delete;
  BuildCache& operator=(const BuildCache&) = delete;

  // Marks the start and end of a pass: what the pass did not use goes at its end.
  void begin_pass();
  void end_pass();

  const PodCompilation& pod(const std::shared_ptr<const k8s::Pod>& pod);
  // The pod's static rules for `ip` in family f, made by `make` the first time.
  const PodRules& pod_rules(const k8s::Pod* pod, Family f, const std::function<PodRules()>& make);
  const PolicyCompilation& policy(const std::shared_ptr<const k8s::NetworkPolicy>& policy);
  // A name made by `make` from `key` (hashing is the builder's most repeated work).
  const std::string& name(const std::string& key, const std::function<std::string()>& make);
  // A policy chain's rules: reused while `signature` (what the rules were made from) is equal.
  const std::vector<std::string>& policy_chain(
      const CompiledPolicy* policy, Direction d, Family f, const std::string& signature,
      const std::function<std::vector<std::string>()>& make);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace kr::netpol
