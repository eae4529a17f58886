#!/bin/sh
# PID 1 of the kernel VM's initramfs (static busybox, runs from RAM, so it is
# quick under TCG). Loads virtio/9p/overlay, mounts the host's / read-only
# over 9p with a tmpfs overlay on top, prepares every guest mount (proc, sys,
# dev, run, the read-write results share, /lib/modules) and switches to
# `vm.sh __guest`, which only runs the job. Built into the image by
# `vm.sh setup`; parameters come from the kernel command line (kr.*).
export PATH=/bin
fail() {
  echo "kr-vm initramfs: $*"
  poweroff -f
  sleep 5
}
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in /mods/*.ko; do insmod "$m" || echo "kr-vm initramfs: insmod $m failed"; done
INIT= OUT= MODDIR=
for w in $(cat /proc/cmdline); do
  case "$w" in
    kr.init=*) INIT="${w#kr.init=}" ;;
    kr.out=*) OUT="${w#kr.out=}" ;;
    kr.moddir=*) MODDIR="${w#kr.moddir=}" ;;
  esac
done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose hostroot /lower ||
  fail "mounting the host root over 9p failed"
mount -t tmpfs -o mode=0755 krrw /rw && mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
  fail "mounting the overlay root failed"
R=/newroot
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount --move /dev $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts devpts $R/dev/pts
mount -t tmpfs tmpfs $R/dev/shm
# /run is fresh (ip netns keeps its names in /run/netns); /tmp shows the
# host's /tmp copy-on-write through the overlay.
mount -t tmpfs -o mode=0755 tmpfs $R/run
mount -t cgroup2 cgroup2 $R/sys/fs/cgroup 2>/dev/null
mount -t bpf bpf $R/sys/fs/bpf 2>/dev/null
mkdir -p $R/lib/modules && ln -sfn "$MODDIR" "$R/lib/modules/$(uname -r)"
mkdir -p "$R$OUT"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 krout "$R$OUT" ||
  fail "mounting the results share on $OUT failed"
ip link set lo up
echo kr-vm > /proc/sys/kernel/hostname
umount /sys
umount /proc
exec switch_root /newroot "$INIT" __guest
