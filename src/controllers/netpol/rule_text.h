// Rules written exactly as iptables-save prints them (addresses with their prefix length, -p
// before the matches, the protocol match module right before --dport, targets last, comments
// quoted only when needed), so the text of a rule we want compares equal to the text the
// kernel gives back and an unchanged rule is never rewritten. The integration test
// netfilter_roundtrip checks every rule shape against both backends.
#pragma once

#include <string>
#include <string_view>

#include "controllers/netpol/cidr.h"

namespace kr::netpol {

// The marks of netpol.md §6.
inline constexpr std::string_view kMarkAllowed = "0x10000/0x10000";
inline constexpr std::string_view kMarkPassed = "0x20000/0x20000";

class Rule {
 public:
  Rule& source(std::string_view cidr_text);        // -s 10.0.0.1/32
  Rule& destination(std::string_view cidr_text);   // -d ...
  Rule& source_ip(std::string_view ip, Family f);  // host address, prefix added
  Rule& destination_ip(std::string_view ip, Family f);
  Rule& protocol(std::string_view api_protocol);  // TCP -> "-p tcp"
  Rule& comment(std::string_view text);           // clamped and quoted
  Rule& match_set(std::string_view set, std::string_view direction, bool negate = false);
  // "-m tcp --dport 80" / "--dport 80:90"; needs protocol() first.
  Rule& dport(int first, int last = 0);
  Rule& match(std::string_view raw);  // any other match, already in canonical form
  // The finished rule: "<addresses> <protocol> <matches> -j <target>".
  std::string jump(std::string_view target) const;
  // The matches alone (for rules without a target).
  std::string text() const;

 private:
  std::string addresses_;
  std::string protocol_;
  std::string matches_;
};

// "/32" or "/128" appended to an address.
std::string host_cidr(std::string_view ip, Family f);

}  // namespace kr::netpol
