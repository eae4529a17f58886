#include "k8s/client.h"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "k8s/decode.h"
#include "k8s/resources.h"
#include "k8s/rest_transport.h"
#include "k8s/time.h"

namespace kr::k8s {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// A namespace or name that could change the request path is refused before sending.
bool is_path_segment(std::string_view s) {
  return !s.empty() && s.find_first_of("/?#% ") == std::string_view::npos && s != "." && s != "..";
}

template <class T>
ApiResult<T> to_result(const HttpResponse& response) {
  ApiResult<T> result;
  result.http_status = response.status;
  if (response.status == 0) {
    result.message = response.error;
    return result;
  }
  boost::system::error_code ec;
  json::value body = json::parse(response.body, ec);
  const json::object* object = !ec && body.is_object() ? &body.get_object() : nullptr;
  if (response.status == 200 || response.status == 201) {
    if (object == nullptr) {
      result.message = "response is not a JSON object";
      return result;
    }
    try {
      result.object = std::make_shared<const T>(decode<T>(*object));
      result.status = ApiStatus::kOk;
    } catch (const DecodeError& e) {
      result.message = e.what();
    }
    return result;
  }
  std::string reason;
  if (object != nullptr) {
    if (const json::value* m = object->if_contains("message"); m && m->is_string()) {
      result.message = std::string(m->get_string());
    }
    if (const json::value* r = object->if_contains("reason"); r && r->is_string()) {
      reason = std::string(r->get_string());
    }
  }
  if (result.message.empty()) {
    result.message = fmt::format("HTTP {}", response.status);
  }
  if (response.status == 404) {
    result.status = ApiStatus::kNotFound;
  } else if (response.status == 409) {
    result.status = reason == "AlreadyExists" ? ApiStatus::kAlreadyExists : ApiStatus::kConflict;
  }
  return result;
}

template <class T>
void call(asio::io_context& io, const std::shared_ptr<RestTransport>& transport, Method method,
          std::string target, std::string body, std::string content_type, ApiCallback<T> done) {
  asio::co_spawn(
      io,
      [transport, method, target = std::move(target), body = std::move(body),
       content_type = std::move(content_type),
       done = std::move(done)]() mutable -> asio::awaitable<void> {
        HttpResponse response = co_await transport->request(
            method, std::move(target), std::move(body), std::move(content_type));
        done(to_result<T>(response));
      },
      asio::detached);
}

template <class T>
void refuse(asio::io_context& io, ApiCallback<T> done, std::string message) {
  asio::post(io, [done = std::move(done), message = std::move(message)] {
    ApiResult<T> result;
    result.message = message;
    done(std::move(result));
  });
}

std::string encode_lease(const Lease& lease) {
  json::object metadata;
  metadata["name"] = lease.meta.name;
  metadata["namespace"] = lease.meta.namespace_.view();
  if (!lease.meta.resource_version.empty()) {
    metadata["resourceVersion"] = lease.meta.resource_version;
  }
  json::object spec;
  if (lease.holder_identity) {
    spec["holderIdentity"] = *lease.holder_identity;
  }
  if (lease.lease_duration_seconds) {
    spec["leaseDurationSeconds"] = *lease.lease_duration_seconds;
  }
  if (lease.acquire_time) {
    spec["acquireTime"] = format_micro_time(*lease.acquire_time);
  }
  if (lease.renew_time) {
    spec["renewTime"] = format_micro_time(*lease.renew_time);
  }
  if (lease.lease_transitions) {
    spec["leaseTransitions"] = *lease.lease_transitions;
  }
  json::object root;
  root["apiVersion"] = "coordination.k8s.io/v1";
  root["kind"] = "Lease";
  root["metadata"] = std::move(metadata);
  root["spec"] = std::move(spec);
  return json::serialize(root);
}

}  // namespace

Client::Client(asio::io_context& io, const ClientConfig& config)
    : io_(io), transport_(std::make_shared<RestTransport>(io, config)) {}

Client::~Client() = default;

void Client::shutdown() { transport_->shutdown(); }

template <class T>
void Client::get(std::string ns, std::string name, ApiCallback<T> done) {
  if (!is_path_segment(name) || (!ns.empty() && !is_path_segment(ns))) {
    refuse(io_, std::move(done),
           fmt::format("invalid {} name \"{}/{}\"", Resource<T>::kKind, ns, name));
    return;
  }
  call<T>(io_, transport_, Method::kGet, object_path<T>(ns, name), {}, {}, std::move(done));
}

template void Client::get<Node>(std::string, std::string, ApiCallback<Node>);
template void Client::get<Pod>(std::string, std::string, ApiCallback<Pod>);
template void Client::get<Service>(std::string, std::string, ApiCallback<Service>);
template void Client::get<Namespace>(std::string, std::string, ApiCallback<Namespace>);
template void Client::get<EndpointSlice>(std::string, std::string, ApiCallback<EndpointSlice>);
template void Client::get<NetworkPolicy>(std::string, std::string, ApiCallback<NetworkPolicy>);
template void Client::get<Lease>(std::string, std::string, ApiCallback<Lease>);

void Client::create_lease(const Lease& lease, ApiCallback<Lease> done) {
  const std::string_view ns = lease.meta.namespace_.view();
  if (!is_path_segment(ns) || !is_path_segment(lease.meta.name)) {
    refuse(io_, std::move(done), fmt::format("invalid Lease name \"{}/{}\"", ns, lease.meta.name));
    return;
  }
  Lease body = lease;
  body.meta.resource_version.clear();  // a create carries no precondition
  call<Lease>(
      io_, transport_, Method::kPost,
      fmt::format("{}/namespaces/{}/{}", Resource<Lease>::kPrefix, ns, Resource<Lease>::kPlural),
      encode_lease(body), "application/json", std::move(done));
}

void Client::update_lease(const Lease& lease, ApiCallback<Lease> done) {
  const std::string_view ns = lease.meta.namespace_.view();
  if (!is_path_segment(ns) || !is_path_segment(lease.meta.name)) {
    refuse(io_, std::move(done), fmt::format("invalid Lease name \"{}/{}\"", ns, lease.meta.name));
    return;
  }
  if (lease.meta.resource_version.empty()) {
    refuse(io_, std::move(done),
           fmt::format("update of Lease {}/{} needs a resourceVersion", ns, lease.meta.name));
    return;
  }
  call<Lease>(io_, transport_, Method::kPut, object_path<Lease>(ns, lease.meta.name),
              encode_lease(lease), "application/json", std::move(done));
}

void Client::patch_service_status(std::string ns, std::string name,
                                  std::vector<LoadBalancerIngress> ingress,
                                  std::string resource_version, ApiCallback<Service> done) {
  if (!is_path_segment(ns) || !is_path_segment(name)) {
    refuse(io_, std::move(done), fmt::format("invalid Service name \"{}/{}\"", ns, name));
    return;
  }
  json::array entries;
  for (const LoadBalancerIngress& i : ingress) {
    json::object e;
    if (!i.ip.empty()) {
      e["ip"] = i.ip;
    }
    if (!i.hostname.empty()) {
      e["hostname"] = i.hostname;
    }
    if (!i.ip_mode.empty()) {
      e["ipMode"] = i.ip_mode.view();
    }
    entries.push_back(std::move(e));
  }
  json::object patch;
  // A merge patch replaces lists wholesale (RFC 7386 §2), which is what the allocator wants.
  patch["status"] = json::object{{"loadBalancer", json::object{{"ingress", std::move(entries)}}}};
  if (!resource_version.empty()) {
    patch["metadata"] = json::object{{"resourceVersion", resource_version}};
  }
  call<Service>(io_, transport_, Method::kPatch, object_path<Service>(ns, name) + "/status",
                json::serialize(patch), "application/merge-patch+json", std::move(done));
}

}  // namespace kr::k8s
