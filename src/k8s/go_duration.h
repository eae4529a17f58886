// Go's time.Duration.String() ("1m0s", "1.5s", "300ms"), for messages that match upstream's.
#pragma once

#include <chrono>
#include <string>

namespace kr::k8s {

std::string format_go_duration(std::chrono::nanoseconds d);

}  // namespace kr::k8s
