#include "bird_peer.h"

#include <csignal>
#include <sstream>
#include <stdexcept>

#include "support/run.h"
#include "support/temp_dir.h"

namespace kr::test {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

BirdPeer::BirdPeer(const ScopedNetns& netns, std::filesystem::path dir)
    : netns_(netns), dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
}

BirdPeer::~BirdPeer() = default;

void BirdPeer::start(const std::string& config) {
  write_file(dir_ / "bird.conf", "log \"" + (dir_ / "bird.log").string() + "\" all;\n" + config);
  SpawnOptions o;
  o.stdout_path = dir_ / "bird.out";
  o.stderr_path = dir_ / "bird.out";
  // -f: foreground, so the test owns the process.
  process_ = std::make_unique<Subprocess>(netns_.spawn(
      {"bird", "-f", "-c", (dir_ / "bird.conf").string(), "-s", (dir_ / "bird.ctl").string()}, o));
}

void BirdPeer::kill() {
  if (!process_) return;
  process_->signal(SIGKILL);
  process_->wait();
  process_.reset();
}

std::string BirdPeer::birdc(const std::string& command) const {
  std::vector<std::string> argv{"birdc", "-s", (dir_ / "bird.ctl").string()};
  std::istringstream words(command);
  for (std::string w; words >> w;) argv.push_back(w);
  RunResult r = run(argv);
  if (!r.ok()) throw std::runtime_error(r.describe(argv));
  return r.out;
}

std::string BirdPeer::bgp_state(const std::string& protocol) const {
  try {
    std::istringstream in(birdc("show protocols all " + protocol));
    for (std::string line; std::getline(in, line);) {
      const auto at = line.find("BGP state:");
      if (at != std::string::npos) return trim(line.substr(at + 10));
    }
  } catch (const std::exception&) {
  }
  return "";
}

bool BirdPeer::in_graceful_restart(const std::string& protocol) const {
  return birdc("show protocols all " + protocol).find("Neighbor graceful restart active") !=
         std::string::npos;
}

SeenRib BirdPeer::rib(const std::string& table) const {
  return parse_bird_routes(birdc("show route all table " + table));
}

std::optional<int> BirdPeer::pid() const {
  if (!process_) return std::nullopt;
  return process_->pid();
}

std::string BirdPeer::log() const {
  return read_file_or_empty(dir_ / "bird.out") + read_file_or_empty(dir_ / "bird.log");
}

SeenRib parse_bird_routes(const std::string& text) {
  SeenRib out;
  std::istringstream in(text);
  SeenRoute current;
  bool bgp = false;
  auto flush = [&] {
    if (bgp && !current.prefix.empty()) out[current.prefix] = current;
    current = SeenRoute{};
    bgp = false;
  };
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.starts_with("Table") || line.starts_with("BIRD")) continue;
    if (line[0] != ' ' && line[0] != '\t') {
      flush();
      current.prefix = line.substr(0, line.find(' '));
      continue;
    }
    const std::string l = trim(line);
    if (l.starts_with("Type: BGP")) bgp = true;
    if (l.starts_with("BGP.next_hop:")) {
      std::istringstream hops(l.substr(13));
      hops >> current.next_hop;  // the global one, first
    } else if (l.starts_with("BGP.as_path:")) {
      std::istringstream asns(l.substr(12));
      for (uint32_t a; asns >> a;) current.as_path.push_back(a);
    } else if (l.starts_with("BGP.community:")) {
      // "(65000,7) (65000,8)"
      std::string rest = l.substr(14);
      for (std::size_t p = rest.find('('); p != std::string::npos; p = rest.find('(', p + 1)) {
        const auto comma = rest.find(',', p);
        const auto close = rest.find(')', p);
        current.communities.push_back(trim(rest.substr(p + 1, comma - p - 1)) + ":" +
                                      trim(rest.substr(comma + 1, close - comma - 1)));
      }
    }
  }
  flush();
  return out;
}

}  // namespace kr::test
