// One page of a LIST response, fed to an ObjectSink: the step between receiving the bytes and
// updating the cache, shared by the reflector and the informer benchmark.
#pragma once

#include <string>
#include <string_view>

#include "k8s/informer.h"
#include "k8s/metrics.h"

namespace kr::k8s {

struct ListPage {
  bool ok = false;               // false: the body is not a JSON list object
  std::string error;             // why, when !ok
  std::string continue_token;    // metadata.continue; empty on the last page
  std::string resource_version;  // metadata.resourceVersion
};

// Parses `body` and calls sink.list_item for every item; items that are not JSON objects are
// counted as decode errors and skipped.
ListPage feed_list_page(std::string_view body, ObjectSink& sink, KindMetrics& metrics);

}  // namespace kr::k8s
