#!/usr/bin/env bash
# rootfs.sh — the root filesystem of the lab's booted hosts (lab.sh up --booted): a minimal
# Debian with systemd, sshd, WireGuard (wireguard-go: the kernel may have no module), nftables,
# iptables, and the firewalls real relays run, ufw and firewalld, both installed but off.
#
# Built once with Debian's debootstrap into a cache outside the work tree (like the toolchain):
#   ${WGFORWARD_CACHE:-~/.cache/wgforward}/rootfs/<suite>-<digest of this file>/
# only when missing, into a temporary directory that is renamed when complete, so a crashed
# build never looks finished and concurrent builds do not see each other's halves. Any change
# to this file is a new spec, built beside the old ones. Prints the directory on its last
# stdout line. Hosts never write to it: each boots its own copy-on-write view (lab.sh).
set -euo pipefail

SUITE=bookworm
MIRROR=${WGFORWARD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# debootstrap resolves plain dependencies only: libpam-systemd provides the `logind` that
# polkitd (firewalld's) depends on.
PACKAGES=(systemd systemd-sysv libpam-systemd dbus openssh-server openssh-sftp-server
  iproute2 nftables iptables wireguard-tools wireguard-go sudo procps iputils-ping
  ufw firewalld)
ADMIN_USER=wgadmin

log() { printf 'rootfs: %s\n' "$*" >&2; }
die() { printf 'rootfs: ERROR: %s\n' "$*" >&2; exit 1; }

self=$(readlink -f "${BASH_SOURCE[0]}")
digest=$(sha256sum < "$self"); digest=${digest:0:12}
cache_root=${WGFORWARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wgforward}
dir=$cache_root/rootfs/$SUITE-$digest

if [[ -e $dir/.wgforward-rootfs ]]; then
  echo "$dir"
  exit 0
fi
[[ $EUID -eq 0 ]] || die "must run as root (debootstrap)"
command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install --no-install-recommends debootstrap; lab/packages.txt lists it)"
mkdir -p "$cache_root/rootfs"
# One builder at a time; the second one finds the first one's result.
exec 8<"$cache_root/rootfs"
flock -w 1800 8 || die "another rootfs build has held $cache_root/rootfs for 30 minutes"
if [[ -e $dir/.wgforward-rootfs ]]; then echo "$dir"; exit 0; fi

tmp=$(mktemp -d "$cache_root/rootfs/.build-$SUITE-$digest.XXXXXX")
cleanup() { [[ -z ${tmp:-} ]] || rm -rf --one-file-system "$tmp"; }
trap cleanup EXIT
log "building $SUITE root filesystem for booted lab hosts (one-off, a few minutes): $dir"
t0=$(date +%s.%N)
debootstrap --variant=minbase --include="$(IFS=,; echo "${PACKAGES[*]}")" \
  "$SUITE" "$tmp/root" "$MIRROR" > "$tmp/debootstrap.log" 2>&1 \
  || { tail -n 30 "$tmp/debootstrap.log" >&2; tail -n 30 "$tmp/root/debootstrap/debootstrap.log" >&2 || true; die "debootstrap failed"; }

r=$tmp/root
# Offline edits (systemctl in a chroot only changes symlinks; no services start).
in_root() { chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
# Firewalls off until a test turns one on (ufw is already: ENABLED=no in /etc/ufw/ufw.conf).
in_root systemctl disable firewalld.service >/dev/null 2>&1
# No console login (the console is a log file), no periodic jobs that write timestamps or
# download: every boot should leave the same files behind, so snapshots show wgforward's only.
in_root systemctl mask console-getty.service apt-daily.timer apt-daily-upgrade.timer \
  dpkg-db-backup.timer e2scrub_all.timer fstrim.timer >/dev/null 2>&1
install -d "$r/etc/systemd/journald.conf.d"
printf '# wgforward lab: the journal lives in /run, not in the host'"'"'s files\n[Journal]\nStorage=volatile\n' \
  > "$r/etc/systemd/journald.conf.d/volatile.conf"
# Per host (lab.sh writes them into each host's own layer): host keys, hostname, machine-id.
rm -f "$r"/etc/ssh/ssh_host_* "$r/etc/hostname"
: > "$r/etc/machine-id"
# Key logins only, for root and a passwordless-sudo admin (as on cloud images).
in_root usermod -p '*' root
in_root useradd --create-home --home-dir "/home/$ADMIN_USER" --shell /bin/bash --user-group \
  --comment "lab admin" "$ADMIN_USER"
in_root usermod -p '*' "$ADMIN_USER"
echo "$ADMIN_USER ALL=(ALL:ALL) NOPASSWD: ALL" > "$r/etc/sudoers.d/$ADMIN_USER"
chmod 0440 "$r/etc/sudoers.d/$ADMIN_USER"
in_root apt-get clean
rm -rf "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/*.bin "$r/debootstrap"
{
  echo "suite=$SUITE mirror=$MIRROR"
  echo "packages=${PACKAGES[*]}"
  echo "built=$(date -u +%FT%TZ) seconds=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')"
  echo "size=$(du -sh --one-file-system "$r" | cut -f1)"
} > "$r/.wgforward-rootfs"
mv "$r" "$dir"
log "built in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s, $(du -sh --one-file-system "$dir" | cut -f1): $dir"
echo "$dir"
