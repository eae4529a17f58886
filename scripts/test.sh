#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs dependencies, builds, then runs
# every tier this machine supports:
#   1. unit tests
#   2. integration tests   (root: network namespaces, real iptables, ipset,
#                           CNI plugins, BGP daemons, kubectl, the lab)
#   3. kernel VM tests     (qemu with Debian's kernel: IPVS, dummy, ipip, fou)
#   4. fuzzers for a bounded time (clang libFuzzer)
# after a clang-format check of every tracked C++ file (scripts/lint.sh).
# Tiers 1-3 run on one build instrumented with AddressSanitizer and
# UndefinedBehaviorSanitizer (one build instead of two keeps CI well inside its
# time budget on two cores); the benchmarks are compiled but not run.
# Usage: scripts/test.sh [--quick]   (--quick: tiers 1-2 only)
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
[ "${1:-}" = "--quick" ] && quick=1
jobs=2
fuzz_seconds=${KR_FUZZ_SECONDS:-60}
build=build-test

section() { printf '\n==== %s ====\n' "$*"; }

if [ "$(id -u)" = 0 ]; then
  section "dependencies"
  scripts/install-deps.sh
else
  echo "not root: skipping dependency installation; integration tests will be skipped" >&2
fi

status=0
run_ctest() {  # label [parallel jobs]
  ctest --test-dir "$build" -L "$1" --output-on-failure --timeout 900 -j "${2:-$jobs}" || status=1
}

section "style (clang-format)"
scripts/lint.sh || status=1

section "build (gcc, ASan + UBSan)"
# -g1: line tables for sanitizer reports, without the cost of full debug info.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
  -DKR_SANITIZE=ON -DKR_BENCH=ON >/dev/null
cmake --build "$build" -j "$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

section "tier 1: unit"
run_ctest unit
section "tier 2: integration"
# Integration tests share the kernel's namespaces and real daemons: one at a time.
run_ctest integration 1

# ---- kernel VM tier (tests/vm): IPVS, dummy, ipip, fou under Debian's kernel in qemu ----
if [ "$quick" = 0 ] && [ "$(id -u)" = 0 ]; then
  section "tier 3: kernel VM"
  { tests/vm/vm.sh setup && tests/vm/run-vm-tier.sh "$build"; } || status=1
fi
# ---- end of the kernel VM tier ----

if [ "$quick" = 0 ]; then
  section "build (clang libFuzzer)"
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DKR_FUZZ=ON -DKR_BENCH=OFF >/dev/null
  cmake --build build-fuzz -j "$jobs" --target fuzzers
  section "tier 4: fuzzing, ${fuzz_seconds}s per target"
  fuzzers_run=0
  for fuzzer in build-fuzz/fuzz/*/fuzz_*; do
    [ -x "$fuzzer" ] || continue
    fuzzers_run=$((fuzzers_run + 1))
    name=$(basename "$fuzzer")
    corpus="build-fuzz/corpus/$name"
    mkdir -p "$corpus"
    seeds="fuzz/$(basename "$(dirname "$fuzzer")")/corpus"
    [ -d "$seeds" ] || seeds=""
    # shellcheck disable=SC2086  # $seeds is one optional directory
    if "$fuzzer" -max_total_time="$fuzz_seconds" -print_final_stats=1 "$corpus" $seeds \
        >"build-fuzz/$name.log" 2>&1; then
      echo "$name: $(grep -E 'stat::number_of_executed_units' "build-fuzz/$name.log" | awk '{print $2}') runs, no crash"
    else
      echo "$name: FAILED"; tail -n 40 "build-fuzz/$name.log"; status=1
    fi
  done
  if [ "$fuzzers_run" = 0 ]; then
    echo "no fuzz target was built"; status=1
  fi
fi

section "result"
if [ "$status" = 0 ]; then echo "all tiers passed"; else echo "some tier failed (see above)"; fi
exit "$status"
