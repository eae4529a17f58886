// kube-router's flag table: every flag of upstream v2.11 with its name,
// shorthand, type, default (the Config field's initial value) and help text.
// The 68 flags of the published user guide keep its help texts verbatim, so
// `kube-router -h` prints the guide's table (plus the newer flags).
#pragma once

#include "options/kube_router_config.h"
#include "options/pflag.h"

namespace kr::options {

// Binds every kube-router flag to its field of config; config must outlive
// flags. The defaults shown in usage are config's values at this call.
void register_kube_router_flags(pflag::FlagSet& flags, Config& config);

}  // namespace kr::options
