// TLS for the server: the serving certificate, optional client-certificate verification against
// --client-ca-file, ALPN pinned to http/1.1 (Go clients would otherwise try HTTP/2).
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <optional>
#include <string>

#include "auth.h"

namespace kr::apiserver_lite {

// Throws std::runtime_error naming the file that could not be loaded.
boost::asio::ssl::context make_server_tls_context(const std::string& cert_file,
                                                  const std::string& key_file,
                                                  const std::string& client_ca_file);

// The user a client certificate authenticates (CN = name, O = groups), if the peer presented
// one and it verified against the client CA.
std::optional<UserInfo> client_certificate_user(SSL* ssl);

}  // namespace kr::apiserver_lite
