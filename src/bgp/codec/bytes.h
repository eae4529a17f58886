// Bounds-checked big-endian reading and appending of wire bytes.
//
// Every decoder reads through ByteReader: a read past the end never touches
// memory outside the span, it returns false and leaves the reader unchanged,
// so a lying length field can only ever produce an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace kr::bgp {

using Bytes = std::vector<uint8_t>;
using ByteSpan = std::span<const uint8_t>;

class ByteReader {
 public:
  explicit ByteReader(ByteSpan data) : data_(data) {}

  std::size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return remaining() == 0; }
  std::size_t position() const { return pos_; }
  // The unread bytes, without consuming them.
  ByteSpan rest() const { return data_.subspan(pos_); }

  bool u8(uint8_t& out) {
    if (remaining() < 1) return false;
    out = data_[pos_++];
    return true;
  }
  bool u16(uint16_t& out) {
    if (remaining() < 2) return false;
    out = static_cast<uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool u32(uint32_t& out) {
    if (remaining() < 4) return false;
    out = (uint32_t{data_[pos_]} << 24) | (uint32_t{data_[pos_ + 1]} << 16) |
          (uint32_t{data_[pos_ + 2]} << 8) | data_[pos_ + 3];
    pos_ += 4;
    return true;
  }
  // Takes the next n bytes as a sub-span.
  bool take(std::size_t n, ByteSpan& out) {
    if (remaining() < n) return false;
    out = data_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  bool skip(std::size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }

 private:
  ByteSpan data_;
  std::size_t pos_ = 0;
};

inline void put_u8(Bytes& out, uint8_t v) { out.push_back(v); }
inline void put_u16(Bytes& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}
inline void put_u32(Bytes& out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v >> 24));
  out.push_back(static_cast<uint8_t>(v >> 16));
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}
inline void put_bytes(Bytes& out, ByteSpan b) { out.insert(out.end(), b.begin(), b.end()); }
// Overwrites a 16-bit length placeholder written earlier at `at`.
inline void patch_u16(Bytes& out, std::size_t at, uint16_t v) {
  out[at] = static_cast<uint8_t>(v >> 8);
  out[at + 1] = static_cast<uint8_t>(v);
}

}  // namespace kr::bgp
