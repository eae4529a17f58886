#include "kernel/netlink/rule.h"

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>

#include <stdexcept>

namespace kr::netlink {
namespace {

std::string describe(const Rule& rule) {
  std::string text = "from " + (rule.source.address.empty() ? "all" : rule.source.to_string());
  if (!rule.destination.address.empty()) text += " to " + rule.destination.to_string();
  if (rule.fwmark != 0) text += " fwmark " + std::to_string(rule.fwmark);
  text += " lookup " + std::to_string(rule.table);
  if (rule.priority) text += " priority " + std::to_string(*rule.priority);
  return text;
}

Message rule_request(std::uint16_t type, std::uint16_t flags, const std::string& verb,
                     const Rule& rule) {
  std::string operation = verb + " rule " + describe(rule);
  if ((rule.family != AF_INET && rule.family != AF_INET6) ||
      (!rule.source.address.empty() && rule.source.address.family() != rule.family) ||
      (!rule.destination.address.empty() && rule.destination.address.family() != rule.family)) {
    throw std::invalid_argument(operation +
                                ": family must be AF_INET or AF_INET6 and match the prefixes");
  }
  Message message(type, flags, operation);
  auto& header = message.put_header<fib_rule_hdr>();
  header.family = static_cast<std::uint8_t>(rule.family);
  header.action = FR_ACT_TO_TBL;
  header.table =
      rule.table < 256 ? static_cast<std::uint8_t>(rule.table) : std::uint8_t{RT_TABLE_UNSPEC};
  message.put_u32(FRA_TABLE, rule.table);
  if (rule.priority) message.put_u32(FRA_PRIORITY, *rule.priority);
  if (rule.fwmark != 0) message.put_u32(FRA_FWMARK, rule.fwmark);
  if (rule.fwmask != 0) message.put_u32(FRA_FWMASK, rule.fwmask);
  if (!rule.source.address.empty()) {
    header.src_len = rule.source.length;
    message.put_address(FRA_SRC, rule.source.address);
  }
  if (!rule.destination.address.empty()) {
    header.dst_len = rule.destination.length;
    message.put_address(FRA_DST, rule.destination.address);
  }
  return message;
}

}  // namespace

std::optional<Rule> parse_rule(const nlmsghdr* message) {
  const auto* header = family_header<fib_rule_hdr>(message);
  if (header == nullptr || message->nlmsg_type != RTM_NEWRULE) return std::nullopt;
  if (header->action != FR_ACT_TO_TBL) return std::nullopt;
  auto attributes = Attributes::of_message(message, sizeof(fib_rule_hdr), FRA_MAX);
  Rule rule;
  rule.family = header->family;
  rule.priority = attributes.u32(FRA_PRIORITY).value_or(0);
  rule.table = attributes.u32(FRA_TABLE).value_or(header->table);
  rule.fwmark = attributes.u32(FRA_FWMARK).value_or(0);
  // The kernel reports the default mask (0xffffffff) with a mark; keep 0 = default.
  std::uint32_t mask = attributes.u32(FRA_FWMASK).value_or(0);
  rule.fwmask = mask == 0xffffffffu ? 0 : mask;
  if (auto source = attributes.address(FRA_SRC)) rule.source = IpPrefix{*source, header->src_len};
  if (auto destination = attributes.address(FRA_DST)) {
    rule.destination = IpPrefix{*destination, header->dst_len};
  }
  return rule;
}

std::vector<Rule> Rules::list(int family) {
  Message request(RTM_GETRULE, NLM_F_DUMP, "list rules");
  request.put_header<fib_rule_hdr>().family = static_cast<std::uint8_t>(family);
  std::vector<Rule> rules;
  socket_.query(request, [&](const nlmsghdr* reply) {
    auto rule = parse_rule(reply);
    if (rule && (family == 0 || rule->family == family)) rules.push_back(*rule);
  });
  return rules;
}

void Rules::add(const Rule& rule) {
  auto request = rule_request(RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, "add", rule);
  socket_.execute(request);
}

void Rules::remove(const Rule& rule) {
  auto request = rule_request(RTM_DELRULE, 0, "delete", rule);
  socket_.execute(request);
}

}  // namespace kr::netlink
