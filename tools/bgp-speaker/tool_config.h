// The standalone speaker's configuration file (YAML; see docs/bgp.md and
// example.yaml): the speaker, its neighbors with per-neighbor export
// actions, and the prefixes it originates.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "bgp/speaker/config.h"

namespace kr::bgp::tool {

// What the export policy does to routes sent to one neighbor (the actions
// kube-router applies toward external peers, routing.md §7.1).
struct ExportActions {
  bool reject = false;
  std::vector<uint32_t> communities;  // added
  uint32_t prepend_asn = 0;
  uint8_t prepend_count = 0;
  bool next_hop_self = false;

  bool any() const { return reject || !communities.empty() || prepend_count > 0 || next_hop_self; }
  bool operator==(const ExportActions&) const = default;
};

struct Neighbor {
  speaker::PeerConfig peer;
  ExportActions export_actions;
};

struct Origination {
  IpPrefix prefix;
  IpAddress next_hop;
  std::vector<uint32_t> communities;
  bool operator==(const Origination&) const = default;
};

struct ToolConfig {
  speaker::SpeakerConfig speaker;
  std::string admin_socket;
  std::vector<Neighbor> neighbors;
  std::vector<Origination> originate;
};

// Parses the file's text; on error, a message naming the key or entry.
std::variant<ToolConfig, std::string> parse_tool_config(const std::string& yaml_text);
std::variant<ToolConfig, std::string> load_tool_config(const std::string& path);

// "65000:100", a decimal value, or a well-known name (no-export, ...).
std::optional<uint32_t> parse_community(const std::string& text);

}  // namespace kr::bgp::tool
