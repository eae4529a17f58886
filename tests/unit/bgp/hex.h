// Test helper: bytes from the hex notation of bgp-wire.md §17.
#pragma once

#include <string_view>

#include "bgp/codec/bytes.h"

namespace kr::bgp::test {

// Space-separated hex bytes; "ff×16" (or "ffx16") repeats a byte.
Bytes hex(std::string_view text);

}  // namespace kr::bgp::test
