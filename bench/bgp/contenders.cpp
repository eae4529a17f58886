#include "contenders.h"

#include <fstream>
#include <sstream>

#include "bird_peer.h"
#include "gobgpd_peer.h"
#include "speaker_process.h"
#include "support/run.h"

namespace kr::bench {
namespace {

std::optional<std::size_t> number_after(const std::string& text, const std::string& label) {
  const auto at = text.find(label);
  if (at == std::string::npos) return std::nullopt;
  std::istringstream in(text.substr(at + label.size()));
  std::size_t n = 0;
  if (!(in >> n)) return std::nullopt;
  return n;
}

class Ours : public Contender {
 public:
  Ours(const test::ScopedNetns& netns, const std::filesystem::path& dir)
      : p_(netns, dir, R"(
asn: 64512
router_id: 10.1.0.1
listen_addresses: [10.1.0.1]
neighbors:
  - {address: 10.1.0.2, asn: 65001, local_address: 10.1.0.1, passive: true}
)") {}
  void start() override { p_.start(); }
  std::optional<std::size_t> routes() override {
    try {
      return p_.destinations("ipv4");
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  std::optional<int> pid() override { return p_.pid(); }
  std::string log() override { return p_.log(); }

 private:
  test::SpeakerProcess p_;
};

class Gobgpd : public Contender {
 public:
  Gobgpd(const test::ScopedNetns& netns, const std::filesystem::path& dir)
      : p_(netns, dir, config()) {}
  void start() override { p_.start(); }
  std::optional<std::size_t> routes() override {
    try {
      // "Table ipv4-unicast\nDestination: N, Path: N"
      return number_after(p_.cli({"global", "rib", "summary", "-a", "ipv4"}), "Destination:");
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  std::optional<int> pid() override { return p_.pid(); }
  std::string log() override { return p_.log(); }

 private:
  static test::GobgpConfig config() {
    test::GobgpNeighbor n{.address = "10.1.0.2", .peer_as = 65001};
    n.passive = true;
    test::GobgpConfig c{
        .asn = 64512, .router_id = "10.1.0.1", .listen_addresses = {"10.1.0.1"}, .neighbors = {n}};
    c.log_level = "info";  // gobgpd's default
    return c;
  }
  test::GobgpdPeer p_;
};

class Bird : public Contender {
 public:
  Bird(const test::ScopedNetns& netns, const std::filesystem::path& dir) : p_(netns, dir) {}
  void start() override {
    // No kernel protocol: like the others, BIRD only holds the routes.
    p_.start(R"(
router id 10.1.0.1;
protocol device {}
protocol bgp feeder {
  local 10.1.0.1 as 64512;
  neighbor 10.1.0.2 as 65001;
  passive on;
  ipv4 { import all; export none; };
}
)");
  }
  std::optional<std::size_t> routes() override {
    try {
      // "N of N routes for N networks in table master4"
      return number_after(p_.birdc("show route count table master4"), "routes for ");
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  std::optional<int> pid() override { return p_.pid(); }
  std::string log() override { return p_.log(); }

 private:
  test::BirdPeer p_;
};

}  // namespace

std::unique_ptr<Contender> make_contender(const std::string& name, const test::ScopedNetns& netns,
                                          const std::filesystem::path& dir) {
  if (name == "ours") return std::make_unique<Ours>(netns, dir);
  if (name == "gobgpd") return std::make_unique<Gobgpd>(netns, dir);
  if (name == "bird") return std::make_unique<Bird>(netns, dir);
  return nullptr;
}

std::size_t resident_bytes(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmRSS:")) {
      std::istringstream v(line.substr(6));
      std::size_t kb = 0;
      v >> kb;
      return kb * 1024;
    }
  }
  return 0;
}

}  // namespace kr::bench
