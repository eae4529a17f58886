#include "continue_token.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base64.h"

namespace kr::apiserver_lite {
namespace json = boost::json;

std::string encode_continue(const ContinueToken& token) {
  json::object out;
  out["v"] = "meta.k8s.io/v1";
  out["rv"] = token.resource_version;
  out["start"] = token.start_key;
  return base64url_raw_encode(json::serialize(out));
}

ContinueToken decode_continue(std::string_view text) {
  const auto raw = base64url_raw_decode(text);
  if (!raw) {
    throw ContinueTokenError("continue key is not valid: illegal base64 data");
  }
  boost::system::error_code ec;
  const json::value parsed = json::parse(*raw, ec);
  if (ec || !parsed.is_object()) {
    throw ContinueTokenError("continue key is not valid: not a JSON object");
  }
  const json::object& object = parsed.get_object();
  const json::value* version = object.if_contains("v");
  const json::value* rv = object.if_contains("rv");
  const json::value* start = object.if_contains("start");
  if (version == nullptr || !version->is_string() || version->get_string() != "meta.k8s.io/v1") {
    throw ContinueTokenError(
        "continue key is not valid: server does not recognize this encoded version");
  }
  if (rv == nullptr || !rv->is_int64() || rv->get_int64() == 0 || rv->get_int64() < -1) {
    throw ContinueTokenError("continue key is not valid: incorrect encoded start resourceVersion");
  }
  if (start == nullptr || !start->is_string() || start->get_string().empty()) {
    throw ContinueTokenError("continue key is not valid: encoded start key empty");
  }
  return {rv->get_int64(), std::string(start->get_string())};
}

}  // namespace kr::apiserver_lite
