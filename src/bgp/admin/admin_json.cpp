#include <fmt/format.h>

#include <boost/json.hpp>

#include "bgp/admin/admin_protocol.h"
#include "bgp/speaker/speaker.h"

namespace kr::bgp::admin {
namespace {

namespace json = boost::json;
using speaker::PeerStatus;
using speaker::RibPath;

const char* message_name(std::size_t type) {
  switch (type) {
    case 1:
      return "open";
    case 2:
      return "update";
    case 3:
      return "notification";
    case 4:
      return "keepalive";
    case 5:
      return "route_refresh";
    default:
      return "other";
  }
}

json::object message_counts(const std::array<uint64_t, 6>& counts) {
  json::object o;
  for (std::size_t t = 1; t < counts.size(); ++t) o[message_name(t)] = counts[t];
  return o;
}

std::string ipv4_text(uint32_t v) { return IpAddress::v4_from_u32(v).to_string(); }

json::object neighbor_json(const PeerStatus& s) {
  json::object o;
  o["address"] = s.config.address.to_string();
  o["port"] = s.config.port;
  o["local_address"] = s.config.local_address ? s.config.local_address->to_string() : "";
  o["peer_as"] = s.config.asn;
  o["remote_as"] = s.remote_as;
  o["remote_id"] = s.remote_id == 0 ? "" : ipv4_text(s.remote_id);
  o["remote_hostname"] = s.remote_hostname.value_or("");
  o["state"] = session::state_name(s.state);
  if (s.up_down) {
    o[s.state == session::SessionState::kEstablished ? "uptime_seconds" : "downtime_seconds"] =
        s.up_down->count();
  }
  o["established_count"] = s.established_count;
  o["hold_time"] = s.hold_time;
  json::array families;
  for (const Family& f : s.families) families.emplace_back(f.to_string());
  o["families"] = std::move(families);
  o["graceful_restart"] = s.graceful_restart;
  o["route_reflector_client"] = s.config.route_reflector_client;
  o["passive"] = s.config.passive;
  o["received"] = s.received;
  o["accepted"] = s.accepted;
  o["messages"] = json::object{{"sent", message_counts(s.messages.sent)},
                               {"received", message_counts(s.messages.received)}};
  o["last_error"] = s.last_error;
  return o;
}

json::object route_json(const RibPath& r) {
  json::object o;
  o["prefix"] = r.prefix.to_string();
  o["best"] = r.best;
  o["stale"] = r.stale;
  o["peer"] = r.peer ? json::value(r.peer->to_string()) : json::value(nullptr);
  const PathAttributes* a = r.attrs.get();
  if (a == nullptr) return o;
  o["next_hop"] = a->next_hop ? a->next_hop->to_string() : "";
  if (a->origin) o["origin"] = origin_letter(*a->origin);
  json::array asns;
  if (a->as_path) {
    for (const AsSegment& seg : a->as_path->segments) {
      for (uint32_t asn : seg.asns) asns.emplace_back(asn);
    }
    o["as_path_text"] = a->as_path->to_string();
  }
  o["as_path"] = std::move(asns);
  if (a->med) o["med"] = *a->med;
  if (a->local_pref) o["local_pref"] = *a->local_pref;
  json::array communities;
  for (uint32_t c : a->communities) communities.emplace_back(community_to_string(c));
  o["communities"] = std::move(communities);
  if (a->originator_id) o["originator_id"] = ipv4_text(*a->originator_id);
  if (!a->cluster_list.empty()) {
    json::array clusters;
    for (uint32_t c : a->cluster_list) clusters.emplace_back(ipv4_text(c));
    o["cluster_list"] = std::move(clusters);
  }
  return o;
}

std::optional<Family> parse_family(std::string_view name) {
  if (name == "ipv4" || name == "ipv4-unicast") return kIpv4Unicast;
  if (name == "ipv6" || name == "ipv6-unicast") return kIpv6Unicast;
  return std::nullopt;
}

std::string error(std::string_view message) {
  return json::serialize(json::object{{"error", message}});
}

}  // namespace

std::string handle_request(speaker::Speaker& speaker, std::string_view request) {
  boost::system::error_code ec;
  const json::value v = json::parse(request, ec);
  if (ec || !v.is_object()) return error("request is not a JSON object");
  const json::object& req = v.as_object();
  const json::value* command = req.if_contains("command");
  if (command == nullptr || !command->is_string()) return error("request has no \"command\"");
  const std::string_view name = command->as_string();

  if (name == "neighbors") {
    json::array neighbors;
    for (const PeerStatus& s : speaker.peers()) neighbors.push_back(neighbor_json(s));
    return json::serialize(json::object{{"neighbors", std::move(neighbors)}});
  }
  if (name == "rib") {
    std::string_view family_name = "ipv4-unicast";
    if (const json::value* f = req.if_contains("family"); f != nullptr && f->is_string()) {
      family_name = f->as_string();
    }
    const auto family = parse_family(family_name);
    if (!family) return error(fmt::format("unknown address family \"{}\"", family_name));
    json::array routes;
    for (const RibPath& r : speaker.rib(*family)) routes.push_back(route_json(r));
    return json::serialize(
        json::object{{"family", family->to_string()}, {"routes", std::move(routes)}});
  }
  if (name == "summary") {
    json::object families;
    for (Family f : {kIpv4Unicast, kIpv6Unicast}) {
      families[f.to_string()] = json::object{{"destinations", speaker.prefix_count(f)}};
    }
    return json::serialize(json::object{{"families", std::move(families)}});
  }
  return error(fmt::format("unknown command \"{}\"", name));
}

}  // namespace kr::bgp::admin
