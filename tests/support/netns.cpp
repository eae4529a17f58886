#include "support/netns.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "support/wait.h"

namespace kr::test {
namespace {

constexpr const char* kNetnsDir = "/var/run/netns";

std::atomic<int> next_index{0};

// The pid embedded in <prefix><pid>-..., or -1 when the name does not match.
pid_t owner_pid(const std::string& name, const std::string& prefix) {
  if (!name.starts_with(prefix)) return -1;
  const char* begin = name.data() + prefix.size();
  const char* end = name.data() + name.size();
  pid_t pid = -1;
  const auto [ptr, ec] = std::from_chars(begin, end, pid);
  if (ec != std::errc() || ptr == end || *ptr != '-' || pid <= 0) return -1;
  return pid;
}

bool process_alive(pid_t pid) { return kill(pid, 0) == 0 || errno == EPERM; }

void reap_stale_once() {
  static std::once_flag once;
  std::call_once(once, [] { reap_stale_netns(); });
}

}  // namespace

std::vector<std::string> list_netns() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kNetnsDir, ec)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

bool netns_exists(const std::string& name) {
  std::error_code ec;
  return !name.empty() && std::filesystem::exists(std::string(kNetnsDir) + "/" + name, ec);
}

std::vector<pid_t> netns_pids(const std::string& name) {
  std::vector<pid_t> pids;
  struct stat target {};
  if (stat((std::string(kNetnsDir) + "/" + name).c_str(), &target) != 0) return pids;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string pid_text = entry.path().filename().string();
    pid_t pid = 0;
    const auto [ptr, parse_ec] =
        std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), pid);
    if (parse_ec != std::errc() || ptr != pid_text.data() + pid_text.size()) continue;
    struct stat ns {};
    // Fails for zombies and vanished processes, which hold no namespace.
    if (stat(("/proc/" + pid_text + "/ns/net").c_str(), &ns) != 0) continue;
    if (ns.st_dev == target.st_dev && ns.st_ino == target.st_ino) pids.push_back(pid);
  }
  return pids;
}

bool kill_and_delete_netns(const std::string& name) {
  if (!netns_exists(name)) return true;
  const bool emptied = wait_until(
      [&] {
        const auto pids = netns_pids(name);
        for (pid_t pid : pids) kill(pid, SIGKILL);
        return pids.empty();
      },
      std::chrono::seconds(10), std::chrono::milliseconds(20));
  if (!emptied) std::fprintf(stderr, "netns %s: processes survived SIGKILL\n", name.c_str());
  const RunResult result = run({"ip", "netns", "delete", name});
  if (!result.ok() && netns_exists(name)) {
    std::fprintf(stderr, "cannot delete netns %s: %s\n", name.c_str(),
                 result.describe({"ip", "netns", "delete", name}).c_str());
    return false;
  }
  return true;
}

std::vector<std::string> reap_stale_netns(const std::string& prefix) {
  std::vector<std::string> removed;
  for (const auto& name : list_netns()) {
    const pid_t owner = owner_pid(name, prefix);
    if (owner <= 0 || process_alive(owner)) continue;
    if (kill_and_delete_netns(name)) removed.push_back(name);
  }
  return removed;
}

ScopedNetns::ScopedNetns() {
  reap_stale_once();
  name_ = std::string(kPrefix) + std::to_string(getpid()) + "-" + std::to_string(next_index++);
  const std::vector<std::string> add = {"ip", "netns", "add", name_};
  if (const RunResult result = kr::test::run(add); !result.ok()) {
    throw std::runtime_error("cannot create network namespace: " + result.describe(add));
  }
  try {
    ip({"link", "set", "lo", "up"});
  } catch (...) {
    remove();
    throw;
  }
}

ScopedNetns::~ScopedNetns() { remove(); }

void ScopedNetns::remove() {
  if (removed_) return;
  removed_ = true;
  kill_and_delete_netns(name_);
}

RunResult ScopedNetns::run(const std::vector<std::string>& argv, RunOptions options) const {
  options.netns = name_;
  return kr::test::run(argv, options);
}

std::string ScopedNetns::ip(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"ip", "-n", name_};
  argv.insert(argv.end(), args.begin(), args.end());
  return check_output(argv);
}

Subprocess ScopedNetns::spawn(std::vector<std::string> argv, SpawnOptions options) const {
  options.netns = name_;
  return Subprocess(std::move(argv), std::move(options));
}

std::vector<pid_t> ScopedNetns::pids() const { return netns_pids(name_); }

}  // namespace kr::test
