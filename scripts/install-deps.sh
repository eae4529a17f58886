#!/usr/bin/env bash
# Installs every Debian 12 package the project needs to build, test, run the
# lab and the benchmarks. Idempotent; apt-get only. Run as root.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ clang clang-format clang-tidy libfuzzer-14-dev libclang-rt-14-dev pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libssl-dev libyaml-cpp-dev
  libfmt-dev libmnl-dev libnl-3-dev libnl-route-3-dev libnl-genl-3-dev libipset-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # what kube-router drives at run time
  iproute2 iptables ipset conntrack kmod procps
  # real components the tests and benchmarks run against
  prometheus containernetworking-plugins gobgpd bird2 frr exabgp openssl curl jq iputils-ping
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "installing: ${missing[*]}"
# Daemons such as frr and bird2 must not start on the host: tests run them in
# network namespaces of their own.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
