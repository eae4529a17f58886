// The JSON patch formats the PATCH verb accepts:
//   application/merge-patch+json   RFC 7386 JSON Merge Patch
//   application/json-patch+json    RFC 6902 JSON Patch (pointers per RFC 6901)
//   application/strategic-merge-patch+json  Kubernetes strategic merge patch
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kr::apiserver_lite {

class PatchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// RFC 7386 section 2: objects merge recursively, null deletes a member, anything else
// (arrays included) replaces the target.
boost::json::value merge_patch(const boost::json::value& target, const boost::json::value& patch);

// Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch), as kubectl apply, patch,
// label and annotate send it: maps merge like RFC 7386; lists named by `merge_key` (see
// merge_keys.h) merge element by element on their key (`$patch: delete` removes one, missing
// ones are kept), primitive merge lists are unions; all other lists are replaced. Directives:
// `$patch: replace|delete`, `$retainKeys`, `$deleteFromPrimitiveList/<f>`, `$setElementOrder/<f>`.
using MergeKeyLookup = std::optional<std::string> (*)(std::string_view kind, std::string_view path);
boost::json::value strategic_merge_patch(const boost::json::value& target,
                                         const boost::json::value& patch, std::string_view kind,
                                         MergeKeyLookup merge_key);

// RFC 6902: applies every operation in order to a copy of `target`; throws PatchError (naming the
// operation index and path) if the document is malformed or any operation fails, in which case
// nothing is applied (section 5: a patch is atomic).
boost::json::value json_patch(const boost::json::value& target, const boost::json::value& patch);

}  // namespace kr::apiserver_lite
