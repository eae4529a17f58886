// The strategic-merge-patch metadata of the served kinds: which lists merge instead of being
// replaced, and by which key (the patchStrategy/patchMergeKey struct tags of k8s.io/api).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kr::apiserver_lite {

// For a list field at `path` (dotted, "[]" marking list elements, e.g. "spec.containers[].env")
// of `kind`: nullopt when the list is replaced wholesale, "" when it is a set of primitives
// merged by value, otherwise the merge key.
std::optional<std::string> list_merge_key(std::string_view kind, std::string_view path);

}  // namespace kr::apiserver_lite
