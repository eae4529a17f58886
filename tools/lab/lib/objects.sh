# shellcheck shell=bash
# JSON for the Kubernetes objects the lab registers (built with jq, so
# values are always escaped correctly).

# key=value arguments to a JSON object; keys and values checked against
# the Kubernetes label syntax (apimachinery validation.IsQualifiedName,
# IsValidLabelValue) so the API never sees a malformed one.
labels_json() {
  local json='{}' pair key value
  for pair in "$@"; do
    [[ "$pair" == *=* ]] || die "label '$pair' is not key=value"
    key=${pair%%=*} value=${pair#*=}
    [[ "$key" =~ ^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$ ]] &&
      [ ${#key} -le 316 ] || die "label key '$key' is not valid"
    [[ "$value" =~ ^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$ ]] && [ ${#value} -le 63 ] ||
      die "label value '$value' (key $key) is not valid"
    json=$(jq -c --arg k "$key" --arg v "$value" '. + {($k): $v}' <<<"$json")
  done
  printf '%s' "$json"
}

namespace_json() {  # NAME LABELS_JSON
  jq -cn --arg name "$1" --argjson labels "$2" \
    '{apiVersion: "v1", kind: "Namespace", metadata: {name: $name, labels: $labels}}'
}

# A Node as the kubelet would register it: addresses, pod CIDR, Ready.
node_json() {  # NAME IP POD_CIDR
  jq -cn --arg name "$1" --arg ip "$2" --arg cidr "$3" '{
    apiVersion: "v1", kind: "Node",
    metadata: {name: $name, labels: {"kubernetes.io/hostname": $name, "kubernetes.io/os": "linux"}},
    spec: {podCIDR: $cidr, podCIDRs: [$cidr]},
    status: {
      addresses: [{type: "InternalIP", address: $ip}, {type: "Hostname", address: $name}],
      conditions: [{type: "Ready", status: "True", reason: "KubeletReady"}]
    }
  }'
}

# A running Pod on NODE with the addresses CNI gave it.
pod_json() {  # NAMESPACE NAME NODE HOST_IP LABELS_JSON IP...
  local namespace=$1 name=$2 node=$3 host_ip=$4 labels=$5
  shift 5
  jq -cn --arg ns "$namespace" --arg name "$name" --arg node "$node" --arg host "$host_ip" \
    --argjson labels "$labels" --args '{
    apiVersion: "v1", kind: "Pod",
    metadata: {name: $name, namespace: $ns, labels: $labels},
    spec: {nodeName: $node, containers: [{name: "main", image: "kr-lab/netns-only"}]},
    status: {
      phase: "Running",
      conditions: [{type: "Ready", status: "True"}],
      hostIP: $host, hostIPs: [{ip: $host}],
      podIP: $ARGS.positional[0], podIPs: [$ARGS.positional[] | {ip: .}]
    }
  }' "$@"
}
