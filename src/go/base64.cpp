#include "go/base64.h"

#include <array>
#include <cstdint>
#include <optional>

namespace kr::go {
namespace {

constexpr std::uint8_t kInvalid = 0xff;

constexpr std::array<std::uint8_t, 256> make_decode_map() {
  std::array<std::uint8_t, 256> map{};
  for (auto& entry : map) {
    entry = kInvalid;
  }
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    map[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
  }
  return map;
}

constexpr std::array<std::uint8_t, 256> kDecodeMap = make_decode_map();

bool is_newline(char c) { return c == '\n' || c == '\r'; }

struct Quantum {
  std::size_t next = 0;              // index after the bytes consumed
  std::size_t length = 0;            // decoded bytes (0..3)
  std::optional<std::size_t> error;  // offset of the illegal byte
};

// Go's Encoding.decodeQuantum for the padded standard encoding: decodes up to
// four symbols starting at src[si] into out.
Quantum decode_quantum(std::string_view src, std::size_t si, std::array<char, 3>& out) {
  std::array<std::uint32_t, 4> symbols{};
  std::size_t symbol_count = 4;
  std::optional<std::size_t> trailing_garbage;
  for (std::size_t j = 0; j < 4; ++j) {
    if (si == src.size()) {
      if (j == 0) {
        return {si, 0, std::nullopt};
      }
      return {si, 0, si - j};  // input ends without the required padding
    }
    const char in = src[si++];
    const std::uint8_t value = kDecodeMap[static_cast<unsigned char>(in)];
    if (value != kInvalid) {
      symbols[j] = value;
      continue;
    }
    if (is_newline(in)) {
      --j;
      continue;
    }
    if (in != '=' || j < 2) {
      return {si, 0, si - 1};
    }
    if (j == 2) {
      // "==" is required here; the first "=" is consumed already.
      while (si < src.size() && is_newline(src[si])) {
        ++si;
      }
      if (si == src.size()) {
        return {si, 0, src.size()};
      }
      if (src[si] != '=') {
        return {si, 0, si - 1};
      }
      ++si;
    }
    while (si < src.size() && is_newline(src[si])) {
      ++si;
    }
    if (si < src.size()) {
      trailing_garbage = si;
    }
    symbol_count = j;
    break;
  }
  const std::uint32_t bits = symbols[0] << 18 | symbols[1] << 12 | symbols[2] << 6 | symbols[3];
  out[0] = static_cast<char>(bits >> 16);
  out[1] = static_cast<char>(bits >> 8);
  out[2] = static_cast<char>(bits);
  return {si, symbol_count - 1, trailing_garbage};
}

}  // namespace

Base64Decode decode_base64_std(std::string_view text) {
  Base64Decode result;
  std::array<char, 3> chunk{};
  std::size_t si = 0;
  while (si < text.size()) {
    const Quantum q = decode_quantum(text, si, chunk);
    result.bytes.append(chunk.data(), q.length);
    if (q.error) {
      result.error = "illegal base64 data at input byte " + std::to_string(*q.error);
      return result;
    }
    si = q.next;
  }
  return result;
}

}  // namespace kr::go
