#!/usr/bin/env bash
# vm.sh - the kernel VM test tier: run a command as root under Debian's own
# kernel (which has IPVS, dummy, ipip, fou, ...) on a host whose kernel lacks
# them and has no /dev/kvm.
#
#   tests/vm/vm.sh setup
#       Installs qemu and the tools the guest needs (apt-get), downloads
#       Debian's linux-image package (apt-get download), unpacks it, runs
#       depmod, extracts an uncompressed vmlinux and builds a busybox
#       initramfs. Everything is cached in $KR_VM_CACHE; running it again
#       does nothing unless this script changed (then the initramfs is rebuilt).
#   tests/vm/vm.sh run [--timeout S] [--out DIR] [--mem MB] [--smp N]
#                      [--modules m1,m2] [--env NAME[=VALUE]]... -- CMD [ARGS...]
#       Boots the VM, runs CMD as root in the guest in the caller's working
#       directory, powers off. CMD's output streams to stdout and is saved in
#       OUT/job.log; its exit status becomes vm.sh's (124: timed out on the
#       host side, 125: the VM stopped before CMD finished).
#
# How the guest sees the world:
#   * qemu in TCG software emulation, -machine pc (microvm cannot calibrate
#     its TSC under TCG and hangs), qboot firmware, the ELF vmlinux booted
#     directly (skips the in-guest decompression).
#   * The host's / is the guest's root, read-only over virtio-9p, with a tmpfs
#     overlay on top: the guest may write anywhere and nothing reaches the
#     host, so host-built test binaries run in place. Writes to /tmp vanish at
#     power-off. The OUT directory is a read-write 9p share at the same path,
#     which is how results come back.
#   * /lib/modules/<kver> points at the unpacked kernel's modules, so modprobe
#     and the kernel's module auto-loading work. `ip fou add` does not
#     auto-load fou.ko: pass --modules fou (or modprobe it in the test).
#   * The guest gets a clean environment plus KR_VM_GUEST=1 and KR_VM_OUT.
#   * Expect ~10x slower CPU than the host and ~60-200 ms per exec: batch work.
# Paths (OUT, cwd) must not contain spaces or commas (kernel command line).
set -u
SELF=$(readlink -f "$0")
KR_VM_CACHE=${KR_VM_CACHE:-/var/cache/kr-vm}
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { echo "vm.sh: $*" >&2; }
die() {
  log "error: $*"
  exit 2
}

# ----------------------------------------------------------------------------
# host: setup
# ----------------------------------------------------------------------------
# qemu-system-x86: the emulator (+ qboot firmware); busybox-static: the
# initramfs (a dynamic busybox cannot run before the root is mounted); kmod:
# depmod/modprobe; xz-utils, zstd: kernel and module decompression; iproute2,
# procps: what the tests drive inside the guest.
GUEST_PACKAGES=(qemu-system-x86 busybox-static kmod xz-utils zstd iproute2 procps)

apt_updated=0
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  # Lock timeout: wait for a concurrent apt-get instead of failing.
  if [ $apt_updated = 0 ]; then
    apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null || die "apt-get update failed"
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
}

# The versioned package linux-image-amd64 depends on, e.g. linux-image-6.1.0-28-amd64.
kernel_package() {
  if [ -n "${KR_VM_KERNEL_PKG:-}" ]; then
    echo "$KR_VM_KERNEL_PKG"
    return
  fi
  local p
  p=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
  if [ -z "$p" ]; then
    apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null
    p=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
  fi
  [ -n "$p" ] || die "cannot resolve linux-image-amd64 (set KR_VM_KERNEL_PKG)"
  echo "$p"
}

# The bzImage wraps an XZ (Debian 6.1) or ZSTD (6.12) compressed ELF vmlinux;
# qemu boots the ELF through its PVH entry point, saving the ~3 s the guest
# would spend decompressing under TCG. The decompressor complains about the
# bytes after the stream; the ELF magic decides whether the output is usable.
extract_vmlinux() { # bzImage out
  local off
  off=$(grep -abo $'\xfd7zXZ\x00' "$1" | head -1 | cut -d: -f1)
  if [ -n "$off" ]; then
    tail -c +$((off + 1)) "$1" | xz -dc >"$2" 2>/dev/null
  else
    off=$(grep -abo $'\x28\xb5\x2f\xfd' "$1" | head -1 | cut -d: -f1)
    [ -n "$off" ] && tail -c +$((off + 1)) "$1" | zstd -qdc >"$2" 2>/dev/null
  fi
  [ "$(head -c 4 "$2" 2>/dev/null | tr -d '\0')" = $'\x7fELF' ] || rm -f "$2"
}

# Modules the initramfs loads to reach the 9p + overlay root.
INITRD_MODULES="virtio_pci 9pnet_virtio 9p overlay"

build_initramfs() { # kdir kver
  local kdir=$1 kver=$2 ird=$1/initrd n=0 f m
  rm -rf "$ird"
  mkdir -p "$ird"/{bin,dev,proc,sys,mods,lower,rw,newroot}
  cp /bin/busybox "$ird/bin/busybox"
  for m in sh mount umount insmod mkdir cat switch_root poweroff sleep ip ln touch tr uname; do
    ln -s busybox "$ird/bin/$m"
  done
  for m in $INITRD_MODULES; do modprobe -d "$kdir/root" -S "$kver" --show-depends "$m"; done |
    awk '$1=="insmod"{print $2}' | awk '!seen[$0]++' >"$kdir/initrd.modules"
  # busybox insmod wants plain .ko files, in dependency order.
  while read -r f; do
    n=$((n + 1))
    m=$ird/mods/$(printf %02d "$n")-$(basename "$f")
    m=${m%.xz} m=${m%.zst} m=${m%.gz}
    case "$f" in
      *.xz) xz -dc "$f" >"$m" ;;
      *.zst) zstd -qdc "$f" >"$m" ;;
      *.gz) gzip -dc "$f" >"$m" ;;
      *) cp "$f" "$m" ;;
    esac
  done <"$kdir/initrd.modules"
  cp "$(dirname "$SELF")/initramfs-init.sh" "$ird/init"
  chmod +x "$ird/init"
  (cd "$ird" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 >"$kdir/initrd.img") ||
    die "building the initramfs failed"
}

setup() {
  [ "$(id -u)" = 0 ] || die "setup must run as root"
  apt_install "${GUEST_PACKAGES[@]}"
  ldd /bin/busybox >/dev/null 2>&1 && die "/bin/busybox is dynamically linked; install busybox-static"
  local pkg kdir kver
  pkg=$(kernel_package) || exit 2
  kdir=$KR_VM_CACHE/$pkg
  mkdir -p "$KR_VM_CACHE"
  # Concurrent setups: one prepares, the others wait and reuse.
  exec 9>"$KR_VM_CACHE/.lock"
  flock 9
  if [ ! -f "$kdir/kver" ]; then
    log "preparing $pkg in $kdir"
    rm -rf "$kdir"
    mkdir -p "$kdir/deb"
    (cd "$kdir/deb" && apt-get download "$pkg" >/dev/null 2>&1)
    ls "$kdir"/deb/*.deb >/dev/null 2>&1 || die "apt-get download $pkg failed"
    dpkg-deb -x "$kdir"/deb/*.deb "$kdir/root" || die "dpkg-deb -x failed"
    rm -rf "$kdir/deb"
    kver=$(ls "$kdir/root/lib/modules" | head -1)
    depmod -b "$kdir/root" "$kver" || die "depmod failed"
    extract_vmlinux "$kdir/root/boot/vmlinuz-$kver" "$kdir/vmlinux"
    echo "$kver" >"$kdir/kver"
  fi
  kver=$(cat "$kdir/kver")
  local init_script
  init_script=$(dirname "$SELF")/initramfs-init.sh
  if [ ! -f "$kdir/initrd.img" ] || [ "$init_script" -nt "$kdir/initrd.img" ] ||
    [ "$SELF" -nt "$kdir/initrd.img" ]; then
    build_initramfs "$kdir" "$kver"
    log "kernel $kver ready in $kdir"
  fi
  ln -sfn "$pkg" "$KR_VM_CACHE/current"
  exec 9>&-
}

# ----------------------------------------------------------------------------
# host: run
# ----------------------------------------------------------------------------
run() {
  local timeout=600 out="" mem=1024 smp=2 modules="" envs=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --timeout) timeout=$2 && shift 2 ;;
      --out) out=$2 && shift 2 ;;
      --mem) mem=$2 && shift 2 ;;
      --smp) smp=$2 && shift 2 ;;
      --modules) modules=$2 && shift 2 ;;
      --env) envs+=("$2") && shift 2 ;;
      --) shift && break ;;
      *) die "run: unknown option '$1' (usage: vm.sh run [options] -- CMD...)" ;;
    esac
  done
  [ $# -gt 0 ] || die "run: no command given"
  [ "$(id -u)" = 0 ] || die "run must run as root"
  case "$timeout" in '' | *[!0-9]*) die "--timeout wants whole seconds, got '$timeout'" ;; esac
  [ -f "$KR_VM_CACHE/current/kver" ] || die "no kernel prepared in $KR_VM_CACHE: run 'vm.sh setup' first"
  if [ -z "$out" ]; then out=$(mktemp -d /tmp/kr-vm-out.XXXXXX); else mkdir -p "$out"; fi
  out=$(readlink -f "$out")
  local cwd
  cwd=$(pwd -P)
  case "$out$cwd" in *[,\ ]*) die "paths must not contain commas or spaces: $out $cwd" ;; esac
  rm -f "$out/rc" "$out/job.log"

  # The job the guest runs: same cwd, the given argv, a clean environment.
  {
    echo "#!/bin/bash"
    echo "cd $(printf %q "$cwd") || exit 125"
    echo "export KR_VM_GUEST=1 KR_VM_OUT=$(printf %q "$out") HOME=/root TERM=dumb"
    local e
    for e in "${envs[@]}"; do
      case "$e" in
        *=*) echo "export $(printf %q "$e")" ;;
        *) [ -n "${!e+x}" ] && echo "export $e=$(printf %q "${!e}")" ;;
      esac
    done
    printf 'exec'
    printf ' %q' "$@"
    echo
  } >"$out/job.sh"
  chmod +x "$out/job.sh"

  local kdir kver kernel
  kdir=$(readlink -f "$KR_VM_CACHE/current")
  kver=$(cat "$kdir/kver")
  kernel=$kdir/vmlinux
  [ -s "$kernel" ] || kernel=$kdir/root/boot/vmlinuz-$kver
  local t0 rc
  t0=$(date +%s)
  # panic=-1 with -no-reboot: a guest panic ends qemu at once (rc 125).
  # stdin from /dev/null: CI has none, and qemu must not read the terminal.
  timeout -k 10 "$timeout" qemu-system-x86_64 -machine pc,accel=tcg -cpu max \
    -smp "$smp" -m "$mem" -bios /usr/share/qemu/qboot.rom \
    -nodefaults -no-user-config -display none -no-reboot -serial stdio \
    -kernel "$kernel" -initrd "$kdir/initrd.img" \
    -append "console=ttyS0 panic=-1 loglevel=3 edd=off kr.init=$SELF kr.out=$out kr.moddir=$kdir/root/lib/modules/$kver kr.modules=$modules" \
    -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
    -virtfs "local,path=$out,mount_tag=krout,security_model=none,multidevs=remap" \
    </dev/null
  rc=$?
  if [ $rc = 124 ] || [ $rc = 137 ]; then
    log "timed out after ${timeout}s"
    rc=124
  elif [ -f "$out/rc" ]; then
    rc=$(cat "$out/rc")
  else
    log "the VM stopped (qemu exit $rc) before the command finished"
    rc=125
  fi
  log "exit $rc, wall $(($(date +%s) - t0)) s, log $out/job.log"
  return "$rc"
}

# ----------------------------------------------------------------------------
# guest: PID 1 after the initramfs switched to the overlay root. Bash
# builtins where possible: every exec costs ~0.1 s under TCG.
# ----------------------------------------------------------------------------
guest() {
  local word out="" modules=""
  read -r line </proc/cmdline
  for word in $line; do
    case "$word" in
      kr.out=*) out=${word#kr.out=} ;;
      kr.modules=*) modules=${word#kr.modules=} ;;
    esac
  done
  [ -n "$modules" ] && modprobe -a ${modules//,/ }
  local uptime
  read -r uptime _ </proc/uptime
  echo "vm.sh: guest up, kernel $(uname -r), uptime ${uptime}s" >/dev/console
  bash "$out/job.sh" </dev/null 2>&1 | tee "$out/job.log" >/dev/console
  local rc=${PIPESTATUS[0]}
  echo "$rc" >"$out/rc"
  sync
  umount "$out" 2>/dev/null
  busybox poweroff -f 2>/dev/null || echo o >/proc/sysrq-trigger
  sleep 10
}

case "${1:-}" in
  setup) setup ;;
  run)
    shift
    run "$@"
    exit $?
    ;;
  __guest) guest ;;
  *)
    sed -n '2,/^set -u/p' "$SELF" | sed -e '$d' -e 's/^# \{0,1\}//'
    exit 2
    ;;
esac
