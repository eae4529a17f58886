// The stream type every connection uses (internal to the HTTP front end).
#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace kr::apiserver_lite {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

}  // namespace kr::apiserver_lite
