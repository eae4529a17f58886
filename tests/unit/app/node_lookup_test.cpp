// Which name kube-router looks its Node up by (cni-node.md §1).
#include "app/node_lookup.h"

#include <gtest/gtest.h>

namespace kr::app {
namespace {

TEST(ResolveNodeName, HostnameOverrideWins) {
  const NodeName n = resolve_node_name("override", "from-env", "host");
  EXPECT_EQ(n.name, "override");
  EXPECT_EQ(n.source, NodeNameSource::kHostnameOverride);
}

TEST(ResolveNodeName, NodeNameEnvironmentBeforeHostname) {
  const NodeName n = resolve_node_name("", "from-env", "host");
  EXPECT_EQ(n.name, "from-env");
  EXPECT_EQ(n.source, NodeNameSource::kNodeNameEnv);
}

TEST(ResolveNodeName, HostnameLast) {
  const NodeName n = resolve_node_name("", "", "host");
  EXPECT_EQ(n.name, "host");
  EXPECT_EQ(n.source, NodeNameSource::kHostname);
}

}  // namespace
}  // namespace kr::app
