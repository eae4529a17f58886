#include "bgp/admin/cli.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "bgp/admin/admin_client.h"
#include "bgp/admin/admin_protocol.h"

namespace kr::bgp::admin {
namespace {

namespace json = boost::json;

constexpr const char* kUsage =
    "Usage: kube-router bgp [--socket PATH] [--json] COMMAND\n"
    "\n"
    "Commands:\n"
    "  neighbors                   BGP neighbors, their state and prefix counts\n"
    "  rib [-a ipv4|ipv6]          the Loc-RIB of an address family (default ipv4)\n"
    "  rib [-a ipv4|ipv6] summary  number of destinations per family\n"
    "\n"
    "Options:\n"
    "  --socket PATH  admin socket of the speaker (default /var/run/kube-router/bgp.sock)\n"
    "  -j, --json     print the speaker's JSON answer instead of a table\n";

struct Options {
  std::string socket = kDefaultSocketPath;
  bool json = false;
  std::string family = "ipv4";
  std::vector<std::string> words;
};

// gobgp's abbreviations, so operators' eyes and greps keep working.
std::string short_state(std::string_view s) {
  if (s == "established") return "Establ";
  if (s == "opensent") return "Sent";
  if (s == "openconfirm") return "Confirm";
  if (s == "idle") return "Idle";
  if (s == "connect") return "Connect";
  if (s == "active") return "Active";
  return std::string(s);
}

std::string duration(int64_t seconds) {
  const int64_t days = seconds / 86400;
  const int64_t rest = seconds % 86400;
  std::string hms = fmt::format("{:02}:{:02}:{:02}", rest / 3600, rest % 3600 / 60, rest % 60);
  return days > 0 ? fmt::format("{}d {}", days, hms) : hms;
}

int64_t as_int(const json::value& v) { return v.is_number() ? v.to_number<int64_t>() : 0; }
std::string as_text(const json::value* v) {
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// Columns padded to the widest cell, right-aligned where `right` says, each
// preceded by its `lead` text ("|" before gobgp's #Received column).
struct Column {
  bool right = false;
  std::string lead;
};

std::string table(const std::vector<std::vector<std::string>>& rows,
                  const std::vector<Column>& columns) {
  std::vector<std::size_t> width(columns.size(), 0);
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (i > 0) line += ' ';
      line += columns[i].lead;
      if (columns[i].right) {
        line += fmt::format("{:>{}}", r[i], width[i]);
      } else if (i + 1 < r.size()) {
        line += fmt::format("{:<{}}", r[i], width[i]);
      } else {
        line += r[i];
      }
    }
    out += line + "\n";
  }
  return out;
}

std::string render_neighbors(const json::object& reply) {
  std::vector<std::vector<std::string>> rows{
      {"Peer", "AS", "Up/Down", "State", "#Received", "Accepted"}};
  for (const auto& n : reply.at("neighbors").as_array()) {
    const json::object& o = n.as_object();
    int64_t asn = as_int(o.at("remote_as"));
    if (asn == 0) asn = as_int(o.at("peer_as"));
    std::string up_down = "never";
    if (const auto* up = o.if_contains("uptime_seconds")) up_down = duration(as_int(*up));
    if (const auto* down = o.if_contains("downtime_seconds")) up_down = duration(as_int(*down));
    rows.push_back({as_text(o.if_contains("address")), asn == 0 ? "any" : std::to_string(asn),
                    up_down, short_state(as_text(o.if_contains("state"))),
                    std::to_string(as_int(o.at("received"))),
                    std::to_string(as_int(o.at("accepted")))});
  }
  return table(rows, {{}, {true, ""}, {true, ""}, {}, {true, "|"}, {true, ""}});
}

std::string attrs_text(const json::object& r) {
  std::string s = "[";
  auto add = [&](const std::string& item) {
    if (s.size() > 1) s += ' ';
    s += "{" + item + "}";
  };
  if (const auto* o = r.if_contains("origin")) add("Origin: " + as_text(o));
  if (const auto* m = r.if_contains("med")) add(fmt::format("Med: {}", as_int(*m)));
  if (const auto* lp = r.if_contains("local_pref")) add(fmt::format("LocalPref: {}", as_int(*lp)));
  if (const auto* c = r.if_contains("communities"); c != nullptr && !c->as_array().empty()) {
    std::string list;
    for (const auto& v : c->as_array()) list += (list.empty() ? "" : ", ") + as_text(&v);
    add("Communities: " + list);
  }
  if (const auto* o = r.if_contains("originator_id")) add("Originator: " + as_text(o));
  if (const auto* cl = r.if_contains("cluster_list")) {
    std::string list;
    for (const auto& v : cl->as_array()) list += (list.empty() ? "" : ", ") + as_text(&v);
    add("ClusterList: [" + list + "]");
  }
  return s + "]";
}

std::string render_rib(const json::object& reply) {
  const json::array& routes = reply.at("routes").as_array();
  if (routes.empty()) return "Network not in table\n";
  std::vector<std::vector<std::string>> rows{{"", "Network", "Next Hop", "AS_PATH", "Attrs"}};
  for (const auto& v : routes) {
    const json::object& r = v.as_object();
    // gobgp's "*>" for the best path; "S" marks a path kept stale through
    // the peer's graceful restart.
    std::string flags = r.at("stale").as_bool() ? "S" : "";
    flags += r.at("best").as_bool() ? "*>" : "* ";
    rows.push_back({flags, as_text(r.if_contains("prefix")), as_text(r.if_contains("next_hop")),
                    as_text(r.if_contains("as_path_text")), attrs_text(r)});
  }
  return table(rows, {{}, {}, {}, {}, {}});
}

std::string render_summary(const json::object& reply) {
  std::string out;
  for (const auto& [family, counts] : reply.at("families").as_object()) {
    out += fmt::format("Table {}\nDestination: {}\n", std::string_view(family),
                       as_int(counts.at("destinations")));
  }
  return out;
}

// Parses the command line; returns an error message for a usage error.
std::string parse(std::span<const char* const> args, Options& o, bool& help) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string a = args[i] == nullptr ? "" : args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size() || args[i + 1] == nullptr) return std::nullopt;
      return std::string(args[++i]);
    };
    if (a == "-h" || a == "--help" || a == "help") {
      help = true;
    } else if (a == "-j" || a == "--json") {
      o.json = true;
    } else if (a.starts_with("--socket=")) {
      o.socket = a.substr(9);
    } else if (a == "--socket") {
      auto v = value();
      if (!v) return "--socket needs a path";
      o.socket = *v;
    } else if (a == "-a" || a == "--address-family") {
      auto v = value();
      if (!v) return a + " needs ipv4 or ipv6";
      o.family = *v;
    } else if (a.starts_with("-")) {
      return "unknown option " + a;
    } else {
      o.words.push_back(a);
    }
  }
  return "";
}

}  // namespace

int run_bgp_cli(std::span<const char* const> args, std::ostream& out, std::ostream& err) {
  Options o;
  bool help = false;
  if (std::string e = parse(args, o, help); !e.empty()) {
    err << "kube-router bgp: " << e << "\n\n" << kUsage;
    return 2;
  }
  if (help) {
    out << kUsage;
    return 0;
  }
  if (o.family != "ipv4" && o.family != "ipv6" && o.family != "ipv4-unicast" &&
      o.family != "ipv6-unicast") {
    err << "kube-router bgp: unknown address family \"" << o.family << "\" (ipv4 or ipv6)\n";
    return 2;
  }
  json::object request;
  enum class View { kNeighbors, kRib, kSummary } view;
  const std::vector<std::string>& w = o.words;
  if (w.size() == 1 && (w[0] == "neighbors" || w[0] == "neighbor")) {
    view = View::kNeighbors;
    request["command"] = "neighbors";
  } else if (w.size() == 1 && w[0] == "rib") {
    view = View::kRib;
    request["command"] = "rib";
    request["family"] = o.family;
  } else if (w.size() == 2 && w[0] == "rib" && w[1] == "summary") {
    view = View::kSummary;
    request["command"] = "summary";
  } else {
    err << "kube-router bgp: " << (w.empty() ? "missing command" : "unknown command") << "\n\n"
        << kUsage;
    return 2;
  }

  const AdminReply reply = admin_request(o.socket, json::serialize(request));
  if (!reply.error.empty()) {
    err << "kube-router bgp: " << reply.error << "\n";
    return 1;
  }
  boost::system::error_code ec;
  json::value v = json::parse(reply.body, ec);
  if (ec || !v.is_object()) {
    err << "kube-router bgp: the speaker sent an unreadable answer\n";
    return 1;
  }
  const json::object& obj = v.as_object();
  if (const auto* e = obj.if_contains("error")) {
    err << "kube-router bgp: " << as_text(e) << "\n";
    return 1;
  }
  try {
    if (o.json) {
      out << reply.body << "\n";
    } else if (view == View::kNeighbors) {
      out << render_neighbors(obj);
    } else if (view == View::kRib) {
      out << render_rib(obj);
    } else {
      out << render_summary(obj);
    }
  } catch (const std::exception& ex) {
    err << "kube-router bgp: unexpected answer from the speaker: " << ex.what() << "\n";
    return 1;
  }
  return 0;
}

int run_bgp_cli(std::span<const char* const> args) {
  return run_bgp_cli(args, std::cout, std::cerr);
}

}  // namespace kr::bgp::admin
