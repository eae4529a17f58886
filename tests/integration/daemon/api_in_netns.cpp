#include "api_in_netns.h"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

namespace kr::test {
namespace {

// Sends a request until it gets an answer other than 503: fault injection makes the next N
// requests fail whoever sends them, and the test's own writes must get through.
template <class Request>
kr::testing::HttpResponse retry_503(Request request) {
  kr::testing::HttpResponse answer;
  for (int attempt = 0; attempt < 50; ++attempt) {
    answer = request();
    if (answer.status != 503) {
      break;
    }
  }
  return answer;
}

}  // namespace

ApiInNetns::ApiInNetns(const ScopedNetns& netns)
    : netns_(netns),
      api_(options_listening_in(netns)),
      master_("https://127.0.0.1:" + std::to_string(netns_port())) {}

kr::testing::ApiServerLiteOptions ApiInNetns::options_listening_in(const ScopedNetns& netns) {
  kr::testing::ApiServerLiteOptions options;
  options.extra_args = {"--listen-netns=" + netns.name() + ":127.0.0.1:0"};
  return options;
}

int ApiInNetns::netns_port() const {
  std::istringstream lines(api_.port_file_contents());
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("listen-netns " + netns_.name() + " ", 0) == 0) {
      return std::stoi(line.substr(line.rfind(':') + 1));
    }
  }
  throw std::runtime_error("apiserver-lite reported no listener in " + netns_.name());
}

std::vector<std::string> ApiInNetns::args(kr::testing::KubeconfigAuth auth,
                                          std::vector<std::string> extra) const {
  std::vector<std::string> args = {
      "--kubeconfig=" + api_.write_kubeconfig(auth),
      "--master=" + master_,
      "--health-addr=127.0.0.1",
      "--health-port=" + std::to_string(kHealthPort),
      "--metrics-addr=127.0.0.1",
      "--metrics-port=" + std::to_string(kMetricsPort),
      "--cache-sync-timeout=30s",
      "-v=2",
  };
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

void ApiInNetns::create(const std::string& object_json) const {
  const auto answer = retry_503([&] { return api_.create(object_json); });
  ASSERT_EQ(answer.status, 201) << object_json << '\n' << answer.body;
}

void ApiInNetns::patch(const std::string& path, const std::string& patch_json) const {
  const auto answer = retry_503([&] { return api_.patch(path, patch_json); });
  ASSERT_EQ(answer.status, 200) << path << '\n' << answer.body;
}

void ApiInNetns::remove(const std::string& path) const {
  const auto answer = retry_503([&] { return api_.remove(path); });
  ASSERT_EQ(answer.status, 200) << path << '\n' << answer.body;
}

void ApiInNetns::create_node(const std::string& name, const std::string& internal_ip,
                             const std::string& pod_cidr) const {
  create(R"({"apiVersion":"v1","kind":"Node","metadata":{"name":")" + name +
         R"("},"spec":{"podCIDR":")" + pod_cidr + R"(","podCIDRs":[")" + pod_cidr +
         R"("]},"status":{"addresses":[{"type":"InternalIP","address":")" + internal_ip +
         R"("},{"type":"Hostname","address":")" + name + R"("}]}})");
}

void ApiInNetns::create_namespace(const std::string& name) const {
  const auto answer = retry_503([&] {
    return api_.create(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")" + name +
                       R"(","labels":{"kubernetes.io/metadata.name":")" + name + R"("}}})");
  });
  // apiserver-lite may create "default" by itself, as a real API server does.
  ASSERT_TRUE(answer.status == 201 || answer.status == 409) << answer.body;
}

void ApiInNetns::create_pod(const std::string& ns, const std::string& name, const std::string& node,
                            const std::string& pod_ip, const std::string& labels_json) const {
  const std::string pod = R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
                          R"(","namespace":")" + ns + R"(","labels":)" + labels_json +
                          R"(},"spec":{"nodeName":")" + node +
                          R"(","containers":[{"name":"c","ports":[{"containerPort":80}]}]},)" +
                          R"("status":{"phase":"Running","podIP":")" + pod_ip +
                          R"(","podIPs":[{"ip":")" + pod_ip + R"("}]}})";
  create(pod);
  // The API ignores .status on create; the kubelet reports it through pods/status.
  const auto answer = retry_503([&] { return api_.update_status(pod); });
  ASSERT_EQ(answer.status, 200) << answer.body;
}

}  // namespace kr::test
