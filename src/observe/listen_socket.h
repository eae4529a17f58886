// Opening listening sockets for ListenAddress; shared by check_bindable() and HttpServer. Only
// this module's .cpp files include it (it pulls in Asio).
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "observe/listen_address.h"

namespace kr::observe {

struct ListenHost {
  std::optional<boost::asio::ip::address> address{};  // nullopt: all interfaces
  std::string error{};                                // non-empty: the host is unusable
};

// Interprets ListenAddress::host (see there).
ListenHost parse_listen_host(std::string_view host);

// Opens, binds (with SO_REUSEADDR, as Go does) and listens. On failure the acceptor is closed and
// the reason reads "unable to open <address>: <step>: <system message>".
std::optional<std::string> open_listener(boost::asio::ip::tcp::acceptor& acceptor,
                                         const ListenAddress& address);

}  // namespace kr::observe
