#include "observe/http_router.h"

#include <fmt/format.h>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <stdexcept>

namespace kr::observe {

void HttpRouter::add(std::string path, HttpHandler handler) {
  if (path.empty() || path.front() != '/') {
    throw std::invalid_argument(fmt::format("HTTP path \"{}\" must start with '/'", path));
  }
  if (!routes_.emplace(path, std::move(handler)).second) {
    throw std::invalid_argument(fmt::format("HTTP path \"{}\" is already routed", path));
  }
}

HttpResponse HttpRouter::handle(std::string_view method, std::string_view target) const {
  auto parsed = target.starts_with('/') ? boost::urls::parse_origin_form(target)
                                        : boost::urls::parse_absolute_uri(target);
  if (!parsed) {
    return {.status = 400, .body = "400 Bad Request"};
  }
  std::string path = parsed->path();
  // "http://host" addresses the root. (Built in the initializer: assigning "/" afterwards trips
  // a GCC 12 -Wrestrict false positive.)
  HttpRequest request{.method = std::string(method),
                      .path = path.empty() ? std::string(1, '/') : std::move(path)};
  const auto it = routes_.find(request.path);
  if (it == routes_.end()) {
    return {.status = 404, .body = "404 page not found\n"};
  }
  return it->second(request);
}

}  // namespace kr::observe
