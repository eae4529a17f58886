// RFC 3339 timestamps as the API server writes them (metav1.Time "2024-05-01T10:00:00Z",
// metav1.MicroTime "2024-05-01T10:00:00.123456Z"), with any UTC offset accepted on input.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "k8s/objects.h"

namespace kr::k8s {

// nullopt when the text is not an RFC 3339 date-time (RFC 3339 §5.6).
std::optional<Time> parse_rfc3339(std::string_view text);

// MicroTime form, always UTC with six fractional digits.
std::string format_micro_time(Time t);

}  // namespace kr::k8s
