# shellcheck shell=bash
# lab.sh up / down.

# What `up` starts kube-router with, besides the caller's extra flags (which
# come later, so scalar flags given there win).
kube_router_args() {  # INDEX EXTRA_ARGS...
  local name
  name=$(node_name "$1")
  shift
  printf '%s\n' --kubeconfig "$(node_dir "$name")/kubeconfig" --hostname-override "$name" \
    --metrics-port "$LAB_METRICS_PORT"
  # kube-router has no default service range and refuses to start without one;
  # a list flag, so only when the caller gives none (a second value means dual-stack).
  case " $* " in
    *" --service-cluster-ip-range"*) ;;
    *) printf '%s\n' "--service-cluster-ip-range=$LAB_SERVICE_CIDR" ;;
  esac
}

# kube-router's service proxy needs IPVS and finds it by resolving the IPVS
# generic netlink family; so does this (genl, from iproute2). The answer is the
# kernel's, the same in every namespace.
kernel_has_ipvs() {
  genl ctrl get name IPVS >/dev/null 2>&1
}

# The flags the lab adds so kube-router can start on this kernel: without IPVS
# the service proxy is turned off (kube-router would refuse to start with it),
# unless the caller's flags say otherwise.
kernel_fit_args() {  # EXTRA_ARGS...
  case " $* " in
    *" --run-service-proxy"*) return 0 ;;
  esac
  if ! kernel_has_ipvs; then
    log "this kernel has no IPVS: kube-router runs without the service proxy (--run-service-proxy=false)"
    printf '%s\n' --run-service-proxy=false
  fi
}

# The health port kube-router will use: --health-port from the extra flags,
# else the default. 0 disables the endpoint.
health_port_from() {
  local port=$LAB_HEALTH_PORT arg expect_value=0
  for arg in "$@"; do
    if [ "$expect_value" = 1 ]; then port=$arg expect_value=0; continue; fi
    case "$arg" in
      --health-port=*) port=${arg#*=} ;;
      --health-port) expect_value=1 ;;
    esac
  done
  printf '%s' "$port"
}

build_project() {  # BUILD_DIR WITH_KUBE_ROUTER
  local build=$1 targets=(apiserver-lite)
  [ -f "$build/build.ninja" ] ||
    cmake -S "$REPO_ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
  if [ "$2" = 1 ]; then
    ninja -C "$build" -t query kube-router >/dev/null 2>&1 ||
      die "this tree has no kube-router target yet; use lab.sh up --no-kube-router"
    targets+=(kube-router)
  fi
  cmake --build "$build" -j2 --target "${targets[@]}"
}

write_kubeconfig() {  # FILE SERVER TOKEN
  local ca
  ca=$(base64 -w0 <"$LAB_DIR/pki/ca.crt")
  cat >"$1" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: kr-lab
  cluster:
    server: $2
    certificate-authority-data: $ca
users:
- name: kr-lab
  user:
    token: $3
contexts:
- name: kr-lab
  context:
    cluster: kr-lab
    user: kr-lab
current-context: kr-lab
KUBECONFIG
  chmod 0600 "$1"
}

start_apiserver() {  # BINARY
  local log=$LAB_DIR/apiserver.log port
  setsid "$1" --listen 127.0.0.1:0 --port-file "$LAB_DIR/apiserver.port" \
    --listen-netns "$LAB_SW_NETNS:$LAB_API_IP:$LAB_API_NETNS_PORT" \
    --tls-cert-file "$LAB_DIR/pki/server.crt" --tls-private-key-file "$LAB_DIR/pki/server.key" \
    --client-ca-file "$LAB_DIR/pki/ca.crt" --token-auth-file "$LAB_DIR/tokens.csv" \
    >"$log" 2>&1 </dev/null &
  echo $! >"$LAB_DIR/apiserver.pid"
  state_set LAB_API_PID $!
  retry_for 30 test -s "$LAB_DIR/apiserver.port" ||
    die "apiserver-lite wrote no port file; its log ($log):$(printf '\n'; tail -n 20 "$log")"
  # First line: the first --listen's port; later lines describe every listener.
  port=$(head -n 1 "$LAB_DIR/apiserver.port" | tr -d ' ')
  [[ "$port" =~ ^[0-9]+$ ]] || die "apiserver-lite port file holds '$port'"
  LAB_API_PORT=$port
  state_set LAB_API_PORT "$port"
  retry_for 30 api_request GET /version || die "apiserver-lite does not answer /version: $(api_error)"
}

start_kube_router() {  # BINARY INDEX EXTRA_ARGS...
  local binary=$1 i=$2 name dir args
  shift 2
  name=$(node_name "$i")
  dir=$(node_dir "$name")
  mapfile -t args < <(kube_router_args "$i" "$@")
  # setsid: the daemon outlives this script and ignores its terminal's signals;
  # ip netns exec execs, so $! is kube-router's own pid.
  setsid ip netns exec "$name" env KUBE_ROUTER_CNI_CONF_FILE="$dir/cni/10-kuberouter.conflist" \
    NODE_NAME="$name" "$binary" "${args[@]}" "$@" >"$dir/kube-router.log" 2>&1 </dev/null &
  echo $! >"$dir/kube-router.pid"
}

wait_kube_router_healthy() {  # INDEX HEALTH_PORT
  local name dir pid
  name=$(node_name "$1")
  dir=$(node_dir "$name")
  pid=$(cat "$dir/kube-router.pid")
  local url
  url="http://$(node_ip "$1"):$2/healthz"
  local deadline=$((SECONDS + ${KR_LAB_HEALTH_TIMEOUT:-90}))
  until ip netns exec "$name" curl -fsS --max-time 2 -o /dev/null "$url" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null ||
      die "kube-router on $name exited; its log ($dir/kube-router.log):$(printf '\n'; tail -n 30 "$dir/kube-router.log")"
    [ "$SECONDS" -lt "$deadline" ] ||
      die "kube-router on $name does not answer $url; see $dir/kube-router.log"
    sleep 0.5
  done
}

# EXIT trap while `up` runs: a failed up leaves nothing behind.
on_up_exit() {
  local status=$?
  if [ "$status" != 0 ]; then
    log "up failed; cleaning up"
    cmd_down
  fi
}

cmd_up() {
  local nodes=3 with_kube_router=1 deps=1 build=1 build_dir="$REPO_ROOT/build" extra=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --nodes) [ $# -ge 2 ] || die "--nodes needs a number"; nodes=$2; shift 2 ;;
      --nodes=*) nodes=${1#*=}; shift ;;
      --no-kube-router) with_kube_router=0; shift ;;
      --no-deps) deps=0; shift ;;
      --no-build) build=0; shift ;;
      --build-dir) [ $# -ge 2 ] || die "--build-dir needs a directory"; build_dir=$2; shift 2 ;;
      --build-dir=*) build_dir=${1#*=}; shift ;;
      --) shift; extra=("$@"); break ;;
      *) die "up: unknown option '$1' (see lab.sh help)" ;;
    esac
  done
  [[ "$nodes" =~ ^[1-9][0-9]*$ ]] && [ "$nodes" -le "$LAB_MAX_NODES" ] ||
    die "--nodes must be 1..$LAB_MAX_NODES, got '$nodes'"
  require_root
  lab_is_up && die "a lab is already up in $LAB_DIR; run lab.sh down first"
  [ -z "$(lab_netns_list)" ] ||
    die "namespaces named $LAB_PREFIX-* exist from an earlier lab; run lab.sh down first"

  [ "$deps" = 0 ] || "$REPO_ROOT/scripts/install-deps.sh"
  require_tools ip curl jq openssl setsid base64
  [ "$build" = 0 ] || build_project "$build_dir" "$with_kube_router"
  local api_bin=${KR_LAB_APISERVER:-$build_dir/tools/apiserver-lite/apiserver-lite}
  local kr_bin=${KR_LAB_KUBE_ROUTER:-$build_dir/src/app/kube-router}
  [ -x "$api_bin" ] || die "apiserver-lite not found at $api_bin (build it, or set KR_LAB_APISERVER)"
  if [ "$with_kube_router" = 1 ] && [ ! -x "$kr_bin" ]; then
    die "kube-router not found at $kr_bin (build it, set KR_LAB_KUBE_ROUTER, or use --no-kube-router)"
  fi

  # From here on, any failure tears down what was made.
  trap on_up_exit EXIT
  mkdir -p "$LAB_DIR"
  touch "$LAB_DIR/$LAB_MARKER"
  : >"$LAB_DIR/state.env"
  state_set LAB_PREFIX "$LAB_PREFIX"
  state_set LAB_NODES "$nodes"
  LAB_NODES=$nodes

  log "PKI"
  "$REPO_ROOT/tools/pki/make-pki.sh" "$LAB_DIR/pki" "$LAB_API_IP" >/dev/null
  local admin_token node_token
  admin_token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  node_token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  # kube-apiserver --token-auth-file format: token,user,uid
  printf '%s,kr-lab-admin,kr-lab-admin\n%s,kube-router,kube-router\n' "$admin_token" \
    "$node_token" >"$LAB_DIR/tokens.csv"
  printf 'Authorization: Bearer %s\n' "$admin_token" >"$LAB_DIR/admin.header"
  chmod 0600 "$LAB_DIR/tokens.csv" "$LAB_DIR/admin.header"

  log "network: switch $LAB_SW_NETNS ($LAB_API_IP/$LAB_NET_LEN) and $nodes nodes"
  switch_create
  local i
  for i in $(seq "$nodes"); do node_create "$i"; done

  log "apiserver-lite"
  start_apiserver "$api_bin"
  write_kubeconfig "$LAB_DIR/kubeconfig" "$(api_base)" "$admin_token"
  local ns
  for ns in default kube-system kube-public kube-node-lease; do
    apply_object "$(namespace_json "$ns" '{}')" >/dev/null
  done
  for i in $(seq "$nodes"); do
    local name dir
    name=$(node_name "$i")
    dir=$(node_dir "$name")
    mkdir -p "$dir"
    apply_object "$(node_json "$name" "$(node_ip "$i")" "$(node_pod_cidr "$i")")" >/dev/null
    write_kubeconfig "$dir/kubeconfig" "https://$LAB_API_IP:$LAB_API_NETNS_PORT" "$node_token"
    cni_conf_write "$dir/cni/10-kuberouter.conflist" "$(node_pod_cidr "$i")" "$dir/cni/leases"
  done

  if [ "$with_kube_router" = 1 ]; then
    require_tools genl
    local fit
    mapfile -t fit < <(kernel_fit_args "${extra[@]}")
    extra=("${fit[@]}" "${extra[@]}")
    log "kube-router on every node"
    local health_port
    health_port=$(health_port_from "${extra[@]}")
    for i in $(seq "$nodes"); do start_kube_router "$kr_bin" "$i" "${extra[@]}"; done
    if [ "$health_port" != 0 ]; then
      for i in $(seq "$nodes"); do wait_kube_router_healthy "$i" "$health_port"; done
    fi
  fi
  state_set LAB_KUBE_ROUTER "$with_kube_router"
  trap - EXIT
  cmd_status
}

cmd_down() {
  [ "$(id -u)" = 0 ] || die "must run as root"
  if lab_is_up; then load_state; fi
  local pidfile name
  for pidfile in "$LAB_DIR"/nodes/*/kube-router.pid "$LAB_DIR/apiserver.pid"; do
    if [ -f "$pidfile" ]; then
      case "$pidfile" in
        */kube-router.pid) stop_pid "$(cat "$pidfile")" kube-router ;;
        *) stop_pid "$(cat "$pidfile")" apiserver-lite ;;
      esac
    fi
  done
  # Pods first, then nodes, then the switch: each deletion takes its veths along.
  for name in $(lab_netns_list | grep -F -- "-pod-" || true) $(lab_netns_list); do
    netns_delete "$name"
  done
  if [ -d "$LAB_DIR" ]; then
    if [ -f "$LAB_DIR/$LAB_MARKER" ]; then
      rm -rf "$LAB_DIR"
    else
      log "leaving $LAB_DIR alone: it is not a lab state dir (no $LAB_MARKER)"
    fi
  fi
  local left
  left=$(lab_netns_list)
  [ -z "$left" ] || die "namespaces left behind: $left"
  log "lab is down"
}
