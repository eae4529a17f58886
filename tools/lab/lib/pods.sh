# shellcheck shell=bash
# lab.sh pod-add / pod-del / exec: pods are network namespaces wired into
# their node by the CNI bridge + host-local plugins, registered in the API.

pod_state_file() { printf '%s/pods/%s/%s.env' "$LAB_DIR" "$1" "$2"; }

cmd_pod_add() {  # NODE NAMESPACE NAME [key=value...]
  [ $# -ge 3 ] || die "usage: lab.sh pod-add NODE NAMESPACE NAME [key=value labels...]"
  require_root
  require_lab
  local index node namespace=$2 name=$3 labels
  index=$(node_index "$1")
  node=$(node_name "$index")
  validate_dns_label namespace "$namespace"
  validate_dns_subdomain "pod name" "$name"
  shift 3
  labels=$(labels_json "$@")
  local state netns container_id conflist
  state=$(pod_state_file "$namespace" "$name")
  netns=$(pod_netns_name "$namespace" "$name")
  [ ! -e "$state" ] && ! netns_exists "$netns" || die "pod $namespace/$name already exists"
  container_id="$LAB_PREFIX-$namespace-$name"
  conflist=$(node_dir "$node")/cni/10-kuberouter.conflist

  # Make sure the namespace exists in the API, as a real cluster requires.
  resolve_kind Namespace
  if ! api_request GET "$(api_path "" "$namespace")"; then
    [ "$API_STATUS" = 404 ] || die "read namespace $namespace: $(api_error)"
    apply_object "$(namespace_json "$namespace" '{}')" >/dev/null
  fi

  netns_add "$netns"
  local result ips
  if ! result=$(cni_run ADD "$conflist" "$node" "$container_id" "$netns" eth0); then
    netns_delete "$netns"
    die "pod $namespace/$name: the CNI plugins failed (config $conflist)"
  fi
  mapfile -t ips < <(cni_result_ips "$result")
  if [ ${#ips[@]} -eq 0 ]; then
    cni_run DEL "$conflist" "$node" "$container_id" "$netns" eth0 >/dev/null || true
    netns_delete "$netns"
    die "pod $namespace/$name: CNI returned no address: $result"
  fi
  mkdir -p "$(dirname "$state")"
  {
    printf 'POD_NODE=%q\n' "$node"
    printf 'POD_NETNS=%q\n' "$netns"
    printf 'POD_CONTAINER_ID=%q\n' "$container_id"
    printf 'POD_IPS=%q\n' "${ips[*]}"
  } >"$state"
  if ! (apply_object "$(pod_json "$namespace" "$name" "$node" "$(node_ip "$index")" "$labels" \
    "${ips[@]}")") >/dev/null; then
    pod_teardown "$namespace" "$name"
    die "pod $namespace/$name: could not register it in the API"
  fi
  printf 'pod %s/%s on %s: %s (netns %s)\n' "$namespace" "$name" "$node" "${ips[*]}" "$netns"
}

# Undoes the network side of a pod: CNI DEL (frees the lease), netns, state.
pod_teardown() {  # NAMESPACE NAME
  local state
  state=$(pod_state_file "$1" "$2")
  [ -f "$state" ] || return 0
  local POD_NODE POD_NETNS POD_CONTAINER_ID POD_IPS
  # shellcheck source=/dev/null
  . "$state"
  cni_run DEL "$(node_dir "$POD_NODE")/cni/10-kuberouter.conflist" "$POD_NODE" \
    "$POD_CONTAINER_ID" "$POD_NETNS" eth0 >/dev/null || log "CNI DEL for $1/$2 failed; continuing"
  netns_delete "$POD_NETNS"
  rm -f "$state"
}

cmd_pod_del() {  # NODE NAMESPACE NAME
  [ $# -eq 3 ] || die "usage: lab.sh pod-del NODE NAMESPACE NAME"
  require_root
  require_lab
  local index node state
  index=$(node_index "$1")
  node=$(node_name "$index")
  state=$(pod_state_file "$2" "$3")
  [ -f "$state" ] || die "no lab pod $2/$3"
  grep -qxF "POD_NODE=$node" "$state" || die "pod $2/$3 is not on $node ($(grep POD_NODE "$state"))"
  api_delete Pod "$2" "$3" || log "pod $2/$3 was not in the API"
  pod_teardown "$2" "$3"
  printf 'pod %s/%s deleted\n' "$2" "$3"
}

# The network namespace of a node ("kr-lab-node1", "node1", "1"), the switch
# ("sw") or a pod ("NAMESPACE/NAME", or "NAME" in namespace default).
target_netns() {  # TARGET
  local target=$1
  case "$target" in
    sw | switch | "$LAB_SW_NETNS") printf '%s' "$LAB_SW_NETNS"; return ;;
  esac
  local namespace=default name=$target
  if [[ "$target" == */* ]]; then namespace=${target%%/*} name=${target#*/}; fi
  if [ -f "$(pod_state_file "$namespace" "$name")" ]; then
    pod_netns_name "$namespace" "$name"
    return
  fi
  case "$target" in
    */*) die "no lab pod $target (lab.sh status lists them)" ;;
    "$LAB_PREFIX"-node* | node* | [0-9]*) ;;
    *) die "'$target' is neither a lab node nor a pod in namespace default (lab.sh status)" ;;
  esac
  local index
  index=$(node_index "$target")
  node_name "$index"
}

cmd_exec() {  # TARGET CMD...
  [ $# -ge 2 ] || die "usage: lab.sh exec NODE-or-POD COMMAND [ARGS...]"
  require_root
  require_lab
  local netns
  netns=$(target_netns "$1")
  shift
  exec ip netns exec "$netns" "$@"
}
