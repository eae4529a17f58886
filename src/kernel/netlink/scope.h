// Route and address scopes (rtm_scope / ifa_scope, enum rt_scope_t).
#pragma once

#include <cstdint>

namespace kr::netlink {

enum class Scope : std::uint8_t {
  kUniverse = 0,  // RT_SCOPE_UNIVERSE: global
  kSite = 200,
  kLink = 253,  // RT_SCOPE_LINK: valid on the link only ("scope link")
  kHost = 254,  // RT_SCOPE_HOST: this host only ("scope host")
  kNowhere = 255,
};

}  // namespace kr::netlink
