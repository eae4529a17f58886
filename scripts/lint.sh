#!/usr/bin/env bash
# Style and static checks over every tracked C++ file (*.cpp, *.h).
#   scripts/lint.sh            clang-format in check mode; prints the offending lines
#   scripts/lint.sh --fix      clang-format in place (and clang-tidy fix-its with --tidy)
#   scripts/lint.sh --tidy     also clang-tidy (slow: minutes on two cores)
# Options may be combined and followed by paths (files or directories) to limit the run.
# clang-tidy reads the compile database of $KR_LINT_BUILD (default build-tidy), configuring
# it if it is missing; files that are not in it (the clang-only fuzzers unless the build has
# KR_FUZZ=ON) are listed and skipped. Exits non-zero when anything was reported.
set -euo pipefail
cd "$(dirname "$0")/.."

fix=0
tidy=0
paths=()
for arg in "$@"; do
  case "$arg" in
    --fix) fix=1 ;;
    --tidy) tidy=1 ;;
    -h | --help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*)
      echo "lint.sh: unknown option $arg" >&2
      exit 2
      ;;
    *) paths+=("$arg") ;;
  esac
done
jobs=${KR_LINT_JOBS:-2}
build=${KR_LINT_BUILD:-build-tidy}

mapfile -t files < <(git ls-files -- "${paths[@]}" | grep -E '\.(cpp|h)$' || true)
if [ "${#files[@]}" -eq 0 ]; then
  echo "lint.sh: no tracked *.cpp/*.h files to check" >&2
  exit 0
fi

status=0

echo "== clang-format (${#files[@]} files)"
if [ "$fix" = 1 ]; then
  printf '%s\0' "${files[@]}" | xargs -0 clang-format -i
else
  if ! printf '%s\0' "${files[@]}" | xargs -0 clang-format --dry-run --Werror; then
    echo "clang-format: files above need formatting (scripts/lint.sh --fix rewrites them)"
    status=1
  fi
fi

if [ "$tidy" = 1 ]; then
  if [ ! -f "$build/compile_commands.json" ]; then
    cmake -S . -B "$build" -G Ninja -DKR_BENCH=ON >/dev/null
  fi
  mapfile -t in_db < <(python3 - "$build/compile_commands.json" "${files[@]}" <<'EOF'
import json, os, sys
db = {os.path.realpath(e["file"]) for e in json.load(open(sys.argv[1]))}
for f in sys.argv[2:]:
    if f.endswith(".cpp"):
        print(("" if os.path.realpath(f) in db else "skip ") + f)
EOF
  )
  tus=()
  for entry in "${in_db[@]}"; do
    case "$entry" in
      "skip "*) echo "clang-tidy: not in $build/compile_commands.json, skipped: ${entry#skip }" ;;
      *) tus+=("$entry") ;;
    esac
  done
  echo "== clang-tidy (${#tus[@]} translation units, $build)"
  if [ "${#tus[@]}" -gt 0 ]; then
    # -Wno-unknown-warning-option: the database holds GCC-only flags (-Wno-error=restrict).
    # The headers a unit includes are checked too (HeaderFilterRegex in .clang-tidy).
    tidy_args=(-p "$build" -j "$jobs" -quiet -extra-arg=-Wno-unknown-warning-option)
    [ "$fix" = 1 ] && tidy_args+=(-fix -format)
    out=$(mktemp)
    # run-clang-tidy takes regexes; anchor each file so a.cpp does not also select xa.cpp.
    regexes=()
    for f in "${tus[@]}"; do
      regexes+=("$(realpath "$f" | sed 's/[.+]/\\&/g')\$")
    done
    set +o pipefail
    run-clang-tidy "${tidy_args[@]}" "${regexes[@]}" 2>&1 | tee "$out" |
      { grep -v -E '^(clang-tidy(-[0-9]+)? |[0-9]+ warnings? generated|Suppressed [0-9]+ warnings|Use -header-filter)' || true; }
    tidy_rc=${PIPESTATUS[0]}
    set -o pipefail
    # run-clang-tidy always asks for colour; strip it to count. A header's finding is reported
    # once per unit that includes it: count each location once.
    sed -i 's/\x1b\[[0-9;]*m//g' "$out"
    finding='^[^ ]+:[0-9]+:[0-9]+: (warning|error): .*\[[a-z0-9.,-]+\]$'
    if grep -q -E "$finding" "$out"; then
      echo "clang-tidy: findings per check:"
      grep -E "$finding" "$out" | sort -u | grep -o -E '\[[a-z0-9.,-]+\]$' | sort | uniq -c |
        sort -rn
      status=1
    elif [ "$tidy_rc" != 0 ]; then
      echo "clang-tidy: run-clang-tidy exited with status $tidy_rc" >&2
      status=1
    fi
    rm -f "$out"
  fi
fi

exit "$status"
