#include "options/validate.h"
#include "options/validate_helpers.h"

namespace kr::options {

ValidationError validate_proxy(const Config& config) {
  // Upstream does not check the period: a non-positive ticker period panics.
  // --ipvs-graceful-period is not validated upstream (it is only a fallback
  // grace period), so it is not checked here either.
  if (auto error = detail::require_positive_period("ipvs-sync-period", config.ipvs_sync_period)) {
    return error;
  }
  return detail::require_cidrs("excluded-cidrs", config.excluded_cidrs);
}

}  // namespace kr::options
