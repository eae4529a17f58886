#include "support/root.h"

#include <unistd.h>

#include "support/subprocess.h"

namespace kr::test {

bool running_as_root() { return geteuid() == 0; }

std::vector<std::string> missing_tools(const std::vector<std::string>& tools) {
  std::vector<std::string> missing;
  for (const auto& tool : tools) {
    if (find_executable(tool).empty()) missing.push_back(tool);
  }
  return missing;
}

}  // namespace kr::test
