// Shared pieces of the kr_k8s integration tests: an io_context thread with a Client and an
// InformerSet, an event log that checks handler consistency, and the server's view of a kind.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "apiserver_lite_fixture.h"
#include "k8s/client.h"
#include "k8s/informer_set.h"

namespace kr::k8s::testing {

// Short backoffs so recovery happens within the test's patience.
inline ReflectorOptions fast_options(size_t page_size = 500) {
  ReflectorOptions o;
  o.page_size = page_size;
  o.backoff.initial = std::chrono::milliseconds(50);
  o.backoff.cap = std::chrono::milliseconds(500);
  return o;
}

// Runs the client on its own io_context thread, like the daemon does.
class Harness {
 public:
  explicit Harness(const ClientConfig& config, ReflectorOptions options = fast_options())
      : work_(io_.get_executor()), client_(io_, config), informers_(client_, options) {
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Harness() {
    informers_.stop();
    client_.shutdown();
    work_.reset();
    thread_.join();  // the loops end once their connections are closed
  }

  Client& client() { return client_; }
  InformerSet& informers() { return informers_; }
  boost::asio::io_context& io() { return io_; }

  // Runs an asynchronous client call and waits for its callback.
  template <class T, class Call>
  ApiResult<T> wait(Call&& call) {
    std::promise<ApiResult<T>> promise;
    auto future = promise.get_future();
    call([&promise](ApiResult<T> r) { promise.set_value(std::move(r)); });
    return future.get();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  Client client_;
  InformerSet informers_;
  std::thread thread_;
};

// What the handlers of one kind reported, replayed into a key -> resourceVersion map. Any
// inconsistency (an add for a key already present, an update or delete of an unknown key, an
// update whose old version is not the one last seen) is recorded as an error.
template <class T>
class EventLog {
 public:
  EventHandlers<T> handlers() {
    EventHandlers<T> h;
    h.on_add = [this](const auto& p) {
      std::lock_guard lock(mutex_);
      ++adds_;
      if (!model_.emplace(p->meta.key(), p->meta.resource_version).second) {
        errors_.push_back("duplicate add " + p->meta.key());
      }
    };
    h.on_update = [this](const auto& old, const auto& now) {
      std::lock_guard lock(mutex_);
      ++updates_;
      auto it = model_.find(now->meta.key());
      if (it == model_.end()) {
        errors_.push_back("update of unknown " + now->meta.key());
        return;
      }
      if (it->second != old->meta.resource_version) {
        errors_.push_back("update of " + now->meta.key() + " from unseen version");
      }
      it->second = now->meta.resource_version;
    };
    h.on_delete = [this](const auto& p) {
      std::lock_guard lock(mutex_);
      ++deletes_;
      if (model_.erase(p->meta.key()) == 0) {
        errors_.push_back("delete of unknown " + p->meta.key());
      }
    };
    return h;
  }

  std::map<std::string, std::string> model() const {
    std::lock_guard lock(mutex_);
    return model_;
  }
  std::vector<std::string> errors() const {
    std::lock_guard lock(mutex_);
    return errors_;
  }
  int deletes() const {
    std::lock_guard lock(mutex_);
    return deletes_;
  }
  int updates() const {
    std::lock_guard lock(mutex_);
    return updates_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> model_;
  std::vector<std::string> errors_;
  int adds_ = 0;
  int updates_ = 0;
  int deletes_ = 0;
};

// key -> resourceVersion of every object in a cluster-wide collection, as the server has it.
inline std::map<std::string, std::string> server_state(const kr::testing::ApiServerLite& api,
                                                       const std::string& collection) {
  const kr::testing::HttpResponse r = api.get(collection);
  EXPECT_EQ(r.status, 200) << r.body;
  std::map<std::string, std::string> out;
  const boost::json::value list = boost::json::parse(r.body);
  for (const auto& item : list.at("items").as_array()) {
    const auto& meta = item.at("metadata").as_object();
    std::string key;
    if (const auto* ns = meta.if_contains("namespace")) {
      key = std::string(ns->as_string()) + "/";
    }
    key += std::string(meta.at("name").as_string());
    out[key] = std::string(meta.at("resourceVersion").as_string());
  }
  return out;
}

// key -> resourceVersion of an informer's cache.
template <class T>
std::map<std::string, std::string> cache_state(const Informer<T>& informer) {
  std::map<std::string, std::string> out;
  informer.snapshot().for_each(
      [&](const auto& p) { out[p->meta.key()] = p->meta.resource_version; });
  return out;
}

}  // namespace kr::k8s::testing
