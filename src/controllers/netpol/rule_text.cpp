#include "controllers/netpol/rule_text.h"

#include <fmt/format.h>

#include "controllers/netpol/names.h"
#include "kernel/netfilter/filter_table.h"

namespace kr::netpol {
namespace {

void append(std::string& out, std::string_view piece) {
  if (!out.empty()) {
    out += ' ';
  }
  out += piece;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}

}  // namespace

std::string host_cidr(std::string_view ip, Family f) {
  return fmt::format("{}/{}", ip, f == Family::kIPv4 ? 32 : 128);
}

// iptables-save prints -s before -d; callers add at most one of each, in either order.
Rule& Rule::source(std::string_view cidr_text) {
  addresses_ = fmt::format("-s {}{}{}", cidr_text, addresses_.empty() ? "" : " ", addresses_);
  return *this;
}

Rule& Rule::destination(std::string_view cidr_text) {
  append(addresses_, fmt::format("-d {}", cidr_text));
  return *this;
}

Rule& Rule::source_ip(std::string_view ip, Family f) { return source(host_cidr(ip, f)); }

Rule& Rule::destination_ip(std::string_view ip, Family f) { return destination(host_cidr(ip, f)); }

Rule& Rule::protocol(std::string_view api_protocol) {
  protocol_ = lower(api_protocol);
  return *this;
}

Rule& Rule::comment(std::string_view text) {
  append(matches_, "-m comment --comment " + netfilter::save_quote(clamp_comment(text)));
  return *this;
}

Rule& Rule::match_set(std::string_view set, std::string_view direction, bool negate) {
  append(matches_, fmt::format("-m set {}--match-set {} {}", negate ? "! " : "", set, direction));
  return *this;
}

Rule& Rule::dport(int first, int last) {
  append(matches_, last > first ? fmt::format("-m {} --dport {}:{}", protocol_, first, last)
                                : fmt::format("-m {} --dport {}", protocol_, first));
  return *this;
}

Rule& Rule::match(std::string_view raw) {
  append(matches_, raw);
  return *this;
}

std::string Rule::text() const {
  std::string out = addresses_;
  if (!protocol_.empty()) {
    append(out, "-p " + protocol_);
  }
  append(out, matches_);
  return out;
}

std::string Rule::jump(std::string_view target) const {
  std::string out = text();
  append(out, fmt::format("-j {}", target));
  return out;
}

}  // namespace kr::netpol
