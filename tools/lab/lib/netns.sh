# shellcheck shell=bash
# Network namespace plumbing: the switch, the nodes, pod namespaces.
# Everything is created inside namespaces (`ip -n`, veth peers created
# directly in their target namespace): the host's own interfaces, routes and
# firewall are never touched, and deleting the namespaces removes it all.

netns_exists() { [ -e "/var/run/netns/$1" ]; }

netns_add() {  # NAME
  ip netns add "$1"
  ip -n "$1" link set lo up
}

# The lab's namespaces, from `ip netns list` ("name" or "name (id: N)").
lab_netns_list() {
  local name rest
  ip netns list 2>/dev/null | while read -r name rest; do
    case "$name" in "$LAB_PREFIX"-*) printf '%s\n' "$name" ;; esac
  done
}

# Kills every process inside (a daemon the lab started, or anything a user
# ran with `lab.sh exec ... &`), then deletes the namespace.
netns_delete() {  # NAME
  local name=$1 pids i
  netns_exists "$name" || return 0
  for i in $(seq 50); do
    pids=$(ip netns pids "$name" 2>/dev/null || true)
    [ -n "$pids" ] || break
    # shellcheck disable=SC2086 # one pid per word
    kill -KILL $pids 2>/dev/null || true
    sleep 0.1
  done
  if ! ip netns delete "$name" 2>/dev/null && netns_exists "$name"; then
    log "could not delete netns $name"
  fi
}

# The switch: a bridge in its own namespace holding the API address.
switch_create() {
  netns_add "$LAB_SW_NETNS"
  ip -n "$LAB_SW_NETNS" link add "$LAB_BRIDGE" type bridge
  ip -n "$LAB_SW_NETNS" addr add "$LAB_API_IP/$LAB_NET_LEN" dev "$LAB_BRIDGE"
  ip -n "$LAB_SW_NETNS" link set "$LAB_BRIDGE" up
}

# Node i: a namespace whose eth0 is a veth to the switch's bridge (port n<i>).
node_create() {  # INDEX
  local i=$1 ns
  ns=$(node_name "$i")
  netns_add "$ns"
  ip -n "$LAB_SW_NETNS" link add "n$i" type veth peer name eth0 netns "$ns"
  ip -n "$LAB_SW_NETNS" link set "n$i" master "$LAB_BRIDGE" up
  ip -n "$ns" addr add "$(node_ip "$i")/$LAB_NET_LEN" dev eth0
  ip -n "$ns" link set eth0 up
  # A default route like a real node's; it ends at the switch, which forwards nothing.
  ip -n "$ns" route add default via "$LAB_API_IP"
  # kube-router expects the host to forward (spec cni-node.md §7); both sysctls are per netns.
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.forwarding=1
}

pod_netns_name() {  # NAMESPACE NAME
  printf '%s-pod-%s-%s' "$LAB_PREFIX" "$1" "$2"
}
