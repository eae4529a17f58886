#include "packet_sim.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <vector>

#include "controllers/netpol/cidr.h"

namespace kr::netpol::testing {
namespace {

std::vector<std::string> tokenize(std::string_view rule) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < rule.size()) {
    if (rule[i] == ' ') {
      ++i;
      continue;
    }
    std::string token;
    if (rule[i] == '"') {
      for (++i; i < rule.size() && rule[i] != '"'; ++i) {
        if (rule[i] == '\\' && i + 1 < rule.size()) ++i;
        token += rule[i];
      }
      ++i;
    } else {
      while (i < rule.size() && rule[i] != ' ') token += rule[i++];
    }
    out.push_back(std::move(token));
  }
  return out;
}

uint32_t hex(std::string_view s) {
  uint32_t v = 0;
  std::from_chars(s.data() + 2, s.data() + s.size(), v, 16);
  return v;
}

std::pair<uint32_t, uint32_t> mark_mask(std::string_view s) {
  const size_t slash = s.find('/');
  return {hex(s.substr(0, slash)), hex(s.substr(slash + 1))};
}

bool in_cidr(std::string_view ip, std::string_view cidr_text) {
  const auto c = parse_cidr(cidr_text);
  const auto a = parse_address(ip);
  if (!c || !a || a->family != c->family) return false;
  return c->contains(*parse_cidr(a->text + (a->family == Family::kIPv4 ? "/32" : "/128")));
}

bool port_in(int port, std::string_view range) {
  const size_t colon = range.find(':');
  int first = 0, last = 0;
  std::from_chars(range.data(), range.data() + (colon == range.npos ? range.size() : colon), first);
  last = first;
  if (colon != range.npos) {
    std::from_chars(range.data() + colon + 1, range.data() + range.size(), last);
  }
  return port >= first && port <= last;
}

class Machine {
 public:
  Machine(const FamilyRuleset& rules, const Packet& packet) : rules_(rules), packet_(packet) {}

  // nullopt: the chain returned (or ended) without a verdict.
  std::optional<Verdict> run_chain(const std::vector<std::string>& chain, int depth) {
    if (depth > 10) {
      ADD_FAILURE() << "chain recursion too deep";
      return Verdict::kDrop;
    }
    for (const std::string& rule : chain) {
      const std::vector<std::string> t = tokenize(rule);
      size_t i = 0;
      bool match = true;
      std::string target;
      std::vector<std::string> target_args;
      while (i < t.size()) {
        const std::string& tok = t[i];
        bool negate = false;
        if (tok == "-j") {
          target = t[i + 1];
          target_args.assign(t.begin() + static_cast<long>(i) + 2, t.end());
          break;
        }
        if (tok == "-s" || tok == "-d") {
          match = match && in_cidr(tok == "-s" ? packet_.src : packet_.dst, t[i + 1]);
          i += 2;
        } else if (tok == "-p") {
          match = match && t[i + 1] == packet_.protocol;
          i += 2;
        } else if (tok == "-m") {
          const std::string& module = t[i + 1];
          i += 2;
          if (module == "comment") {
            i += 2;
          } else if (module == "set") {
            if (t[i] == "!") negate = true, ++i;
            const std::string& set = t[i + 1];
            const std::string& dir = t[i + 2];
            i += 3;
            match = match && (member(set, dir == "src" ? packet_.src : packet_.dst) != negate);
          } else if (module == "tcp" || module == "udp" || module == "sctp") {
            match = match && module == packet_.protocol && port_in(packet_.dport, t[i + 1]);
            i += 2;
          } else if (module == "multiport") {
            match = match && port_in(packet_.dport, t[i + 1]);
            i += 2;
          } else if (module == "mark") {
            if (t[i] == "!") negate = true, ++i;
            const auto [value, mask] = mark_mask(t[i + 1]);
            i += 2;
            match = match && (((mark_ & mask) == value) != negate);
          } else if (module == "addrtype") {
            const bool want =
                t[i] == "--src-type" ? packet_.from_local_address : packet_.to_local_address;
            match = match && want && t[i + 1] == "LOCAL";
            i += 2;
          } else if (module == "conntrack") {
            const std::string& states = t[i + 1];
            match = match && states.find(packet_.ctstate) != std::string::npos;
            i += 2;
          } else if (module == "physdev") {
            match = false;  // simulated packets are routed, not bridged
            i += 1;
          } else if (module == "limit") {
            i += 4;
          } else if (module == "icmp" || module == "icmp6") {
            match = false;
            i += 2;
          } else {
            ADD_FAILURE() << "unknown match module " << module << " in: " << rule;
            return Verdict::kDrop;
          }
        } else {
          ADD_FAILURE() << "unknown token " << tok << " in: " << rule;
          return Verdict::kDrop;
        }
      }
      if (!match) continue;
      if (target == "ACCEPT") return Verdict::kAccept;
      if (target == "DROP") return Verdict::kDrop;
      if (target == "REJECT") return Verdict::kReject;
      if (target == "RETURN") return std::nullopt;
      if (target == "NFLOG") continue;
      if (target == "MARK") {
        const auto [value, mask] = mark_mask(target_args.at(1));
        mark_ = (mark_ & ~mask) ^ value;
        continue;
      }
      const auto it = rules_.filter.chains.find(target);
      if (it == rules_.filter.chains.end()) {
        ADD_FAILURE() << "jump to missing chain " << target;
        return Verdict::kDrop;
      }
      if (auto verdict = run_chain(it->second, depth + 1)) return verdict;
    }
    return std::nullopt;
  }

 private:
  bool member(const std::string& set, const std::string& ip) {
    const auto it = rules_.ipsets.find(set);
    if (it == rules_.ipsets.end()) {
      ADD_FAILURE() << "rule references missing set " << set;
      return false;
    }
    const auto& m = it->second.members;
    if (it->second.type == "hash:ip") return std::find(m.begin(), m.end(), ip) != m.end();
    return std::any_of(m.begin(), m.end(), [&](const std::string& entry) {
      return entry.find('/') == std::string::npos ? entry == ip : in_cidr(ip, entry);
    });
  }

  const FamilyRuleset& rules_;
  const Packet& packet_;
  uint32_t mark_ = 0;
};

}  // namespace

Verdict simulate(const FamilyRuleset& rules, std::string_view hook, const Packet& packet) {
  std::vector<std::string> builtin;
  for (const auto& pin : rules.filter.pinned) {
    if (pin.chain == hook) builtin.push_back(pin.rule);
  }
  Machine machine(rules, packet);
  return machine.run_chain(builtin, 0).value_or(Verdict::kPolicyDefault);
}

bool allowed(const FamilyRuleset& rules, const Packet& packet, std::string_view hook) {
  const Verdict v = simulate(rules, hook, packet);
  return v == Verdict::kAccept || v == Verdict::kPolicyDefault;
}

}  // namespace kr::netpol::testing
