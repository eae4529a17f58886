#include <fmt/format.h>

#include <chrono>
#include <limits>

#include "go/base64.h"
#include "go/duration.h"
#include "options/validate.h"
#include "options/validate_helpers.h"

namespace kr::options {
namespace {

// Private-use ASNs (RFC 6996), the only ones allowed for the cluster itself.
bool is_private_asn(std::uint64_t asn) {
  return (asn >= 64512 && asn <= 65535) || (asn >= 4200000000 && asn <= 4294967294);
}

ValidationError validate_cluster_asn(const Config& config) {
  if (config.cluster_asn == 0 || is_private_asn(config.cluster_asn)) {
    return std::nullopt;  // 0 means the default 64512
  }
  return fmt::format(
      "invalid --cluster-asn {}: must be a private ASN (64512-65535 or 4200000000-4294967294), "
      "or 0 for 64512",
      config.cluster_asn);
}

ValidationError validate_holdtime(const Config& config) {
  // Upstream compares the float seconds with [3, 65536]. (65536 s wraps to 0
  // in the 16-bit OPEN field, RFC 4271 section 4.2; upstream accepts it.)
  const double seconds = std::chrono::duration<double>(config.bgp_holdtime).count();
  if (seconds >= 3 && seconds <= 65536) {
    return std::nullopt;
  }
  return fmt::format("invalid --bgp-holdtime {}: must be in the range 3s to 18h12m16s",
                     go::format_duration(config.bgp_holdtime));
}

ValidationError validate_overlay(const Config& config) {
  if (config.overlay_encap != "ipip" && config.overlay_encap != "fou") {
    return fmt::format(R"(invalid --overlay-encap "{}": must be "ipip" or "fou")",
                       config.overlay_encap);
  }
  // Checked whatever the encapsulation, as upstream does.
  if (config.overlay_encap_port < 1024) {
    return fmt::format("invalid --overlay-encap-port {}: must be 1024 or greater",
                       config.overlay_encap_port);
  }
  // --overlay-type is not validated upstream: any value other than "subnet"
  // or "full" simply builds no tunnels.
  return std::nullopt;
}

ValidationError validate_peer_routers(const Config& config) {
  const std::size_t peers = config.peer_router_ips.size();
  if (config.peer_router_asns.size() != peers) {
    return fmt::format(
        "invalid peer router config: --peer-router-ips has {} entries but --peer-router-asns has "
        "{}; give one ASN per peer",
        peers, config.peer_router_asns.size());
  }
  for (const std::uint64_t asn : config.peer_router_asns) {
    if (!is_valid_peer_asn(asn)) {
      return fmt::format(
          "invalid --peer-router-asns entry {}: reserved or out of range ASN (allowed: 1-23455, "
          "23457-63999, 64512-65534, 131072-4199999999, 4200000000-4294967294)",
          asn);
    }
  }
  if (!config.peer_router_ports.empty() && config.peer_router_ports.size() != peers) {
    return fmt::format(
        "invalid peer router config: --peer-router-ports has {} entries for {} peers; give none "
        "(port 179) or one per peer",
        config.peer_router_ports.size(), peers);
  }
  for (const std::uint64_t port : config.peer_router_ports) {
    if (port > std::numeric_limits<std::uint32_t>::max()) {
      return fmt::format("invalid --peer-router-ports entry {}: must fit in 32 bits", port);
    }
  }
  // The passwords file is read (I/O) by the routing controller, which checks
  // its content with validate_peer_passwords.
  return validate_peer_passwords(config.peer_router_passwords, peers, "--peer-router-passwords");
}

ValidationError require_range(std::string_view flag, std::uint64_t value, std::uint64_t low,
                              std::uint64_t high) {
  if (value >= low && value <= high) {
    return std::nullopt;
  }
  return fmt::format("invalid --{} {}: must be {}-{}", flag, value, low, high);
}

// RFC 5880 section 4.1: the multiplier is 8 bits; the intervals are in
// microseconds in 32 bits, so at most 4294967 ms.
ValidationError validate_bfd(const Config& config) {
  if (!config.enable_bfd) {
    return std::nullopt;
  }
  if (auto error = require_range("bfd-port", config.bfd_port, 1, 65535)) {
    return error;
  }
  if (auto error =
          require_range("bfd-detection-multiplier", config.bfd_detection_multiplier, 1, 255)) {
    return error;
  }
  if (auto error = require_range("bfd-desired-min-tx-interval", config.bfd_desired_min_tx_interval,
                                 1, 4294967)) {
    return error;
  }
  return require_range("bfd-required-min-rx-interval", config.bfd_required_min_rx_interval, 1,
                       4294967);
}

}  // namespace

bool is_valid_peer_asn(std::uint64_t asn) {
  // Excluded: 0, 23456 (AS_TRANS), 64000-64511 and 65535-131071
  // (documentation and reserved blocks), 4294967295.
  return (asn >= 1 && asn <= 23455) || (asn >= 23457 && asn <= 63999) ||
         (asn >= 64512 && asn <= 65534) || (asn >= 131072 && asn <= 4199999999) ||
         (asn >= 4200000000 && asn <= 4294967294);
}

ValidationError validate_peer_passwords(std::span<const std::string> passwords,
                                        std::size_t peer_count, std::string_view source) {
  if (!passwords.empty() && passwords.size() != peer_count) {
    return fmt::format(
        "invalid peer router config: {} has {} entries for {} peers; give none or one per peer",
        source, passwords.size(), peer_count);
  }
  for (std::size_t i = 0; i < passwords.size(); ++i) {
    const go::Base64Decode decoded = go::decode_base64_std(passwords[i]);
    if (!decoded.ok()) {
      return fmt::format("invalid {} entry {}: not standard base64: {}", source, i + 1,
                         decoded.error);
    }
  }
  return std::nullopt;
}

ValidationError validate_routing(const Config& config) {
  // Upstream does not check the periods: a non-positive ticker period panics.
  if (auto error =
          detail::require_positive_period("routes-sync-period", config.routes_sync_period)) {
    return error;
  }
  if (auto error = detail::require_positive_period("injected-routes-sync-period",
                                                   config.injected_routes_sync_period)) {
    return error;
  }
  if (auto error = validate_cluster_asn(config)) {
    return error;
  }
  if (auto error = validate_holdtime(config)) {
    return error;
  }
  if (auto error = validate_overlay(config)) {
    return error;
  }
  if (auto error = validate_peer_routers(config)) {
    return error;
  }
  // --bgp-port must fit int32 upstream, but a bad value only makes each BGP
  // start attempt fail (retried every --routes-sync-period), it does not stop
  // startup; the BGP speaker reports it. --router-id is not validated.
  return validate_bfd(config);
}

}  // namespace kr::options
