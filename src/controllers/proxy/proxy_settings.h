// The proxy's settings from the command line (proxy.md; flags.md §2.3-2.4), parsed once at
// start so the builder and the appliers work with typed values.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "controllers/proxy/cidr.h"
#include "controllers/proxy/service_ip_validator.h"
#include "kernel/ipvs/types.h"

namespace kr::options {
struct Config;
}

namespace kr::proxy {

struct ProxySettings {
  bool hairpin_mode = false;                 // --hairpin-mode
  bool masquerade_all = false;               // --masquerade-all
  bool nodeport_bindon_all_ip = false;       // --nodeport-bindon-all-ip
  bool ipvs_permit_all = true;               // --ipvs-permit-all
  bool run_router = true;                    // --run-router: pod CIDRs feed the SNAT rules (§7.1)
  bool graceful_termination = false;         // --ipvs-graceful-termination
  std::chrono::seconds graceful_period{30};  // --ipvs-graceful-period
  std::vector<Cidr> excluded_cidrs;          // --excluded-cidrs
  ipvs::Timeouts timeouts;  // --service-tcp-timeout, -tcpfin-, -udp- (seconds; 0 = unchanged)
  ServiceIpValidator validator;
};

struct ProxySettingsResult {
  ProxySettings settings;
  std::optional<std::string> error;  // names the flag, e.g. "--excluded-cidrs: invalid CIDR ..."
};

ProxySettingsResult settings_from_config(const options::Config& config);

}  // namespace kr::proxy
