#include "lister.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api_error.h"
#include "continue_token.h"
#include "selection.h"

namespace kr::apiserver_lite {
namespace json = boost::json;

namespace {

struct Plan {
  uint64_t snapshot_rv = 0;  // 0: now
  uint64_t list_rv = 0;      // what metadata.resourceVersion reports
  std::string start_key;     // first key to consider
  bool paginate = true;
};

Plan plan_from_continue(const Store& store, const ListOptions& options) {
  if (options.resource_version && *options.resource_version != 0) {
    throw bad_request("specifying resource version is not allowed when using continue");
  }
  ContinueToken token;
  try {
    token = decode_continue(options.continue_token);
  } catch (const ContinueTokenError& e) {
    throw bad_request(e.what());
  }
  if (token.resource_version == -1) {
    // The "inconsistent" token from a 410: carry on at the latest revision.
    return {0, store.current_rv(), token.start_key};
  }
  const auto rv = static_cast<uint64_t>(token.resource_version);
  if (rv > store.current_rv()) {
    throw bad_request("continue key is not valid: resource version is in the future");
  }
  if (rv < store.compacted_rv()) {
    // etcd3 store: the snapshot is gone; offer a token that continues inconsistently.
    ApiError error = expired(
        "The provided continue parameter is too old to display a consistent list result. You "
        "can start a new list without the continue parameter, or use the continue token in this "
        "response to retrieve the remainder of the results. Continuing with the provided token "
        "results in an inconsistent list - objects that were created, modified, or deleted "
        "between the time the first chunk was returned and now may show up in the list.");
    error.continue_token = encode_continue({-1, token.start_key});
    throw error;  // NOLINT(misc-throw-by-value-catch-by-reference): named to set the token first
  }
  return {rv, rv, token.start_key};
}

Plan make_plan(const Store& store, const ListOptions& options) {
  if (!options.continue_token.empty()) {
    return plan_from_continue(store, options);
  }
  const uint64_t now = store.current_rv();
  if (!options.resource_version) {
    return {0, now, "", true};  // most recent: a consistent read
  }
  const uint64_t rv = *options.resource_version;
  if (rv == 0) {
    // "Any" version: served from the watch cache in kube-apiserver 1.32, which does not chunk,
    // so limit is ignored and the whole list comes back in one response.
    return {0, now, "", false};
  }
  if (rv > now) {
    throw too_large_resource_version(rv, now);
  }
  // Exact, and also the legacy form (no resourceVersionMatch) when a limit is given: the etcd3
  // store then lists at exactly that revision (api-concepts, "Semantics for get and list").
  if (options.match == ListOptions::Match::kExact ||
      (options.match == ListOptions::Match::kUnset && options.limit > 0)) {
    return {rv, rv, "", true};
  }
  return {0, now, "", true};  // NotOlderThan: the latest qualifies
}

}  // namespace

std::string list_objects(const Store& store, const ResourceType& type, std::string_view ns,
                         const ListOptions& options) {
  const Plan plan = make_plan(store, options);
  const Selection selection{std::string(ns), options.labels, options.fields};
  const std::string prefix = ns.empty() ? std::string() : std::string(ns) + "/";
  Store::Snapshot snapshot;
  try {
    snapshot = store.snapshot(type, prefix, plan.snapshot_rv);
  } catch (const RevisionCompacted&) {
    throw expired("The resourceVersion for the provided list is too old.");
  }

  json::array items;
  const int64_t limit = plan.paginate ? options.limit : 0;
  std::string last_key;
  auto it = snapshot.lower_bound(plan.start_key);
  for (; it != snapshot.end(); ++it) {
    if (limit > 0 && static_cast<int64_t>(items.size()) == limit) {
      break;
    }
    if (!selection.matches(*it->second)) {
      continue;
    }
    // Items of a typed list carry no apiVersion/kind, as kube-apiserver encodes them.
    json::object item = *it->second;
    item.erase("apiVersion");
    item.erase("kind");
    items.push_back(std::move(item));
    last_key = it->first;
  }

  json::object metadata;
  metadata["resourceVersion"] = std::to_string(plan.list_rv);
  if (it != snapshot.end()) {
    metadata["continue"] =
        encode_continue({static_cast<int64_t>(plan.list_rv), last_key + std::string(1, '\0')});
    // Only exact without selectors: the count of keys left, as etcd reports it.
    if (!selection.filters()) {
      metadata["remainingItemCount"] = static_cast<int64_t>(std::distance(it, snapshot.end()));
    }
  }
  json::object list;
  list["kind"] = type.list_kind();
  list["apiVersion"] = type.api_version();
  list["metadata"] = std::move(metadata);
  list["items"] = std::move(items);
  return json::serialize(list);
}

}  // namespace kr::apiserver_lite
