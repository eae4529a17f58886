// The LIST/WATCH loop of one kind (client-go's Reflector), feeding an ObjectSink.
//
//  1. LIST the collection in pages (limit + continue) and hand the items to the sink, which
//     diffs them against its cache.
//  2. WATCH from the list's resourceVersion with allowWatchBookmarks=true, tracking the
//     resourceVersion of every event and bookmark.
//  3. When the watch ends: a server timeout re-watches at once; 410 Gone (HTTP status or ERROR
//     event) goes back to 1; a drop, timeout, 5xx, 429 or any other error re-watches from the
//     last resourceVersion after an exponential backoff with jitter. 401/403 are logged once
//     per change of state and retried with the same backoff.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "k8s/backoff.h"
#include "k8s/informer.h"
#include "k8s/metrics.h"
#include "k8s/reflector_options.h"
#include "k8s/rest_transport.h"

namespace kr::k8s {

class Reflector : public std::enable_shared_from_this<Reflector> {
 public:
  Reflector(boost::asio::io_context& io, std::shared_ptr<RestTransport> transport,
            std::string collection, std::shared_ptr<ObjectSink> sink, KindMetrics& metrics,
            ReflectorOptions options);

  void start();
  // Ends the loop (thread-safe); an open watch is closed.
  void stop();

 private:
  enum class WatchEnd { kTimedOut, kGone, kFailed };

  boost::asio::awaitable<void> run();
  // True when a complete LIST was applied.
  boost::asio::awaitable<bool> list();
  boost::asio::awaitable<WatchEnd> watch();
  boost::asio::awaitable<void> sleep(std::chrono::milliseconds d);
  void report(std::string_view verb, const HttpResponse& response);
  void report_ok();

  boost::asio::io_context& io_;
  std::shared_ptr<RestTransport> transport_;
  std::string collection_;
  std::shared_ptr<ObjectSink> sink_;
  KindMetrics& metrics_;
  ReflectorOptions options_;
  Backoff backoff_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<StreamCancel> cancel_;
  std::string resource_version_;  // last seen
  int auth_failure_status_ = 0;   // 401/403 currently being seen, 0 otherwise
  bool stopped_ = false;          // io_context thread only
};

}  // namespace kr::k8s
