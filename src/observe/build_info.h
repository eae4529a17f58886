// kube_router_build_info{goversion,version} 1, as upstream's metrics controller registers it.
#pragma once

#include <string>
#include <string_view>

#include "observe/registry.h"

namespace kr::observe {

// The toolchain that built this binary, e.g. "gcc-12.2.0". Upstream puts runtime.Version()
// (e.g. "go1.22.5") in the goversion label; a C++ build has no Go runtime, so dashboards see
// the compiler instead while the label name stays the same.
std::string compiler_id();

// Registers the gauge and sets the one series to 1.
void register_build_info(Registry& registry, std::string_view toolchain, std::string_view version);

}  // namespace kr::observe
