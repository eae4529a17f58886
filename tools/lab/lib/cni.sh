# shellcheck shell=bash
# Pod networking with the real CNI plugins (Debian containernetworking-plugins),
# run by hand the way a container runtime would, inside the node's namespace.

# The node's CNI config: what kube-router's DaemonSet ConfigMap ships
# (spec cni-node.md §4.5, §9.2) with the node's pod CIDR already in the
# host-local ranges. kube-router finds it through KUBE_ROUTER_CNI_CONF_FILE and
# rewrites it in place (it keeps the dataDir key: unknown keys are preserved).
# host-local keeps its leases under the node's state dir, not /var/lib/cni,
# so nodes do not share lease files and `down` leaves nothing behind.
cni_conf_write() {  # FILE POD_CIDR LEASE_DIR
  mkdir -p "$(dirname "$1")"
  jq -n --arg cidr "$2" --arg dir "$3" '{
    cniVersion: "0.3.0",
    name: "mynet",
    plugins: [{
      name: "kubernetes",
      type: "bridge",
      bridge: "kube-bridge",
      isDefaultGateway: true,
      hairpinMode: true,
      ipam: {type: "host-local", dataDir: $dir, ranges: [[{subnet: $cidr}]]}
    }]
  }' >"$1"
}

# Runs one CNI command over every plugin of the conflist (ADD in order, each
# given the previous result as prevResult; DEL in reverse), inside NODE_NETNS.
# Prints the last ADD result. CNI spec: "Network configuration lists".
cni_run() {  # ADD|DEL CONFLIST NODE_NETNS CONTAINER_ID POD_NETNS IFNAME
  local command=$1 conflist=$2 node_netns=$3 container_id=$4 pod_netns=$5 ifname=$6
  local count index order result="" conf out
  [ -r "$conflist" ] || die "CNI config $conflist is missing"
  count=$(jq '.plugins | length' "$conflist") || die "CNI config $conflist is not valid JSON"
  [ "$count" -gt 0 ] || die "CNI config $conflist has no plugins"
  if [ "$command" = ADD ]; then order=$(seq 0 $((count - 1))); else order=$(seq $((count - 1)) -1 0); fi
  for index in $order; do
    conf=$(jq -c --argjson i "$index" --arg prev "$result" '
      .plugins[$i] + {cniVersion: .cniVersion, name: .name}
      + (if $prev == "" then {} else {prevResult: ($prev | fromjson)} end)' "$conflist")
    local plugin
    plugin=$(jq -r '.type' <<<"$conf")
    [ -x "$CNI_BIN_DIR/$plugin" ] || die "CNI plugin $CNI_BIN_DIR/$plugin is not installed"
    if ! out=$(ip netns exec "$node_netns" env CNI_COMMAND="$command" \
      CNI_CONTAINERID="$container_id" CNI_NETNS="/var/run/netns/$pod_netns" \
      CNI_IFNAME="$ifname" CNI_PATH="$CNI_BIN_DIR" "$CNI_BIN_DIR/$plugin" <<<"$conf"); then
      # Plugins report errors as a JSON object on stdout (CNI spec "Error").
      local message
      message=$(jq -r '[.msg, .details] | map(select(. != null and . != "")) | join(": ")' \
        <<<"$out" 2>/dev/null || true)
      printf 'CNI %s %s failed: %s\n' "$command" "$plugin" "${message:-$out}" >&2
      return 1
    fi
    [ "$command" = DEL ] || result=$out
  done
  printf '%s\n' "$result"
}

# The pod addresses in an ADD result, without prefix length, one per line.
cni_result_ips() {
  jq -r '.ips[]?.address | split("/")[0]' <<<"$1"
}
