#include "vm_kernel.h"

#include <cstdlib>
#include <string_view>

namespace kr::test {

bool in_kernel_vm() {
  const char* value = std::getenv("KR_VM_GUEST");
  return value != nullptr && std::string_view(value) == "1";
}

}  // namespace kr::test
