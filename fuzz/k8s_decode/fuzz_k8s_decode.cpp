// Fuzzes the path API-server bytes take into the informer caches: the first byte picks the kind,
// the first line of the rest is fed as a LIST page and every further line as the object of a
// watch event (ADDED, MODIFIED, DELETED in turn), so decoding, malformed-object bookkeeping and
// cache replacement all see hostile input. Anything but a crash, leak or UB is fine: bad objects
// are reported and skipped by design (design.md section 5).
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/log.h"
#include "k8s/decode.h"
#include "k8s/informer.h"
#include "k8s/list_page.h"

namespace {

using kr::k8s::WatchEventType;

template <class T>
void feed(std::string_view input) {
  boost::asio::io_context io;
  kr::k8s::KindMetrics metrics;
  kr::k8s::Informer<T> informer(io, metrics);

  const size_t first_newline = input.find('\n');
  informer.begin_list();
  kr::k8s::feed_list_page(input.substr(0, first_newline), informer, metrics);
  informer.end_list();
  if (first_newline == std::string_view::npos) {
    return;
  }
  constexpr WatchEventType kTypes[] = {WatchEventType::kAdded, WatchEventType::kModified,
                                       WatchEventType::kDeleted};
  size_t event = 0;
  std::string_view rest = input.substr(first_newline + 1);
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    boost::system::error_code ec;
    const boost::json::value line = boost::json::parse(rest.substr(0, end), ec);
    if (!ec && line.is_object()) {
      informer.watch_event(kTypes[event++ % 3], line.get_object());
    }
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  }
  (void)informer.snapshot();
}

// Kinds without an informer (the Lease is only read and written by the LB allocator): each line
// is one object for decode<T>, which may only throw DecodeError.
template <class T>
void decode_lines(std::string_view input) {
  while (!input.empty()) {
    const size_t end = input.find('\n');
    boost::system::error_code ec;
    const boost::json::value line = boost::json::parse(input.substr(0, end), ec);
    if (!ec && line.is_object()) {
      try {
        (void)kr::k8s::decode<T>(line.get_object());
      } catch (const kr::k8s::DecodeError&) {
      }
    }
    input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
  }
}

}  // namespace

// Bad objects are logged by design; at fuzzing rates that would bury libFuzzer's own report, so
// this binary's log goes nowhere (it is linked instead of src/base/log.cpp).
namespace kr::log {
void set_verbosity(int /*level*/) {}
int verbosity() { return 0; }
void write(Severity /*severity*/, const char* /*file*/, int /*line*/,
           std::string_view /*message*/) {}
}  // namespace kr::log

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 7) {
    case 0:
      feed<kr::k8s::Pod>(input);
      break;
    case 1:
      feed<kr::k8s::Node>(input);
      break;
    case 2:
      feed<kr::k8s::Namespace>(input);
      break;
    case 3:
      feed<kr::k8s::Service>(input);
      break;
    case 4:
      feed<kr::k8s::EndpointSlice>(input);
      break;
    case 5:
      feed<kr::k8s::NetworkPolicy>(input);
      break;
    default:
      decode_lines<kr::k8s::Lease>(input);
      break;
  }
  return 0;
}
