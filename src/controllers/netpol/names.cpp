#include "controllers/netpol/names.h"

#include <fmt/format.h>
#include <openssl/sha.h>

#include <array>

namespace kr::netpol {
namespace {

constexpr size_t kMaxCommentBytes = 120;

}  // namespace

std::string_view direction_name(Direction d) {
  return d == Direction::kIngress ? "ingress" : "egress";
}

std::string hash16(std::string_view input) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
  // RFC 4648 §6 base32; 16 characters need the first 80 bits (10 bytes).
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  out.reserve(16);
  uint64_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; out.size() < 16; ++i) {
    buffer = (buffer << 8) | digest[i];
    bits += 8;
    while (bits >= 5 && out.size() < 16) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

std::string pod_chain_name(std::string_view ns, std::string_view pod) {
  return "KUBE-POD-FW-" + hash16(fmt::format("{}{}", ns, pod));
}

std::string policy_chain_name(std::string_view ns, std::string_view policy, Direction d, Family f) {
  return "KUBE-NWPLCY-" +
         hash16(fmt::format("{}{}{}{}", ns, policy, direction_name(d), family_name(f)));
}

std::string set_name(std::string_view prefix, Family f, std::string_view definition) {
  return fmt::format("{}{}{}", f == Family::kIPv6 ? "inet6:" : "", prefix,
                     hash16(fmt::format("{}{}", definition, family_name(f))));
}

std::string local_pods_set_name(Family f) {
  return f == Family::kIPv6 ? "inet6:kube-router-local-pods" : "kube-router-local-pods";
}

std::string swap_set_name(Family f) {
  return f == Family::kIPv6 ? "inet6:KUBE-DST-SWAPTMP" : "KUBE-DST-SWAPTMP";
}

std::string clamp_comment(std::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), kMaxCommentBytes));
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '"' || c == '\'' || c == '\\') {
      continue;
    }
    if (out.size() == kMaxCommentBytes) {
      break;
    }
    out += c;
  }
  return out;
}

}  // namespace kr::netpol
