#include "hex.h"

#include <stdexcept>
#include <string>

namespace kr::bgp::test {

Bytes hex(std::string_view text) {
  Bytes out;
  std::size_t i = 0;
  auto is_hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  while (i < text.size()) {
    if (!is_hex(text[i])) {
      ++i;
      continue;
    }
    if (i + 1 >= text.size() || !is_hex(text[i + 1])) throw std::invalid_argument("odd hex");
    const auto byte = static_cast<uint8_t>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16));
    i += 2;
    std::size_t repeat = 1;
    // "×" is two UTF-8 bytes (C3 97); accept plain 'x' too.
    if (text.substr(i, 2) == "\xC3\x97" || (i < text.size() && text[i] == 'x')) {
      i += text[i] == 'x' ? 1 : 2;
      std::size_t end = i;
      while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])) != 0) ++end;
      repeat = std::stoul(std::string(text.substr(i, end - i)));
      i = end;
    }
    out.insert(out.end(), repeat, byte);
  }
  return out;
}

}  // namespace kr::bgp::test
