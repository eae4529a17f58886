// A tiny interpreter of the rule shapes the firewall emits, so unit tests can assert what
// happens to a packet (the behaviour a user sees) rather than only the rule text. It knows
// exactly the matches and targets the builder writes (addresses, protocols, ports, ipsets,
// marks, addrtype, conntrack state, physdev, comment, limit) and fails the test on anything
// else, so it cannot silently mis-evaluate a new rule shape.
#pragma once

#include <string>

#include "controllers/netpol/desired_state.h"

namespace kr::netpol::testing {

struct Packet {
  std::string src;
  std::string dst;
  std::string protocol = "tcp";  // tcp, udp, sctp
  int dport = 80;
  bool from_local_address = false;  // source is an address of this node (addrtype LOCAL)
  bool to_local_address = false;
  std::string ctstate = "NEW";
};

enum class Verdict { kAccept, kReject, kDrop, kPolicyDefault };

// Runs the packet through `hook` (INPUT, FORWARD or OUTPUT) of the ruleset. kPolicyDefault:
// no rule decided (the built-in chain's ACCEPT policy applies).
Verdict simulate(const FamilyRuleset& rules, std::string_view hook, const Packet& packet);

// Shorthand: allowed when the verdict is ACCEPT or the policy default.
bool allowed(const FamilyRuleset& rules, const Packet& packet, std::string_view hook = "FORWARD");

}  // namespace kr::netpol::testing
