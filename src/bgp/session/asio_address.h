// Conversions between the codec's IpAddress and Asio addresses. Internal to
// the transport code (session.cpp, listener.cpp).
#pragma once

#include <boost/asio/ip/address.hpp>

#include "bgp/codec/ip.h"

namespace kr::bgp::session {

inline boost::asio::ip::address to_asio(const IpAddress& a) {
  if (a.v6) {
    boost::asio::ip::address_v6::bytes_type b;
    std::copy(a.bytes.begin(), a.bytes.end(), b.begin());
    return boost::asio::ip::address_v6(b);
  }
  return boost::asio::ip::address_v4(a.v4_u32());
}

// IPv4-mapped IPv6 addresses come back as IPv4 (a dual-stack socket reports
// IPv4 peers that way).
inline IpAddress from_asio(const boost::asio::ip::address& a) {
  if (a.is_v4()) return IpAddress::v4_from_u32(a.to_v4().to_uint());
  const auto v6 = a.to_v6();
  if (v6.is_v4_mapped()) {
    return IpAddress::v4_from_u32(
        boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_uint());
  }
  const auto b = v6.to_bytes();
  return IpAddress::from_v6_bytes(b.data());
}

}  // namespace kr::bgp::session
