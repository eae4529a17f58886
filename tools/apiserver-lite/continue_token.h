// List continue tokens in kube-apiserver's format (apiserver/pkg/storage/continue.go): the
// unpadded URL-safe base64 of {"v":"meta.k8s.io/v1","rv":<list RV>,"start":"<next key>"}.
// Clients must treat them as opaque; keeping the real shape makes our logs comparable.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kr::apiserver_lite {

struct ContinueToken {
  // The resource version the first page was served at; every later page is served at the same
  // snapshot. -1 marks the "inconsistent" token handed out with a 410: continue at the latest RV.
  int64_t resource_version = 0;
  // Storage key to resume at (inclusive): the last returned key followed by "\0".
  std::string start_key;
};

class ContinueTokenError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

std::string encode_continue(const ContinueToken& token);
// Throws ContinueTokenError ("continue key is not valid: ...") for anything it did not issue.
ContinueToken decode_continue(std::string_view text);

}  // namespace kr::apiserver_lite
