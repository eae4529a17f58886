// Maps an authenticated HTTP request to the API operation it names and runs it: discovery,
// get/list/watch/create/update/patch/delete(collection), the status subresource, and the
// /_lite/ test endpoints. Transport-free: http_server.cpp feeds it plain requests.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "auth.h"
#include "faults.h"
#include "registry.h"
#include "watch_hub.h"

namespace kr::apiserver_lite {

struct Request {
  std::string method;
  std::string target;  // origin-form: path and query
  std::string body;
  std::string content_type;
  std::string accept;
  std::string host;  // Host header, echoed in /api's serverAddressByClientCIDRs
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

struct WatchStream {
  std::shared_ptr<Watcher> watcher;
  std::optional<std::chrono::seconds> timeout;  // timeoutSeconds
  bool bookmarks = false;                       // allowWatchBookmarks
};

using Outcome = std::variant<Response, WatchStream>;

// Response carrying a metav1.Status for the error (and Retry-After where the API sets it).
Response error_response(const class ApiError& error);

class Router {
 public:
  Router(Store& store, Registry& registry, WatchHub& hub, Faults& faults, bool faults_enabled)
      : store_(store),
        registry_(registry),
        hub_(hub),
        faults_(faults),
        faults_enabled_(faults_enabled) {}

  Outcome handle(const Request& request, const UserInfo& user, bool read_only);

  // Requests that count against injected faults: the resource API and discovery.
  static bool is_api_path(std::string_view target);

 private:
  Response handle_lite(const Request& request, const UserInfo& user, bool read_only);

  Store& store_;
  Registry& registry_;
  WatchHub& hub_;
  Faults& faults_;
  bool faults_enabled_;
};

}  // namespace kr::apiserver_lite
