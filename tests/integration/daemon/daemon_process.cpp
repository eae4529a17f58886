#include "daemon_process.h"

#include <fstream>
#include <sstream>

#include "support/run.h"

namespace kr::test {

std::string kube_router_binary() { return KR_KUBE_ROUTER_BINARY; }

DaemonProcess::DaemonProcess(const ScopedNetns& netns, const TempDir& dir,
                             std::vector<std::string> args, std::vector<std::string> env)
    : netns_(netns), log_path_((dir.path() / "kube-router.log").string()), process_([&] {
        args.insert(args.begin(), kube_router_binary());
        SpawnOptions options;
        options.stderr_path = log_path_;
        options.env = std::move(env);
        return netns.spawn(std::move(args), options);
      }()) {}

std::string DaemonProcess::log() const {
  std::ifstream in(log_path_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

HttpAnswer DaemonProcess::get(int port, const std::string& path) const {
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  // -w appends the status code on its own line after the body.
  const RunResult result =
      netns_.run({"curl", "-sS", "--max-time", "5", "-w", "\n%{http_code}", url});
  if (!result.ok()) {
    return {};
  }
  const auto cut = result.out.rfind('\n');
  return {.status = std::stoi(result.out.substr(cut + 1)), .body = result.out.substr(0, cut)};
}

std::optional<double> DaemonProcess::metric(int port, const std::string& sample) const {
  const HttpAnswer answer = get(port, "/metrics");
  if (answer.status != 200) {
    return std::nullopt;
  }
  std::istringstream lines(answer.body);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > sample.size() && line.compare(0, sample.size(), sample) == 0 &&
        line[sample.size()] == ' ') {
      return std::stod(line.substr(sample.size() + 1));
    }
  }
  return std::nullopt;
}

}  // namespace kr::test
