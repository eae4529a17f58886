# shellcheck shell=bash
# Names, addresses, state and messages shared by every lab.sh command.
# Sourced by lab.sh; not meant to be run.

# Every network namespace the lab makes starts with "$LAB_PREFIX-", so `down`
# can find them all even after a partial `up`. Node names (Kubernetes Node
# objects) are "$LAB_PREFIX-node<i>".
LAB_PREFIX=${KR_LAB_PREFIX:-kr-lab}
LAB_DIR=${KR_LAB_DIR:-/run/kr-lab}
LAB_SW_NETNS=$LAB_PREFIX-sw
LAB_BRIDGE=br0
# One L2 subnet joins the nodes; the switch namespace holds .1, where
# apiserver-lite also listens (--listen-netns). Node i is .(10+i).
LAB_NET=10.250.0
LAB_NET_LEN=24
LAB_API_IP=$LAB_NET.1
LAB_API_NETNS_PORT=6443
LAB_MAX_NODES=50
# kube-router's defaults (user-guide: --health-port 20244); metrics as the brief asks.
LAB_HEALTH_PORT=20244
LAB_METRICS_PORT=9090
# The service range kubeadm uses by default (--service-cidr).
LAB_SERVICE_CIDR=10.96.0.0/12
CNI_BIN_DIR=${KR_LAB_CNI_BIN_DIR:-/usr/lib/cni}
# The file marking a directory as a lab state dir, so `down` never removes
# anything else, whatever KR_LAB_DIR says.
LAB_MARKER=.kr-lab-state

log() { printf 'lab: %s\n' "$*" >&2; }
die() {
  printf 'lab: error: %s\n' "$*" >&2
  exit 1
}

require_root() {
  [ "$(id -u)" = 0 ] || die "must run as root (network namespaces, veths, CNI plugins)"
}

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 ||
      die "'$tool' is not installed; run scripts/install-deps.sh (or lab.sh up, which does)"
  done
}

node_name() { printf '%s-node%d' "$LAB_PREFIX" "$1"; }
node_ip() { printf '%s.%d' "$LAB_NET" "$((10 + $1))"; }
node_pod_cidr() { printf '10.244.%d.0/24' "$1"; }
node_dir() { printf '%s/nodes/%s' "$LAB_DIR" "$1"; }

lab_is_up() { [ -f "$LAB_DIR/state.env" ]; }

# Loads what `up` recorded; the recorded prefix wins over $KR_LAB_PREFIX, so
# later commands find a lab started with another prefix.
load_state() {
  # shellcheck source=/dev/null
  . "$LAB_DIR/state.env"
  LAB_SW_NETNS=$LAB_PREFIX-sw
}

require_lab() {
  lab_is_up || die "no lab is up (no $LAB_DIR/state.env); start one with: lab.sh up"
  load_state
}

# Appends KEY=VALUE (shell-quoted) to the state file that later commands source.
state_set() {
  printf '%s=%q\n' "$1" "$2" >>"$LAB_DIR/state.env"
}

# Resolves "kr-lab-node2", "node2" or "2" to the node's index; dies otherwise.
node_index() {
  local arg=$1 index
  case "$arg" in
    "$LAB_PREFIX"-node*) index=${arg#"$LAB_PREFIX"-node} ;;
    node*) index=${arg#node} ;;
    *) index=$arg ;;
  esac
  if ! [[ "$index" =~ ^[1-9][0-9]*$ ]] || [ "$index" -gt "${LAB_NODES:-0}" ]; then
    die "unknown node '$arg' (the lab has $(node_name 1) .. $(node_name "${LAB_NODES:-0}"))"
  fi
  printf '%d' "$index"
}

# Kubernetes object names: DNS-1123 labels (namespaces) and subdomains (pods).
validate_dns_label() {  # WHAT VALUE
  [[ "$2" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] && [ ${#2} -le 63 ] ||
    die "$1 '$2' is not a valid name (lower-case letters, digits and '-', at most 63)"
}
validate_dns_subdomain() {  # WHAT VALUE
  [[ "$2" =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]] && [ ${#2} -le 253 ] ||
    die "$1 '$2' is not a valid name (lower-case letters, digits, '-' and '.')"
}

# Is PID alive and running a program whose command line mentions NAME? Guards
# against signalling an unrelated process that reused a recorded pid.
pid_is() {  # PID NAME
  [ -n "$1" ] && { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null | grep -qF -- "$2"
}

# SIGTERM, up to 10 s to exit, then SIGKILL. No-op when PID is not NAME.
stop_pid() {  # PID NAME
  local pid=$1 name=$2 _
  pid_is "$pid" "$name" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do
    pid_is "$pid" "$name" || return 0
    sleep 0.1
  done
  log "$name (pid $pid) ignored SIGTERM; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

# Polls COMMAND... every 0.2 s until it succeeds or SECONDS pass.
retry_for() {  # SECONDS COMMAND...
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
