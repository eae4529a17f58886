#include "merge_keys.h"

#include <array>
#include <utility>

namespace kr::apiserver_lite {
namespace {

struct Entry {
  std::string_view kind;  // "" for every kind
  std::string_view path;
  std::string_view key;  // "" for primitive lists
};

// From k8s.io/api core/v1 and meta/v1 types.go (fields with patchStrategy:"merge").
constexpr std::array kEntries = {
    Entry{"", "metadata.finalizers", ""},
    Entry{"", "metadata.ownerReferences", "uid"},
    Entry{"Pod", "spec.containers", "name"},
    Entry{"Pod", "spec.initContainers", "name"},
    Entry{"Pod", "spec.ephemeralContainers", "name"},
    Entry{"Pod", "spec.volumes", "name"},
    Entry{"Pod", "spec.imagePullSecrets", "name"},
    Entry{"Pod", "spec.hostAliases", "ip"},
    Entry{"Pod", "spec.schedulingGates", "name"},
    Entry{"Pod", "spec.resourceClaims", "name"},
    Entry{"Pod", "spec.containers[].ports", "containerPort"},
    Entry{"Pod", "spec.containers[].env", "name"},
    Entry{"Pod", "spec.containers[].volumeMounts", "mountPath"},
    Entry{"Pod", "spec.containers[].volumeDevices", "devicePath"},
    Entry{"Pod", "spec.initContainers[].ports", "containerPort"},
    Entry{"Pod", "spec.initContainers[].env", "name"},
    Entry{"Pod", "spec.initContainers[].volumeMounts", "mountPath"},
    Entry{"Pod", "spec.initContainers[].volumeDevices", "devicePath"},
    Entry{"Pod", "status.conditions", "type"},
    Entry{"Pod", "status.podIPs", "ip"},
    Entry{"Pod", "status.hostIPs", "ip"},
    Entry{"Service", "spec.ports", "port"},
    Entry{"Service", "status.conditions", "type"},
    Entry{"Node", "spec.podCIDRs", ""},
    Entry{"Node", "status.addresses", "type"},
    Entry{"Node", "status.conditions", "type"},
    Entry{"Namespace", "status.conditions", "type"},
};

}  // namespace

std::optional<std::string> list_merge_key(std::string_view kind, std::string_view path) {
  for (const auto& entry : kEntries) {
    if ((entry.kind.empty() || entry.kind == kind) && entry.path == path) {
      return std::string(entry.key);
    }
  }
  return std::nullopt;
}

}  // namespace kr::apiserver_lite
