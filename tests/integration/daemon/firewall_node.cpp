#include "firewall_node.h"

#include <sstream>

#include "support/run.h"

namespace kr::test {

using netpol::testing::Proto;

FirewallNode::FirewallNode() {
  cluster_.add_pod("default/client", 0, 2);
  cluster_.add_pod("default/server", 0, 3);
  api_.create_node(kNodeName, "192.168.100.1", "10.244.1.0/24");
  api_.create_namespace("default");
  api_.create_pod("default", "client", kNodeName, "10.244.1.2", R"({"app":"client"})");
  api_.create_pod("default", "server", kNodeName, "10.244.1.3", R"({"app":"server"})");
}

std::vector<std::string> FirewallNode::args(std::vector<std::string> extra) const {
  std::vector<std::string> flags = {std::string("--hostname-override=") + kNodeName,
                                    "--run-router=false", "--run-service-proxy=false",
                                    "--run-firewall=true"};
  flags.insert(flags.end(), extra.begin(), extra.end());
  return api_.args(kr::testing::KubeconfigAuth::kToken, flags);
}

std::string FirewallNode::client_to_server() {
  const auto results = cluster_.probe({"default/client"}, {"default/server"}, Proto::kTcp, 80,
                                      netfilter::Family::kIPv4);
  return results.empty() ? "no result" : results.front().outcome;
}

std::string FirewallNode::saved_rules() const {
  std::string all;
  for (const char* tool : {"iptables-legacy-save", "ip6tables-legacy-save", "iptables-nft-save",
                           "ip6tables-nft-save"}) {
    all += netns().run({tool}).out;
  }
  return all;
}

std::string FirewallNode::ipset_names() const { return netns().run({"ipset", "list", "-n"}).out; }

bool has_line_starting(const std::string& text, const std::string& prefix) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

}  // namespace kr::test
