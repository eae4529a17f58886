// Skips a test on a kernel without IPVS (the CI host) and fails it inside the kernel VM, where
// IPVS must be there (tests/vm/README.md).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>

#include "proxy_lab.h"
#include "support/root.h"

#define KR_REQUIRE_IPVS_VM()                                                           \
  do {                                                                                 \
    KR_REQUIRE_ROOT_AND_TOOLS("ip", "iptables", "ipset", "sysctl");                    \
    if (!::kr::proxy::vmtest::kernel_has_ipvs()) {                                     \
      const char* guest = std::getenv("KR_VM_GUEST");                                  \
      if (guest && std::string_view(guest) == "1") FAIL() << "IPVS missing in the VM"; \
      GTEST_SKIP() << "IPVS or dummy links missing: run tests/vm/run-vm-tier.sh";      \
    }                                                                                  \
  } while (false)
