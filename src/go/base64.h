// Go's base64.StdEncoding.DecodeString: standard alphabet, "=" padding
// required, "\r" and "\n" ignored anywhere, non-zero trailing bits tolerated.
//
// BGP peer passwords (--peer-router-passwords, the passwords file and the
// kube-router.io/peer.passwords annotation) are base64 in this form.
#pragma once

#include <string>
#include <string_view>

namespace kr::go {

struct Base64Decode {
  std::string bytes;
  // Go's error text, e.g. "illegal base64 data at input byte 4"; empty on success.
  std::string error;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

Base64Decode decode_base64_std(std::string_view text);

}  // namespace kr::go
