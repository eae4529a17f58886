// Preconditions of root integration tests, checked so the test skips with a
// reason instead of failing on a machine that cannot run it.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kr::test {

bool running_as_root();

// The names in tools that are not executables in PATH; empty when all are there.
std::vector<std::string> missing_tools(const std::vector<std::string>& tools);

}  // namespace kr::test

// In a TEST body: skip unless running as root with every listed tool in PATH.
//   KR_REQUIRE_ROOT_AND_TOOLS("ip", "ping");
#define KR_REQUIRE_ROOT_AND_TOOLS(...)                                                   \
  do {                                                                                   \
    if (!::kr::test::running_as_root()) GTEST_SKIP() << "needs root";                    \
    for (const auto& kr_missing_tool : ::kr::test::missing_tools({__VA_ARGS__})) {       \
      GTEST_SKIP() << "needs '" << kr_missing_tool << "' (run scripts/install-deps.sh)"; \
    }                                                                                    \
  } while (false)
