// bgp_bench: how fast our speaker, gobgpd and BIRD 2 take a full feed from
// one eBGP peer, and how much memory they hold per route.
//
//   bgp_bench [--prefixes 100000,1000000] [--speakers ours,gobgpd,bird]
//
// For every size and speaker: fresh namespaces (speaker 10.1.0.1, feeder
// 10.1.0.2), the speaker started with the feeder as passive neighbor, the
// session established, then the pre-encoded UPDATEs written as fast as TCP
// takes them. Load time runs from the first UPDATE written until the
// speaker reports every prefix in its Loc-RIB (polled through its own CLI
// or admin socket every 20 ms); memory is the resident set growth over that
// load. Needs root. Prints a table.
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <sstream>
#include <thread>

#include "contenders.h"
#include "feed.h"
#include "feeder.h"
#include "support/netns.h"
#include "support/temp_dir.h"
#include "support/veth.h"

namespace {

using namespace kr;
using Clock = std::chrono::steady_clock;

struct Result {
  std::string speaker;
  std::size_t prefixes = 0;
  double seconds = 0;
  std::size_t rss_before = 0;
  std::size_t rss_after = 0;
  std::string error;

  double per_route() const {
    return prefixes == 0 ? 0
                         : static_cast<double>(rss_after - std::min(rss_before, rss_after)) /
                               static_cast<double>(prefixes);
  }
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

Result run_one(const std::string& name, const bench::Feed& feed) {
  Result r;
  r.speaker = name;
  r.prefixes = feed.prefixes;
  test::ScopedNetns speaker_ns;
  test::ScopedNetns feeder_ns;
  test::connect_veth({speaker_ns.name(), "eth0", "10.1.0.1/24"},
                     {feeder_ns.name(), "eth0", "10.1.0.2/24"});
  test::TempDir dir("bgp-bench");
  auto contender = bench::make_contender(name, speaker_ns, dir.path() / name);
  contender->start();
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (!contender->routes() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  bench::Feeder feeder(feeder_ns.name(), *bgp::IpAddress::parse("10.1.0.2"),
                       *bgp::IpAddress::parse("10.1.0.1"), bench::kFeederAs);
  if (auto e = feeder.establish(std::chrono::seconds(60)); !e.empty()) {
    r.error = e;
    std::cerr << contender->log();
    return r;
  }
  const int pid = contender->pid().value_or(0);
  r.rss_before = bench::resident_bytes(pid);

  const auto start = Clock::now();
  std::thread writer([&] { feeder.send(feed); });
  const auto limit = start + std::chrono::minutes(15);
  std::optional<std::size_t> seen;
  while (Clock::now() < limit) {
    seen = contender->routes();
    if (seen && *seen >= feed.prefixes) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto done = Clock::now();
  writer.join();
  r.seconds = std::chrono::duration<double>(done - start).count();
  r.rss_after = bench::resident_bytes(pid);
  if (!seen || *seen < feed.prefixes) {
    r.error = fmt::format("only {} of {} prefixes arrived", seen.value_or(0), feed.prefixes);
  }
  return r;
}

std::string mib(std::size_t bytes) {
  return fmt::format("{:.1f}", static_cast<double>(bytes) / 1048576.0);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes{100000, 1000000};
  std::vector<std::string> speakers{"ours", "gobgpd", "bird"};
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--prefixes" && i + 1 < argc) {
      sizes.clear();
      for (const auto& s : split(argv[++i])) sizes.push_back(std::stoul(s));
    } else if (a == "--speakers" && i + 1 < argc) {
      speakers = split(argv[++i]);
    } else {
      std::cerr << "usage: bgp_bench [--prefixes N,...] [--speakers ours,gobgpd,bird]\n";
      return 2;
    }
  }
  if (geteuid() != 0) {
    std::cerr << "bgp_bench needs root (network namespaces)\n";
    return 1;
  }
  for (const auto& s : speakers) {
    if (s != "ours" && s != "gobgpd" && s != "bird") {
      std::cerr << "bgp_bench: unknown speaker " << s << "\n";
      return 2;
    }
  }

  std::vector<Result> results;
  for (std::size_t n : sizes) {
    const bench::Feed feed = bench::make_feed(n, *bgp::IpAddress::parse("10.1.0.2"));
    std::cout << fmt::format(
                     "feed: {} IPv4 /24 prefixes, 1000 attribute sets, {} UPDATEs, {} MiB\n", n,
                     feed.updates.size(), mib(feed.bytes))
              << std::flush;
    for (const auto& s : speakers) {
      results.push_back(run_one(s, feed));
      const Result& r = results.back();
      std::cout << fmt::format("  {:<7} {}\n", s,
                               r.error.empty() ? fmt::format("{:.2f} s", r.seconds) : r.error)
                << std::flush;
    }
  }

  std::cout << "\n"
            << fmt::format("{:<8} {:>9} {:>11} {:>12} {:>14} {:>13} {:>12}\n", "speaker",
                           "prefixes", "load (s)", "prefixes/s", "RSS before MiB", "RSS after MiB",
                           "bytes/route");
  for (const Result& r : results) {
    if (!r.error.empty()) {
      std::cout << fmt::format("{:<8} {:>9}  failed: {}\n", r.speaker, r.prefixes, r.error);
      continue;
    }
    std::cout << fmt::format("{:<8} {:>9} {:>11.2f} {:>12.0f} {:>14} {:>13} {:>12.0f}\n", r.speaker,
                             r.prefixes, r.seconds, static_cast<double>(r.prefixes) / r.seconds,
                             mib(r.rss_before), mib(r.rss_after), r.per_route());
  }
  // Targets: faster than BIRD, at least 5x faster than gobgpd, fewer bytes
  // per route than BIRD.
  std::cout << "\n";
  for (std::size_t n : sizes) {
    auto find = [&](const std::string& s) -> const Result* {
      for (const Result& r : results) {
        if (r.speaker == s && r.prefixes == n && r.error.empty()) return &r;
      }
      return nullptr;
    };
    const Result* ours = find("ours");
    if (ours == nullptr) continue;
    if (const Result* b = find("bird")) {
      std::cout << fmt::format("{:>9} prefixes: {:.2f}x BIRD's speed, {:.2f}x BIRD's bytes/route\n",
                               n, b->seconds / ours->seconds, ours->per_route() / b->per_route());
    }
    if (const Result* g = find("gobgpd")) {
      std::cout << fmt::format(
          "{:>9} prefixes: {:.2f}x gobgpd's speed, {:.2f}x gobgpd's "
          "bytes/route\n",
          n, g->seconds / ours->seconds, ours->per_route() / g->per_route());
    }
  }
  return 0;
}
