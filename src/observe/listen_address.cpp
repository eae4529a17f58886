#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/v6_only.hpp>

#include "observe/listen_socket.h"

namespace kr::observe {
namespace {

namespace ip = boost::asio::ip;

std::optional<ip::address> parse_ip_literal(std::string_view text) {
  boost::system::error_code ec;
  const auto address = ip::make_address(text, ec);
  if (ec) {
    return std::nullopt;
  }
  return address;
}

// Go resolves host names for net.Listen and picks one address, preferring IPv4.
ListenHost resolve_host_name(std::string_view host) {
  boost::asio::io_context io;
  ip::tcp::resolver resolver(io);
  boost::system::error_code ec;
  const auto results = resolver.resolve(host, "", ec);
  if (ec || results.empty()) {
    return {.error = fmt::format("not an IP address and cannot resolve host \"{}\": {}", host,
                                 ec ? ec.message() : "no addresses")};
  }
  for (const auto& entry : results) {
    if (entry.endpoint().address().is_v4()) {
      return {.address = entry.endpoint().address()};
    }
  }
  return {.address = results.begin()->endpoint().address()};
}

}  // namespace

ListenHost parse_listen_host(std::string_view host) {
  if (host.empty()) {
    return {};
  }
  if (host.front() == '[' || host.back() == ']') {
    const auto inner = host.size() >= 2 && host.front() == '[' && host.back() == ']'
                           ? parse_ip_literal(host.substr(1, host.size() - 2))
                           : std::nullopt;
    if (!inner || !inner->is_v6()) {
      return {.error = fmt::format("\"{}\" is not a bracketed IPv6 address", host)};
    }
    return {.address = inner};
  }
  if (auto literal = parse_ip_literal(host)) {
    return {.address = literal};
  }
  return resolve_host_name(host);
}

std::string to_string(const ListenAddress& address) {
  const auto literal = parse_ip_literal(address.host);
  if (literal && literal->is_v6()) {
    return fmt::format("[{}]:{}", address.host, address.port);
  }
  return fmt::format("{}:{}", address.host, address.port);
}

std::optional<std::string> open_listener(ip::tcp::acceptor& acceptor,
                                         const ListenAddress& address) {
  const std::string where = to_string(address);
  const ListenHost host = parse_listen_host(address.host);
  if (!host.error.empty()) {
    return fmt::format("unable to open {}: {}", where, host.error);
  }
  auto fail = [&](std::string_view step, const boost::system::error_code& ec) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    return fmt::format("unable to open {}: {}: {}", where, step, ec.message());
  };

  boost::system::error_code ec;
  ip::tcp::endpoint endpoint;
  if (host.address) {
    endpoint = ip::tcp::endpoint(*host.address, address.port);
    acceptor.open(endpoint.protocol(), ec);
  } else {
    // All interfaces: one IPv6 socket that also accepts IPv4 (as Go listens for ":port"), or
    // plain IPv4 when the host has no IPv6.
    endpoint = ip::tcp::endpoint(ip::tcp::v6(), address.port);
    acceptor.open(ip::tcp::v6(), ec);
    if (!ec) {
      acceptor.set_option(ip::v6_only(false), ec);
    }
    if (ec) {
      boost::system::error_code ignored;
      acceptor.close(ignored);
      endpoint = ip::tcp::endpoint(ip::tcp::v4(), address.port);
      acceptor.open(ip::tcp::v4(), ec);
    }
  }
  if (ec) {
    return fail("socket", ec);
  }
  acceptor.set_option(ip::tcp::acceptor::reuse_address(true), ec);
  if (ec) {
    return fail("setsockopt", ec);
  }
  acceptor.bind(endpoint, ec);
  if (ec) {
    return fail("bind", ec);
  }
  acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail("listen", ec);
  }
  return std::nullopt;
}

std::optional<std::string> check_bindable(const ListenAddress& address, std::string_view purpose) {
  boost::asio::io_context io;
  ip::tcp::acceptor acceptor(io);
  if (auto error = open_listener(acceptor, address)) {
    return fmt::format("failed to listen on {} for {}: {}", to_string(address), purpose, *error);
  }
  return std::nullopt;
}

}  // namespace kr::observe
