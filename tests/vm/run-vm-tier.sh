#!/usr/bin/env bash
# run-vm-tier.sh BUILD_DIR - the kernel VM test tier.
#
# Boots ONE VM (tests/vm/vm.sh; boots cost ~10 s and the emulated CPU is ~10x
# slower, so everything runs in one boot) and runs every GoogleTest binary of
# BUILD_DIR that has tests labelled `vm` (ctest -L vm), one after the other.
# Their output streams to stdout; each binary's log and exit status land in
# BUILD_DIR/vm-results. Ends with the line "N passed, N failed" (test cases;
# a binary that crashes or exits non-zero without a failing test counts as
# one failure) and exits non-zero on any failure.
#
# Needs root and a prepared VM (tests/vm/vm.sh setup). Environment:
#   KR_VM_TIMEOUT  seconds for the whole VM run (default 1800)
set -uo pipefail
here=$(dirname "$(readlink -f "$0")")

# Inside the guest: run the binaries, recording each one's log and status.
if [ "${1:-}" = "--guest" ]; then
  out=$2
  shift 2
  for binary in "$@"; do
    name=$(basename "$binary")
    echo "==== $name"
    "$binary" --gtest_color=no 2>&1 | tee "$out/$name.log"
    echo "${PIPESTATUS[0]}" >"$out/$name.rc"
  done
  exit 0
fi

build=${1:?usage: run-vm-tier.sh BUILD_DIR}
build=$(readlink -f "$build")
[ -d "$build" ] || {
  echo "run-vm-tier.sh: no build directory $build" >&2
  exit 2
}
command -v jq >/dev/null || {
  echo "run-vm-tier.sh: needs jq (scripts/install-deps.sh)" >&2
  exit 2
}

# ctest knows which tests carry the vm label; each test's command starts with its binary.
mapfile -t binaries < <(ctest --test-dir "$build" -L '^vm$' --show-only=json-v1 |
  jq -r '.tests[].command[0]' | sort -u)
if [ ${#binaries[@]} -eq 0 ]; then
  echo "run-vm-tier.sh: no vm-labelled tests in $build (is it built?)" >&2
  exit 2
fi

out=$build/vm-results
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
# ip_vs, fou: their generic netlink families exist only once the modules are loaded (fou is
# never loaded on demand); fou6 provides GUE encapsulation for ip6tnl tunnels. kube-router
# loads the same modules on a node (routing.md §9.2).
(cd "$build" && "$here/vm.sh" run --timeout "${KR_VM_TIMEOUT:-1800}" --out "$out" \
  --modules ip_vs,fou,fou6 -- "$here/run-vm-tier.sh" --guest "$out" "${binaries[@]}")
vm_status=$?

passed=0
failed=0
for binary in "${binaries[@]}"; do
  name=$(basename "$binary")
  log=$out/$name.log
  ok=$(grep -c '^\[       OK \] ' "$log" 2>/dev/null)
  bad=$(grep -cE '^\[  FAILED  \] .* \([0-9]+ ms\)$' "$log" 2>/dev/null)
  passed=$((passed + ${ok:-0}))
  failed=$((failed + ${bad:-0}))
  rc=$(cat "$out/$name.rc" 2>/dev/null || echo "none")
  if [ "$rc" != 0 ] && [ "${bad:-0}" = 0 ]; then
    echo "run-vm-tier.sh: $name did not finish cleanly (exit status: $rc)" >&2
    failed=$((failed + 1))
  fi
done
if [ "$vm_status" != 0 ]; then
  echo "run-vm-tier.sh: the VM run failed (vm.sh exit $vm_status)" >&2
  [ "$failed" = 0 ] && failed=1
fi
echo "run-vm-tier.sh: ${#binaries[@]} binaries, wall $(($(date +%s) - start)) s" >&2
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
