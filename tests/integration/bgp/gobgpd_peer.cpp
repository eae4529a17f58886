#include "gobgpd_peer.h"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <csignal>
#include <stdexcept>

#include "support/run.h"
#include "support/temp_dir.h"

namespace kr::test {
namespace {

std::string toml(const GobgpConfig& c) {
  std::string t =
      fmt::format("[global.config]\n  as = {}\n  router-id = \"{}\"\n", c.asn, c.router_id);
  if (!c.listen_addresses.empty()) {
    t += "  local-address-list = [";
    for (size_t i = 0; i < c.listen_addresses.size(); ++i) {
      t += fmt::format("{}\"{}\"", i != 0 ? ", " : "", c.listen_addresses[i]);
    }
    t += "]\n";
  }
  for (const GobgpNeighbor& n : c.neighbors) {
    t += fmt::format(
        "[[neighbors]]\n  [neighbors.config]\n    neighbor-address = \"{}\"\n"
        "    peer-as = {}\n",
        n.address, n.peer_as);
    if (!n.password.empty()) t += fmt::format("    auth-password = \"{}\"\n", n.password);
    t += fmt::format("  [neighbors.timers.config]\n    connect-retry = {}\n", n.connect_retry);
    if (n.hold_time != 0) {
      t += fmt::format("    hold-time = {}\n    keepalive-interval = {}\n", n.hold_time,
                       std::max(1, n.hold_time / 3));
    }
    t += "  [neighbors.transport.config]\n";
    if (!n.local_address.empty()) t += fmt::format("    local-address = \"{}\"\n", n.local_address);
    if (n.passive) t += "    passive-mode = true\n";
    if (n.multihop_ttl > 1) {
      t += fmt::format(
          "  [neighbors.ebgp-multihop.config]\n    enabled = true\n"
          "    multihop-ttl = {}\n",
          n.multihop_ttl);
    }
    if (n.route_reflector_client) {
      t += fmt::format(
          "  [neighbors.route-reflector.config]\n    route-reflector-client = true\n"
          "    route-reflector-cluster-id = \"{}\"\n",
          c.router_id);
    }
    if (n.graceful_restart) {
      t += fmt::format(
          "  [neighbors.graceful-restart.config]\n    enabled = true\n"
          "    restart-time = {}\n",
          n.restart_time);
    }
    auto family = [&](const char* name) {
      t += fmt::format(
          "  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n"
          "      afi-safi-name = \"{}\"\n",
          name);
      if (n.graceful_restart) {
        t += "    [neighbors.afi-safis.mp-graceful-restart.config]\n"
             "      enabled = true\n";
      }
    };
    if (n.ipv4) family("ipv4-unicast");
    if (n.ipv6) family("ipv6-unicast");
  }
  return t;
}

const char* state_name(int64_t s) {
  switch (s) {
    case 1:
      return "idle";
    case 2:
      return "connect";
    case 3:
      return "active";
    case 4:
      return "opensent";
    case 5:
      return "openconfirm";
    case 6:
      return "established";
    default:
      return "unknown";
  }
}

}  // namespace

GobgpdPeer::GobgpdPeer(const ScopedNetns& netns, std::filesystem::path dir, GobgpConfig config)
    : netns_(netns), dir_(std::move(dir)), config_(std::move(config)) {
  std::filesystem::create_directories(dir_);
}

GobgpdPeer::~GobgpdPeer() = default;

void GobgpdPeer::start() {
  write_file(dir_ / "gobgpd.toml", toml(config_));
  SpawnOptions o;
  o.stdout_path = dir_ / "gobgpd.log";
  o.stderr_path = dir_ / "gobgpd.log";
  // The gRPC API stays on the namespace's own loopback (nothing else there).
  process_ = std::make_unique<Subprocess>(
      netns_.spawn({"gobgpd", "-f", (dir_ / "gobgpd.toml").string(), "-t", "toml", "--api-hosts",
                    "127.0.0.1:50051", "--log-level", config_.log_level},
                   o));
}

void GobgpdPeer::kill() {
  if (process_) process_->signal(SIGKILL);
  if (process_) process_->wait();
  process_.reset();
}

void GobgpdPeer::pause() { process_->signal(SIGSTOP); }
void GobgpdPeer::resume() { process_->signal(SIGCONT); }
bool GobgpdPeer::running() { return process_ && process_->running(); }
std::optional<int> GobgpdPeer::pid() const {
  if (!process_) return std::nullopt;
  return process_->pid();
}

std::string GobgpdPeer::cli(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"gobgp", "-u", "127.0.0.1", "-p", "50051"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunResult r = netns_.run(argv);
  if (!r.ok()) throw std::runtime_error(r.describe(argv));
  return r.out;
}

std::string GobgpdPeer::neighbor_state(const std::string& address) const {
  std::vector<std::string> argv{"gobgp", "-u",       "127.0.0.1", "-p",
                                "50051", "neighbor", address,     "-j"};
  RunResult r = netns_.run(argv);
  if (!r.ok()) return "";
  try {
    const auto v = boost::json::parse(r.out);
    return state_name(v.at("state").at("session_state").to_number<int64_t>());
  } catch (const std::exception&) {
    return "";
  }
}

SeenRib GobgpdPeer::rib(const std::string& family) const {
  const std::string out = cli({"global", "rib", "-a", family, "-j"});
  if (out.find('{') == std::string::npos) return {};
  return parse_gobgp_rib(boost::json::parse(out));
}

std::size_t GobgpdPeer::rib_count(const std::string& family) const { return rib(family).size(); }

void GobgpdPeer::announce(const std::string& prefix, const std::string& next_hop,
                          const std::vector<std::string>& communities) const {
  const bool v6 = prefix.find(':') != std::string::npos;
  std::vector<std::string> args{"global", "rib",  "-a",      v6 ? "ipv6" : "ipv4",
                                "add",    prefix, "nexthop", next_hop};
  if (!communities.empty()) {
    std::string joined;
    for (const auto& c : communities) joined += (joined.empty() ? "" : ",") + c;
    args.insert(args.end(), {"community", joined});
  }
  cli(args);
}

void GobgpdPeer::withdraw(const std::string& prefix) const {
  const bool v6 = prefix.find(':') != std::string::npos;
  cli({"global", "rib", "-a", v6 ? "ipv6" : "ipv4", "del", prefix});
}

std::string GobgpdPeer::log() const { return read_file_or_empty(dir_ / "gobgpd.log"); }

SeenRib parse_gobgp_rib(const boost::json::value& rib) {
  SeenRib out;
  for (const auto& [prefix, paths] : rib.as_object()) {
    for (const auto& path : paths.as_array()) {
      const auto& p = path.as_object();
      if (!p.contains("best") || !p.at("best").as_bool()) continue;
      SeenRoute r;
      r.prefix = std::string(prefix);
      if (p.contains("stale")) r.stale = p.at("stale").as_bool();
      for (const auto& attr : p.at("attrs").as_array()) {
        const auto& a = attr.as_object();
        const int64_t type = a.at("type").to_number<int64_t>();
        if (type == 2) {
          for (const auto& seg : a.at("as_paths").as_array()) {
            for (const auto& asn : seg.at("asns").as_array()) {
              r.as_path.push_back(static_cast<uint32_t>(asn.to_number<int64_t>()));
            }
          }
        } else if (type == 3 || type == 14) {
          if (a.contains("nexthop")) r.next_hop = std::string(a.at("nexthop").as_string());
        } else if (type == 9 && a.contains("value")) {
          r.originator_id = std::string(a.at("value").as_string());
        } else if (type == 10 && a.contains("value")) {
          for (const auto& c : a.at("value").as_array()) {
            r.cluster_list.emplace_back(c.as_string());
          }
        } else if (type == 8) {
          for (const auto& c : a.at("communities").as_array()) {
            const auto v = static_cast<uint32_t>(c.to_number<int64_t>());
            r.communities.push_back(fmt::format("{}:{}", v >> 16, v & 0xFFFF));
          }
        }
      }
      out[r.prefix] = r;
    }
  }
  return out;
}

}  // namespace kr::test
