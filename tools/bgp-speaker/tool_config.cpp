#include "tool_config.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <fstream>
#include <sstream>

#include "bgp/admin/admin_protocol.h"
#include "bgp/codec/path_attributes.h"

namespace kr::bgp::tool {
namespace {

// Thrown inside the parser only; turned into the returned message.
struct ConfigError {
  std::string message;
};

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw ConfigError{where + ": " + what};
}

template <class T>
T number(const YAML::Node& n, const std::string& where, uint64_t max) {
  uint64_t v = 0;
  const std::string& s = n.Scalar();
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (!n.IsScalar() || ec != std::errc() || end != s.data() + s.size() || v > max) {
    fail(where, "\"" + s + "\" is not a number in 0.." + std::to_string(max));
  }
  return static_cast<T>(v);
}

IpAddress address(const YAML::Node& n, const std::string& where) {
  auto a = n.IsScalar() ? IpAddress::parse(n.Scalar()) : std::nullopt;
  if (!a) fail(where, "\"" + n.Scalar() + "\" is not an IP address");
  return *a;
}

bool boolean(const YAML::Node& n, const std::string& where) {
  bool v = false;
  if (!YAML::convert<bool>::decode(n, v)) fail(where, "\"" + n.Scalar() + "\" is not true/false");
  return v;
}

void check_keys(const YAML::Node& map, const std::string& where,
                std::initializer_list<std::string_view> known) {
  if (!map.IsMap()) fail(where, "must be a mapping");
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      fail(where, "unknown key \"" + key + "\"");
    }
  }
}

std::vector<uint32_t> communities(const YAML::Node& n, const std::string& where) {
  std::vector<uint32_t> out;
  if (!n) return out;
  if (!n.IsSequence()) fail(where, "must be a list");
  for (const auto& c : n) {
    auto v = parse_community(c.Scalar());
    if (!v) {
      fail(where, "\"" + c.Scalar() + "\" is not a community (A:B, number or well-known name)");
    }
    out.push_back(*v);
  }
  return out;
}

std::vector<Family> families(const YAML::Node& n, const std::string& where) {
  std::vector<Family> out;
  if (!n.IsSequence()) fail(where, "must be a list");
  for (const auto& f : n) {
    const std::string s = f.Scalar();
    if (s == "ipv4" || s == "ipv4-unicast") {
      out.push_back(kIpv4Unicast);
    } else if (s == "ipv6" || s == "ipv6-unicast") {
      out.push_back(kIpv6Unicast);
    } else {
      fail(where, "unknown family \"" + s + "\" (ipv4-unicast or ipv6-unicast)");
    }
  }
  return out;
}

ExportActions export_actions(const YAML::Node& n, const std::string& where) {
  ExportActions a;
  if (!n) return a;
  check_keys(n, where, {"reject", "communities", "prepend", "next_hop_self"});
  if (n["reject"]) a.reject = boolean(n["reject"], where + ".reject");
  a.communities = communities(n["communities"], where + ".communities");
  if (const auto p = n["prepend"]) {
    check_keys(p, where + ".prepend", {"asn", "count"});
    if (!p["asn"] || !p["count"]) fail(where + ".prepend", R"(needs both "asn" and "count")");
    a.prepend_asn = number<uint32_t>(p["asn"], where + ".prepend.asn", UINT32_MAX);
    a.prepend_count = number<uint8_t>(p["count"], where + ".prepend.count", 255);
  }
  if (n["next_hop_self"]) a.next_hop_self = boolean(n["next_hop_self"], where + ".next_hop_self");
  return a;
}

Neighbor neighbor(const YAML::Node& n, const std::string& where) {
  check_keys(n, where,
             {"address", "asn", "port", "local_address", "password", "multihop_ttl", "hold_time",
              "connect_retry", "passive", "families", "route_reflector_client", "export"});
  Neighbor out;
  speaker::PeerConfig& p = out.peer;
  if (!n["address"]) fail(where, "missing \"address\"");
  p.address = address(n["address"], where + ".address");
  const std::string at = where + " (" + p.address.to_string() + ")";
  if (n["asn"]) p.asn = number<uint32_t>(n["asn"], at + ".asn", UINT32_MAX);
  if (n["port"]) p.port = number<uint16_t>(n["port"], at + ".port", 65535);
  if (n["local_address"]) p.local_address = address(n["local_address"], at + ".local_address");
  if (n["password"]) p.password = n["password"].Scalar();
  if (n["multihop_ttl"]) {
    p.multihop_ttl = number<uint8_t>(n["multihop_ttl"], at + ".multihop_ttl", 255);
  }
  if (n["hold_time"]) p.hold_time = number<uint16_t>(n["hold_time"], at + ".hold_time", 65535);
  if (n["connect_retry"]) {
    p.connect_retry =
        std::chrono::seconds(number<uint32_t>(n["connect_retry"], at + ".connect_retry", 86400));
  }
  if (n["passive"]) p.passive = boolean(n["passive"], at + ".passive");
  if (n["families"]) p.families = families(n["families"], at + ".families");
  if (n["route_reflector_client"]) {
    p.route_reflector_client = boolean(n["route_reflector_client"], at + ".route_reflector_client");
  }
  out.export_actions = export_actions(n["export"], at + ".export");
  if (auto e = speaker::validate(p); !e.empty()) fail(where, e);
  return out;
}

Origination origination(const YAML::Node& n, const std::string& where) {
  check_keys(n, where, {"prefix", "next_hop", "communities"});
  Origination o;
  auto prefix = n["prefix"] ? IpPrefix::parse(n["prefix"].Scalar()) : std::nullopt;
  if (!prefix) fail(where, "missing or invalid \"prefix\"");
  o.prefix = *prefix;
  if (!n["next_hop"]) fail(where, "missing \"next_hop\"");
  o.next_hop = address(n["next_hop"], where + ".next_hop");
  o.communities = communities(n["communities"], where + ".communities");
  return o;
}

ToolConfig parse(const YAML::Node& root) {
  check_keys(root, "config",
             {"asn", "router_id", "listen_addresses", "listen_port", "admin_socket", "hostname",
              "cluster_id", "graceful_restart", "neighbors", "originate"});
  ToolConfig c;
  speaker::SpeakerConfig& s = c.speaker;
  if (!root["asn"]) fail("config", "missing \"asn\"");
  s.asn = number<uint32_t>(root["asn"], "asn", UINT32_MAX);
  if (!root["router_id"]) fail("config", "missing \"router_id\"");
  const IpAddress id = address(root["router_id"], "router_id");
  if (id.v6) fail("router_id", "must be an IPv4 address");
  s.router_id = id.v4_u32();
  // An empty key (YAML null) is an empty list.
  if (const auto l = root["listen_addresses"]; l && !l.IsNull()) {
    if (!l.IsSequence()) fail("listen_addresses", "must be a list");
    for (const auto& a : l) s.listen_addresses.push_back(address(a, "listen_addresses"));
  }
  if (root["listen_port"]) {
    s.listen_port = number<uint16_t>(root["listen_port"], "listen_port", 65535);
  }
  c.admin_socket = root["admin_socket"] ? root["admin_socket"].Scalar() : admin::kDefaultSocketPath;
  s.hostname = root["hostname"] ? root["hostname"].Scalar() : "";
  if (root["cluster_id"]) {
    const IpAddress cid = address(root["cluster_id"], "cluster_id");
    if (cid.v6) fail("cluster_id", "must be an IPv4 address");
    s.cluster_id = cid.v4_u32();
  }
  if (const auto gr = root["graceful_restart"]) {
    check_keys(gr, "graceful_restart", {"enabled", "restart_time", "deferral_time"});
    if (gr["enabled"]) {
      s.graceful_restart.enabled = boolean(gr["enabled"], "graceful_restart.enabled");
    }
    if (gr["restart_time"]) {
      s.graceful_restart.restart_time =
          number<uint16_t>(gr["restart_time"], "graceful_restart.restart_time", 4095);
    }
    if (gr["deferral_time"]) {
      s.graceful_restart.deferral_time = std::chrono::seconds(
          number<uint32_t>(gr["deferral_time"], "graceful_restart.deferral_time", 64800));
    }
  }
  if (auto e = speaker::validate(s); !e.empty()) fail("config", e);
  if (const auto ns = root["neighbors"]; ns && !ns.IsNull()) {
    if (!ns.IsSequence()) fail("neighbors", "must be a list");
    for (std::size_t i = 0; i < ns.size(); ++i) {
      Neighbor n = neighbor(ns[i], "neighbors[" + std::to_string(i) + "]");
      for (const Neighbor& other : c.neighbors) {
        if (other.peer.address == n.peer.address) {
          fail("neighbors[" + std::to_string(i) + "]",
               "neighbor " + n.peer.address.to_string() + " is listed twice");
        }
      }
      c.neighbors.push_back(std::move(n));
    }
  }
  if (const auto os = root["originate"]; os && !os.IsNull()) {
    if (!os.IsSequence()) fail("originate", "must be a list");
    for (std::size_t i = 0; i < os.size(); ++i) {
      c.originate.push_back(origination(os[i], "originate[" + std::to_string(i) + "]"));
    }
  }
  return c;
}

}  // namespace

std::optional<uint32_t> parse_community(const std::string& text) {
  if (text == "no-export") return kCommunityNoExport;
  if (text == "no-advertise") return kCommunityNoAdvertise;
  if (text == "no-export-subconfed") return 0xFFFFFF03;
  if (text == "no-peer") return 0xFFFFFF04;
  if (text == "blackhole") return 0xFFFF029A;
  auto parse_u = [](std::string_view s, uint64_t max) -> std::optional<uint64_t> {
    uint64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v > max) {
      return std::nullopt;
    }
    return v;
  };
  const auto colon = text.find(':');
  if (colon == std::string::npos) {
    auto v = parse_u(text, UINT32_MAX);
    if (!v) return std::nullopt;
    return static_cast<uint32_t>(*v);
  }
  auto hi = parse_u(std::string_view(text).substr(0, colon), 65535);
  auto lo = parse_u(std::string_view(text).substr(colon + 1), 65535);
  if (!hi || !lo) return std::nullopt;
  return static_cast<uint32_t>((*hi << 16) | *lo);
}

std::variant<ToolConfig, std::string> parse_tool_config(const std::string& yaml_text) {
  try {
    return parse(YAML::Load(yaml_text));
  } catch (const ConfigError& e) {
    return e.message;
  } catch (const YAML::Exception& e) {
    return std::string("not valid YAML: ") + e.what();
  }
}

std::variant<ToolConfig, std::string> load_tool_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "cannot read configuration file " + path;
  std::ostringstream text;
  text << in.rdbuf();
  auto result = parse_tool_config(text.str());
  if (auto* e = std::get_if<std::string>(&result)) *e = path + ": " + *e;
  return result;
}

}  // namespace kr::bgp::tool
