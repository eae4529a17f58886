// Streams one watch to its client (internal to the HTTP front end): a 200 response with
// chunked transfer encoding, one JSON watch event per line, BOOKMARKs every bookmark interval
// when the client allowed them, a clean end at timeoutSeconds or after an ERROR event, and an
// abrupt close (no final chunk) when watches are dropped by fault injection.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>

#include "router.h"
#include "tls_stream.h"

namespace kr::apiserver_lite {

boost::asio::awaitable<void> serve_watch(std::shared_ptr<TlsStream> stream, WatchStream watch,
                                         const WatchHub& hub,
                                         std::chrono::milliseconds bookmark_interval);

}  // namespace kr::apiserver_lite
