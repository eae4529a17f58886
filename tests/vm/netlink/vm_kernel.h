// Guards for tests that need kernel features only the VM tier's kernel has.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace kr::test {

// True inside the kernel VM (tests/vm/vm.sh sets KR_VM_GUEST=1 for the job).
bool in_kernel_vm();

}  // namespace kr::test

// Skips the test on a host kernel without the feature, but fails it inside the VM, where the
// feature must be there: `KR_REQUIRE_KERNEL_FEATURE(ipvs_available(), "IPVS");`
#define KR_REQUIRE_KERNEL_FEATURE(available, what)                                        \
  do {                                                                                    \
    if (!(available)) {                                                                   \
      if (::kr::test::in_kernel_vm()) FAIL() << (what) << " is missing in the VM kernel"; \
      GTEST_SKIP() << (what) << " is not in this kernel: run tests/vm/run-vm-tier.sh";    \
    }                                                                                     \
  } while (false)
