#include "k8s/server_url.h"

#include <fmt/format.h>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "k8s/client_config.h"

namespace kr::k8s {

ServerAddress parse_server_url(std::string_view url, std::string_view what) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    throw ConfigError(fmt::format("{}: server \"{}\" is not a valid URL", what, url));
  }
  const boost::urls::url_view& u = *parsed;
  if (u.scheme() != "https") {
    throw ConfigError(fmt::format(
        "{}: server \"{}\" must use https (plain http API access is not supported)", what, url));
  }
  ServerAddress addr;
  addr.host = u.host_address();
  if (addr.host.empty()) {
    throw ConfigError(fmt::format("{}: server \"{}\" has no host", what, url));
  }
  addr.host_is_ip = u.host_type() == boost::urls::host_type::ipv4 ||
                    u.host_type() == boost::urls::host_type::ipv6;
  addr.port = u.has_port() && !u.port().empty() ? std::string(u.port()) : "443";
  addr.base_path = std::string(u.encoded_path());
  while (!addr.base_path.empty() && addr.base_path.back() == '/') {
    addr.base_path.pop_back();
  }
  return addr;
}

}  // namespace kr::k8s
