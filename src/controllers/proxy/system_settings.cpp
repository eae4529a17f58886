#include "controllers/proxy/system_settings.h"

#include "base/log.h"
#include "fmt/format.h"
#include "kernel/netfilter/command.h"

namespace kr::proxy {

std::string apply_start_sysctls(const SysctlRead& read, const SysctlWrite& write,
                                const std::vector<std::string>& interfaces) {
  std::vector<std::pair<std::string, std::string>> settings = {
      {"net.ipv4.vs.conntrack", "1"},
      {"net.ipv4.vs.expire_nodest_conn", "1"},
      {"net.ipv4.vs.expire_quiescent_template", "1"},
      {"net.ipv4.vs.conn_reuse_mode", "0"},
      {"net.ipv4.conf.all.arp_ignore", "1"},
      {"net.ipv4.conf.all.arp_announce", "2"},
  };
  for (const std::string& interface : interfaces) {
    // Slashes, because interface names may contain dots (sysctl.h).
    const std::string name = fmt::format("net/ipv4/conf/{}/rp_filter", interface);
    if (read(name) == "1") {
      settings.emplace_back(name, "2");
    }
  }
  std::string first_error;
  for (const auto& [name, value] : settings) {
    if (!read(name)) {
      KR_WARN("sysctl {} does not exist; not setting it to {}", name, value);
      continue;
    }
    try {
      write(name, value);
    } catch (const std::exception& e) {
      KR_ERROR("setting sysctl {}={}: {}", name, value, e.what());
      if (first_error.empty()) first_error = e.what();
    }
  }
  return first_error;
}

void flush_udp_conntrack(const VipKey& service, const std::string& netns_path) {
  const std::vector<std::string> argv = {
      "conntrack", "-D",  "--orig-dst", service.address.to_string(),
      "-p",        "udp", "--dport",    std::to_string(service.port)};
  const auto result = netfilter::run_command(argv, {.netns_path = netns_path});
  // conntrack exits 1 with "0 flow entries have been deleted" when nothing matched.
  if (!result.ok() && result.err.find("0 flow entries") == std::string::npos) {
    KR_WARN("flushing conntrack for {}: {}", service.to_string(),
            netfilter::describe_failure(argv, result));
  }
}

}  // namespace kr::proxy
