#include "base64.h"

#include <array>
#include <cstdint>

namespace kr::apiserver_lite {
namespace {

constexpr std::string_view kStd =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrl =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::string_view data, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const uint32_t n = static_cast<uint8_t>(data[i]) << 16 |
                       static_cast<uint8_t>(data[i + 1]) << 8 | static_cast<uint8_t>(data[i + 2]);
    out += alphabet[n >> 18 & 63];
    out += alphabet[n >> 12 & 63];
    out += alphabet[n >> 6 & 63];
    out += alphabet[n & 63];
  }
  const size_t rest = data.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint8_t>(data[i]) << 16;
    if (rest == 2) {
      n |= static_cast<uint8_t>(data[i + 1]) << 8;
    }
    out += alphabet[n >> 18 & 63];
    out += alphabet[n >> 12 & 63];
    if (rest == 2) {
      out += alphabet[n >> 6 & 63];
    }
    if (pad) {
      out.append(3 - rest, '=');
    }
  }
  return out;
}

}  // namespace

std::string base64_encode(std::string_view data) { return encode(data, kStd, true); }

std::string base64url_raw_encode(std::string_view data) { return encode(data, kUrl, false); }

std::optional<std::string> base64url_raw_decode(std::string_view text) {
  std::array<int, 256> value{};
  value.fill(-1);
  for (size_t i = 0; i < kUrl.size(); ++i) {
    value[static_cast<uint8_t>(kUrl[i])] = static_cast<int>(i);
  }
  if (text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (const char c : text) {
    const int v = value[static_cast<uint8_t>(c)];
    if (v < 0) {
      return std::nullopt;
    }
    bits = bits << 6 | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>(bits >> count & 0xff);
    }
  }
  // Leftover bits must be zero, as Go's strict decoder requires.
  if ((bits & ((1u << count) - 1)) != 0) {
    return std::nullopt;
  }
  return out;
}

}  // namespace kr::apiserver_lite
