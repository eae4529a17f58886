#!/usr/bin/env bash
# run-in-vm.sh BUILD_DIR - runs bench_proxy once inside the kernel VM (tests/vm/vm.sh; needs
# root and `tests/vm/vm.sh setup`), since this machine's kernel has no IPVS.
#
# In the guest, /etc/protocols and /etc/services are first copied into the tmpfs overlay: on
# the read-only 9p share every lookup costs tens of milliseconds under TCG, and `ipset restore`
# looks up "tcp" and the port for each hash:ip,port entry (5,000 entries took over a minute),
# which a node reading them from its own disk never pays.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")

if [ "${1:-}" = "--guest" ]; then
  for f in /etc/protocols /etc/services; do
    cp "$f" "/tmp/$(basename "$f")" && cat "/tmp/$(basename "$f")" >"$f"
  done
  exec "$2"
fi

build=$(readlink -f "${1:?usage: run-in-vm.sh BUILD_DIR}")
out=$build/bench-proxy-vm
mkdir -p "$out"
exec "$here/../../tests/vm/vm.sh" run --timeout "${KR_VM_TIMEOUT:-3000}" --out "$out" \
  --modules ip_vs -- "$here/run-in-vm.sh" --guest "$build/bench/proxy/bench_proxy"
