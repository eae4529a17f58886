// The JSON patch formats the PATCH verb accepts:
//   application/merge-patch+json   RFC 7386 JSON Merge Patch
//   application/json-patch+json    RFC 6902 JSON Patch (pointers per RFC 6901)
//   application/strategic-merge-patch+json  approximated, see strategic_merge_patch
#pragma once

#include <boost/json/value.hpp>
#include <stdexcept>

namespace kr::apiserver_lite {

class PatchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// RFC 7386 section 2: objects merge recursively, null deletes a member, anything else
// (arrays included) replaces the target.
boost::json::value merge_patch(const boost::json::value& target, const boost::json::value& patch);

// Strategic merge patch treated as a JSON merge patch. Differences from the real thing: lists
// are replaced, not merged by their patchMergeKey (e.g. containers by name), and directives are
// reduced to `$patch: replace|delete` on maps; `$setElementOrder/...`, `$retainKeys` and
// `$deleteFromPrimitiveList/...` are dropped. That covers what kubectl patch/label/annotate and
// client-go send for maps and scalar fields, which is what our tests and the lab use.
boost::json::value strategic_merge_patch(const boost::json::value& target,
                                         const boost::json::value& patch);

// RFC 6902: applies every operation in order to a copy of `target`; throws PatchError (naming the
// operation index and path) if the document is malformed or any operation fails, in which case
// nothing is applied (section 5: a patch is atomic).
boost::json::value json_patch(const boost::json::value& target, const boost::json::value& patch);

}  // namespace kr::apiserver_lite
