#include "kernel/netlink/sysctl.h"

#include <gtest/gtest.h>

namespace kr::sysctl {
namespace {

TEST(Sysctl, DottedAndSlashedNamesMapIntoProcSys) {
  EXPECT_EQ(path_of("net.ipv4.vs.conntrack"), "/proc/sys/net/ipv4/vs/conntrack");
  // An interface name with a dot needs the slash form.
  EXPECT_EQ(path_of("net/ipv4/conf/eth0.100/rp_filter"),
            "/proc/sys/net/ipv4/conf/eth0.100/rp_filter");
}

TEST(Sysctl, NamesThatWouldLeaveProcSysAreRejected) {
  for (const char* name : {"", "/etc/passwd", "net/../../etc/passwd", ".hidden"}) {
    EXPECT_THROW(path_of(name), std::invalid_argument) << name;
  }
}

TEST(Sysctl, ReadsAnExistingParameterAndReportsAMissingOne) {
  EXPECT_EQ(read("kernel.ostype"), "Linux");
  EXPECT_FALSE(read("net.ipv4.no_such_parameter"));
  EXPECT_THROW(write("net.ipv4.no_such_parameter", "1"), std::system_error);
}

}  // namespace
}  // namespace kr::sysctl
