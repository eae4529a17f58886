#include "reachability.h"

#include <fmt/format.h>

namespace kr::netpol::testing {

Reachability::Reachability(std::vector<std::string> pods, bool allowed) : pods_(std::move(pods)) {
  for (const auto& from : pods_) {
    for (const auto& to : pods_) allowed_[{from, to}] = allowed;
  }
}

Reachability& Reachability::expect(const std::string& from, const std::string& to, bool allowed) {
  allowed_[{from, to}] = allowed;
  return *this;
}

Reachability& Reachability::expect_all_ingress(const std::string& to, bool allowed) {
  for (const auto& from : pods_) allowed_[{from, to}] = allowed;
  return *this;
}

Reachability& Reachability::expect_all_egress(const std::string& from, bool allowed) {
  for (const auto& to : pods_) allowed_[{from, to}] = allowed;
  return *this;
}

Reachability& Reachability::expect_peer(const Predicate& from, const Predicate& to, bool allowed) {
  for (const auto& f : pods_) {
    for (const auto& t : pods_) {
      if (from(f) && to(t)) allowed_[{f, t}] = allowed;
    }
  }
  return *this;
}

bool Reachability::expected(const std::string& from, const std::string& to) const {
  return from == to || allowed_.at({from, to});  // traffic to itself never leaves the pod
}

std::string Reachability::compare(const std::vector<ProbeResult>& results) const {
  std::map<std::pair<std::string, std::string>, const ProbeResult*> observed;
  for (const ProbeResult& r : results) observed[{r.from, r.to}] = &r;
  std::string wrong;
  for (const auto& from : pods_) {
    for (const auto& to : pods_) {
      const auto it = observed.find({from, to});
      if (it == observed.end()) {
        wrong += fmt::format("  {} -> {}: not probed\n", from, to);
      } else if (it->second->connected != expected(from, to)) {
        wrong += fmt::format("  {} -> {}: expected {}, got {}\n", from, to,
                             expected(from, to) ? "allowed" : "blocked", it->second->outcome);
      }
    }
  }
  if (wrong.empty()) return {};
  const auto grid = [&](auto cell) {
    std::string out = "        ";
    for (const auto& to : pods_) out += fmt::format("{:>4}", to);
    out += "\n";
    for (const auto& from : pods_) {
      out += fmt::format("{:>8}", from);
      for (const auto& to : pods_) out += fmt::format("{:>4}", cell(from, to) ? "." : "X");
      out += "\n";
    }
    return out;
  };
  return "expected:\n" + grid([&](const auto& f, const auto& t) { return expected(f, t); }) +
         "observed:\n" + grid([&](const auto& f, const auto& t) {
           const auto it = observed.find({f, t});
           return it != observed.end() && it->second->connected;
         }) +
         "wrong:\n" + wrong;
}

Reachability::Predicate in_namespace(std::string ns) {
  return [ns](const std::string& pod) { return pod.starts_with(ns + "/"); };
}

Reachability::Predicate is_pod(std::string key) {
  return [key](const std::string& pod) { return pod == key; };
}

Reachability::Predicate any_pod() {
  return [](const std::string&) { return true; };
}

Reachability::Predicate pod_named(std::string name) {
  return [name](const std::string& pod) { return pod.ends_with("/" + name); };
}

}  // namespace kr::netpol::testing
