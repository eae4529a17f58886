#include <fmt/format.h>

#include "go/duration.h"
#include "go/ip.h"
#include "options/validate.h"
#include "options/validate_helpers.h"

namespace kr::options {

namespace {

// Each entry is a CIDR of an enabled family.
ValidationError require_enabled_family_cidrs(const Config& config, std::string_view flag,
                                             std::span<const std::string> cidrs) {
  for (const std::string& text : cidrs) {
    const std::optional<go::Cidr> cidr = go::parse_cidr(text);
    if (!cidr) {
      return detail::require_cidrs(flag, std::span(&text, 1));
    }
    if (cidr->ipv6 && !config.enable_ipv6) {
      return fmt::format("IPv6 CIDR {} specified in --{} while IPv6 is disabled", text, flag);
    }
    if (!cidr->ipv6 && !config.enable_ipv4) {
      return fmt::format("IPv4 CIDR {} specified in --{} while IPv4 is disabled", text, flag);
    }
  }
  return std::nullopt;
}

// Upstream runs these only with --bgp-graceful-restart, and in Run() before
// any controller is created, so they apply even with --run-router=false.
ValidationError validate_graceful_restart(const Config& config) {
  using std::chrono::hours;
  using std::chrono::seconds;
  if (!config.bgp_graceful_restart) {
    return std::nullopt;
  }
  const auto restart = config.bgp_graceful_restart_time;
  if (restart.count() <= 0 || restart > seconds(4095)) {
    // RFC 4724 section 3: the Restart Time field has 12 bits.
    return fmt::format(
        "invalid --bgp-graceful-restart-time {}: must be greater than 0 and at most "
        "4095s (1h8m15s)",
        go::format_duration(restart));
  }
  const auto deferral = config.bgp_graceful_restart_deferral_time;
  if (deferral.count() <= 0 || deferral > hours(18)) {
    return fmt::format(
        "invalid --bgp-graceful-restart-deferral-time {}: must be greater than 0 "
        "and at most 18h0m0s",
        go::format_duration(deferral));
  }
  return std::nullopt;
}

}  // namespace

ValidationError validate_service_ip_ranges(const Config& config) {
  if (auto error = require_enabled_family_cidrs(config, "service-cluster-ip-range",
                                                config.service_cluster_ip_range)) {
    return error;
  }
  if (config.service_cluster_ip_range.size() > 2) {
    return "too many CIDRs provided in --service-cluster-ip-range parameter, only two addresses "
           "are allowed at once for dual-stack";
  }
  if (auto error = require_enabled_family_cidrs(config, "service-external-ip-range",
                                                config.service_external_ip_range)) {
    return error;
  }
  return require_enabled_family_cidrs(config, "loadbalancer-ip-range",
                                      config.loadbalancer_ip_range);
}

ValidationError validate_common(const Config& config) {
  // Upstream does not check this up front: a timeout <= 0 makes the informer
  // cache wait fail at once ("failed to synchronize cache: 0s timeout"), which
  // also ends startup with status 1. Saying so before starting is clearer.
  if (config.cache_sync_timeout.count() <= 0) {
    return fmt::format("--cache-sync-timeout must be greater than 0, got {}",
                       go::format_duration(config.cache_sync_timeout));
  }
  if (auto error = validate_graceful_restart(config)) {
    return error;
  }
  return validate_service_ip_ranges(config);
}

}  // namespace kr::options
