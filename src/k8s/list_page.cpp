#include "k8s/list_page.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "base/log.h"

namespace kr::k8s {
namespace json = boost::json;

namespace {

std::string metadata_string(const json::object& list, std::string_view key) {
  const json::value* meta = list.if_contains("metadata");
  if (meta == nullptr || !meta->is_object()) {
    return {};
  }
  const json::value* v = meta->get_object().if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

ListPage feed_list_page(std::string_view body, ObjectSink& sink, KindMetrics& metrics) {
  ListPage page;
  // The DOM lives only while the items are decoded: an arena makes building and freeing it cheap.
  json::monotonic_resource arena;
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec, &arena);
  if (ec || !parsed.is_object()) {
    page.error = ec ? ec.message() : "not a JSON object";
    return page;
  }
  const json::object& list = parsed.get_object();
  if (const json::value* items = list.if_contains("items"); items != nullptr && items->is_array()) {
    for (const json::value& item : items->get_array()) {
      if (item.is_object()) {
        sink.list_item(item.get_object());
      } else {
        metrics.decode_errors_total.fetch_add(1, std::memory_order_relaxed);
        KR_ERROR("skipping malformed {} list item: not a JSON object", sink.kind());
      }
    }
  }
  page.continue_token = metadata_string(list, "continue");
  page.resource_version = metadata_string(list, "resourceVersion");
  page.ok = true;
  return page;
}

}  // namespace kr::k8s
