#!/bin/bash
# lab-boot HOST HOSTDIR NETNS ROOTFS CGROUP MACHINE CGROUP_ROOT... (started by lab.sh; see
# "Booted hosts" there; installed as $LAB_DIR/bin/lab-boot). Ends as systemd-nspawn, in the same
# process.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
if [[ $1 != --mounted ]]; then
  cg=$5
  for root in "${@:7}"; do mkdir -p "$root/$cg"; echo $$ > "$root/$cg/cgroup.procs"; done
  exec unshare --mount --propagation private -- "$0" --mounted "$@"
fi
shift
host=$1 hd=$2 ns=$3 rootfs=$4 machine=$6
# This mount namespace is a copy of the root one: drop its copies of other network
# namespaces' `ip netns` bind mounts, which would keep those alive (and their veths).
awk '{for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i+1) == "nsfs") print $5; break }}' /proc/self/mountinfo |
  while read -r mp; do [[ $mp == "/run/netns/$ns" ]] || umount -l "$mp" 2>/dev/null || true; done
mount -t overlay overlay -o "lowerdir=$hd/base:$rootfs,upperdir=$hd/upper,workdir=$hd/work" "$hd/root"
# nspawn's own state (image locks, the propagation dir) in a tmpfs of this mount namespace:
# it goes with the host instead of piling up in the machine's /run at every boot.
mkdir -p /run/systemd/nspawn
mount -t tmpfs -o mode=0755,nosuid,nodev lab-nspawn /run/systemd/nspawn
# --private-network with the lab's netns: nspawn then keeps CAP_NET_ADMIN and makes
# /proc/sys/net writable (so systemd-sysctl applies net.* at boot, as on a real host).
# --register=no --keep-unit: no systemd-machined/PID 1 systemd needed on this machine.
exec systemd-nspawn --quiet --directory="$hd/root" --boot --machine="$machine" --hostname="$host"   --network-namespace-path="/run/netns/$ns" --private-network --register=no --keep-unit   --bind=/dev/net/tun --resolv-conf=off --timezone=off --link-journal=no --console=read-only
