// An in-process apiserver-lite core (store, registry, watch hub, router) for unit tests.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "router.h"

namespace kr::apiserver_lite::testing {

struct Api {
  explicit Api(size_t history = 1000)
      : store(history), hub(store), registry(store), router(store, registry, hub, faults, true) {
    registry.bootstrap();
  }

  Response call(const std::string& method, const std::string& target, const std::string& body = "",
                const std::string& content_type = "application/json", bool read_only = false) {
    Outcome outcome = router.handle({method, target, body, content_type, "", "127.0.0.1:1"},
                                    UserInfo{"tester", "", {}}, read_only);
    if (auto* response = std::get_if<Response>(&outcome)) {
      return *response;
    }
    return {0, "<watch>", "", {}};
  }
  std::shared_ptr<Watcher> watch(const std::string& target) {
    Outcome outcome =
        router.handle({"GET", target, "", "", "", ""}, UserInfo{"tester", "", {}}, false);
    return std::get<WatchStream>(outcome).watcher;
  }
  static boost::json::value json(const Response& response) {
    return boost::json::parse(response.body);
  }

  Store store;
  WatchHub hub;
  Registry registry;
  Faults faults;
  Router router;
};

inline std::string pod_json(const std::string& name, const std::string& labels = "{}",
                            const std::string& node = "") {
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name + R"(","labels":)" +
         labels + R"(},"spec":{"nodeName":")" + node +
         R"(","containers":[{"name":"c","image":"i"}]}})";
}

}  // namespace kr::apiserver_lite::testing
