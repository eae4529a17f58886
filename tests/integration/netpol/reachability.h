// The expected connectivity of the Kubernetes e2e netpol model (test/e2e/network/netpol): a
// from x to matrix over the pods, all allowed unless a case says otherwise, with a pod always
// reaching itself. Mismatches print as the e2e suite prints them: a grid of . (allowed) and X.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "test_cluster.h"

namespace kr::netpol::testing {

class Reachability {
 public:
  using Predicate = std::function<bool(const std::string& pod)>;

  explicit Reachability(std::vector<std::string> pods, bool allowed = true);

  Reachability& expect(const std::string& from, const std::string& to, bool allowed);
  Reachability& expect_all_ingress(const std::string& to, bool allowed);
  Reachability& expect_all_egress(const std::string& from, bool allowed);
  Reachability& expect_peer(const Predicate& from, const Predicate& to, bool allowed);

  bool expected(const std::string& from, const std::string& to) const;
  const std::vector<std::string>& pods() const { return pods_; }

  // Empty when `results` match; else the expected and observed grids and the wrong pairs.
  std::string compare(const std::vector<ProbeResult>& results) const;

 private:
  std::vector<std::string> pods_;
  std::map<std::pair<std::string, std::string>, bool> allowed_;
};

// Predicates over "namespace/name" keys.
Reachability::Predicate in_namespace(std::string ns);
Reachability::Predicate is_pod(std::string key);
Reachability::Predicate any_pod();
Reachability::Predicate pod_named(std::string name);  // the pod's name in any namespace

}  // namespace kr::netpol::testing
