#include "frr_peer.h"

#include <boost/json/parse.hpp>
#include <csignal>
#include <stdexcept>

#include "support/run.h"
#include "support/temp_dir.h"

namespace kr::test {

FrrPeer::FrrPeer(const ScopedNetns& netns, std::filesystem::path dir)
    : netns_(netns), dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_ / "run");
}

FrrPeer::~FrrPeer() = default;

void FrrPeer::start(const std::string& config) {
  write_file(dir_ / "bgpd.conf", "log file " + (dir_ / "bgpd.log").string() + "\n" + config);
  SpawnOptions o;
  o.stdout_path = dir_ / "bgpd.out";
  o.stderr_path = dir_ / "bgpd.out";
  // -S: stay root (no frr user needed for the temp dir), foreground.
  process_ = std::make_unique<Subprocess>(netns_.spawn(
      {"/usr/lib/frr/bgpd", "-f", (dir_ / "bgpd.conf").string(), "-Z", "-n", "-S", "--vty_socket",
       (dir_ / "run").string(), "-i", (dir_ / "run" / "bgpd.pid").string()},
      o));
}

void FrrPeer::kill() {
  if (!process_) return;
  process_->signal(SIGKILL);
  process_->wait();
  process_.reset();
}

std::string FrrPeer::vtysh(const std::string& command) const {
  std::vector<std::string> argv{"vtysh", "--vty_socket", (dir_ / "run").string(), "-c", command};
  RunResult r = run(argv);
  if (!r.ok()) throw std::runtime_error(r.describe(argv));
  return r.out;
}

void FrrPeer::configure(const std::vector<std::string>& lines) const {
  std::vector<std::string> argv{"vtysh", "--vty_socket", (dir_ / "run").string(), "-c",
                                "configure terminal"};
  for (const auto& l : lines) argv.insert(argv.end(), {"-c", l});
  RunResult r = run(argv);
  if (!r.ok()) throw std::runtime_error(r.describe(argv));
}

std::string FrrPeer::neighbor_state(const std::string& address) const {
  try {
    const auto v = boost::json::parse(vtysh("show bgp neighbors " + address + " json"));
    return std::string(v.at(address).at("bgpState").as_string());
  } catch (const std::exception&) {
    return "";
  }
}

std::vector<std::string> FrrPeer::prefixes(const std::string& afi) const {
  std::vector<std::string> out;
  try {
    const auto v = boost::json::parse(vtysh("show bgp " + afi + " unicast json"));
    for (const auto& [prefix, paths] : v.at("routes").as_object()) out.emplace_back(prefix);
  } catch (const std::exception&) {
  }
  return out;
}

std::optional<SeenRoute> FrrPeer::route(const std::string& afi, const std::string& prefix) const {
  boost::json::value v;
  try {
    v = boost::json::parse(vtysh("show bgp " + afi + " unicast " + prefix + " json"));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  const auto* paths = v.as_object().if_contains("paths");
  if (paths == nullptr) return std::nullopt;
  for (const auto& p : paths->as_array()) {
    const auto& o = p.as_object();
    const auto* best = o.if_contains("bestpath");
    if (best == nullptr || !best->at("overall").as_bool()) continue;
    SeenRoute r;
    r.prefix = prefix;
    for (const auto& seg : o.at("aspath").at("segments").as_array()) {
      for (const auto& a : seg.at("list").as_array()) {
        r.as_path.push_back(static_cast<uint32_t>(a.to_number<int64_t>()));
      }
    }
    if (const auto* c = o.if_contains("community")) {
      for (const auto& s : c->at("list").as_array()) r.communities.emplace_back(s.as_string());
    }
    r.next_hop = std::string(o.at("nexthops").at(0).at("ip").as_string());
    if (const auto* stale = o.if_contains("stale")) r.stale = stale->as_bool();
    return r;
  }
  return std::nullopt;
}

std::string FrrPeer::log() const {
  return read_file_or_empty(dir_ / "bgpd.out") + read_file_or_empty(dir_ / "bgpd.log");
}

}  // namespace kr::test
