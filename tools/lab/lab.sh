#!/usr/bin/env bash
# A kube-router lab on one machine: nodes are network namespaces joined by a
# bridge, apiserver-lite is the Kubernetes API, pods are namespaces wired by
# the real CNI plugins. Needs root; touches nothing of the host's own network.
# Run `lab.sh help` for the commands.
set -euo pipefail
shopt -s inherit_errexit  # a failure inside $(...) fails the assignment that uses it

LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$LAB_HOME/../.." && pwd)
for lib in common netns api objects cni lifecycle pods; do
  # shellcheck source=/dev/null
  . "$LAB_HOME/lib/$lib.sh"
done

usage() {
  cat <<USAGE
usage: lab.sh COMMAND [ARGS]

  up [--nodes N] [--no-kube-router] [--no-deps] [--no-build] [--build-dir DIR] [-- FLAGS...]
        install dependencies, build, start apiserver-lite and N nodes (default 3)
        running kube-router with FLAGS added to its command line
  down  stop everything the lab started and delete its namespaces and state
  status
        what is running, addresses, pod CIDRs, pods, log files
  pod-add NODE NAMESPACE NAME [key=value...]
        a pod on NODE (kr-lab-node1, node1 or 1) wired by the CNI plugins, registered Running
  pod-del NODE NAMESPACE NAME
  ns-add NAME [key=value...]
        create (or relabel) a Kubernetes namespace
  apply FILE.json
        create or replace the objects in FILE (one object, a JSON array, or a List)
  delete KIND NAMESPACE NAME
        delete an API object (NAMESPACE is ignored for Node and Namespace; use -)
  exec NODE-or-POD COMMAND...
        run COMMAND in a node's, a pod's (NAMESPACE/NAME) or the switch's (sw) namespace
  logs NODE|apiserver [-f]

State lives in \$KR_LAB_DIR (default /run/kr-lab); namespace and node names start
with \$KR_LAB_PREFIX (default kr-lab).
USAGE
}

cmd_status() {
  require_lab
  local i name dir pid state
  printf 'lab state   %s\n' "$LAB_DIR"
  printf 'API         %s (host)   https://%s:%s (nodes)   apiserver-lite pid %s: %s\n' \
    "$(api_base)" "$LAB_API_IP" "$LAB_API_NETNS_PORT" "$LAB_API_PID" \
    "$(pid_is "$LAB_API_PID" apiserver-lite && echo running || echo STOPPED)"
  printf 'API log     %s\n' "$LAB_DIR/apiserver.log"
  printf '\n%-16s %-13s %-15s %-22s %s\n' NODE ADDRESS POD-CIDR KUBE-ROUTER LOG
  for i in $(seq "$LAB_NODES"); do
    name=$(node_name "$i")
    dir=$(node_dir "$name")
    local kr="not started"
    if [ -f "$dir/kube-router.pid" ]; then
      pid=$(cat "$dir/kube-router.pid")
      kr="pid $pid $(pid_is "$pid" kube-router && echo running || echo STOPPED)"
    fi
    printf '%-16s %-13s %-15s %-22s %s\n' "$name" "$(node_ip "$i")" "$(node_pod_cidr "$i")" \
      "$kr" "$dir/kube-router.log"
  done
  local pods=("$LAB_DIR"/pods/*/*.env)
  if [ -e "${pods[0]}" ]; then
    printf '\n%-30s %-16s %s\n' POD NODE IP
    for state in "${pods[@]}"; do
      local POD_NODE POD_IPS ns_name
      # shellcheck source=/dev/null
      . "$state"
      ns_name="$(basename "$(dirname "$state")")/$(basename "$state" .env)"
      printf '%-30s %-16s %s\n' "$ns_name" "$POD_NODE" "$POD_IPS"
    done
  fi
  printf '\nAPI access without kubectl:\n'
  printf '  curl --cacert %s -H @%s %s/api/v1/nodes\n' "$LAB_DIR/pki/ca.crt" \
    "$LAB_DIR/admin.header" "$(api_base)"
  if command -v kubectl >/dev/null 2>&1; then
    printf 'kubectl:\n  export KUBECONFIG=%s\n  kubectl get nodes -o wide\n' "$LAB_DIR/kubeconfig"
  else
    printf 'kubectl (not installed here) would use: export KUBECONFIG=%s\n' "$LAB_DIR/kubeconfig"
  fi
}

cmd_ns_add() {  # NAME [key=value...]
  [ $# -ge 1 ] || die "usage: lab.sh ns-add NAME [key=value labels...]"
  require_lab
  validate_dns_label namespace "$1"
  local name=$1
  shift
  apply_object "$(namespace_json "$name" "$(labels_json "$@")")"
}

cmd_apply() {  # FILE
  [ $# -eq 1 ] || die "usage: lab.sh apply FILE.json"
  require_lab
  [ -r "$1" ] || die "cannot read $1"
  local objects object
  objects=$(jq -c 'if type == "array" then .[]
    elif .kind == "List" or (.kind // "" | endswith("List")) then .items[]
    else . end' "$1") || die "$1 is not valid JSON"
  while IFS= read -r object; do
    [ -n "$object" ] && apply_object "$object"
  done <<<"$objects"
}

cmd_delete() {  # KIND NAMESPACE NAME
  [ $# -eq 3 ] || die "usage: lab.sh delete KIND NAMESPACE NAME"
  require_lab
  resolve_kind "$1"
  api_delete "$1" "$2" "$3" || die "$KIND_NAME $3 not found"
  printf '%s/%s deleted\n' "$(tr '[:upper:]' '[:lower:]' <<<"$KIND_NAME")" "$3"
  if [ "$KIND_NAME" = Pod ] && [ -f "$(pod_state_file "$2" "$3")" ]; then
    log "its network namespace remains; lab.sh pod-del removes both"
  fi
}

cmd_logs() {  # NODE|apiserver [-f]
  [ $# -ge 1 ] || die "usage: lab.sh logs NODE|apiserver [-f]"
  require_lab
  local file index
  if [ "$1" = apiserver ]; then
    file=$LAB_DIR/apiserver.log
  else
    index=$(node_index "$1")
    file=$(node_dir "$(node_name "$index")")/kube-router.log
  fi
  [ -f "$file" ] || die "no log at $file (is kube-router running? lab.sh status)"
  if [ "${2:-}" = -f ]; then exec tail -f "$file"; fi
  cat "$file"
}

main() {
  local command=${1:-help}
  [ $# -eq 0 ] || shift
  case "$command" in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    pod-add) cmd_pod_add "$@" ;;
    pod-del) cmd_pod_del "$@" ;;
    ns-add) cmd_ns_add "$@" ;;
    apply) cmd_apply "$@" ;;
    delete) cmd_delete "$@" ;;
    exec) cmd_exec "$@" ;;
    logs) cmd_logs "$@" ;;
    help | -h | --help) usage ;;
    *) usage >&2; die "unknown command '$command'" ;;
  esac
}

main "$@"
