// Exact-path request routing for the health and metrics endpoints, independent of the socket
// layer so routing is testable without a network.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace kr::observe {

struct HttpRequest {
  std::string method{};  // any method is served, as Go's ServeMux does for these endpoints
  std::string path{};    // percent-decoded path without the query string
};

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body{};
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

class HttpRouter {
 public:
  // `path` must start with '/' and not be routed yet; otherwise throws std::invalid_argument.
  void add(std::string path, HttpHandler handler);

  // Routes a request line's method and target (origin form "/p?q" or absolute form
  // "http://host/p"). Unknown paths get Go's 404 "404 page not found\n"; a target that is not a
  // valid URI gets 400.
  HttpResponse handle(std::string_view method, std::string_view target) const;

 private:
  std::map<std::string, HttpHandler, std::less<>> routes_;
};

}  // namespace kr::observe
