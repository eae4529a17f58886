#include "observe/build_info.h"

#include <fmt/format.h>

namespace kr::observe {

std::string compiler_id() {
#if defined(__clang__)
  return fmt::format("clang-{}.{}.{}", __clang_major__, __clang_minor__, __clang_patchlevel__);
#elif defined(__GNUC__)
  return fmt::format("gcc-{}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

void register_build_info(Registry& registry, std::string_view toolchain, std::string_view version) {
  registry
      .gauge_family("kube_router_build_info", "Expose version and other build information",
                    {"goversion", "version"})
      .with_labels({toolchain, version})
      ->set(1);
}

}  // namespace kr::observe
