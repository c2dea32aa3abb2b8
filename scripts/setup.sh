#!/usr/bin/env bash
# One-stop, idempotent set-up for a fresh machine: Debian packages the lab and the tests need,
# then the Pulumi toolchain (built once from the Go module proxy into a cache outside the work
# tree). Prints, as its last stdout line, the directory to put first on PATH for `pulumi`.
# A Pulumi CLI already on PATH is used as it is (with its own language hosts).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

log() { echo "setup: $*" >&2; }

# --- Debian packages -----------------------------------------------------------------------
# --no-install-recommends: wireguard-tools would otherwise pull in a kernel image.
packages=(ca-certificates git maven openjdk-17-jdk-headless golang-go shellcheck)
# zbarimg: the tests decode the QR codes the plugin renders with a decoder of its own.
packages+=(zbar-tools)
if [ -f "$root/lab/packages.txt" ]; then
  mapfile -t lab_packages < <(grep -vE '^\s*(#|$)' "$root/lab/packages.txt")
  packages+=("${lab_packages[@]}")
fi
missing=()
for p in "${packages[@]}"; do
  # Tools already present from elsewhere (the machine's own Go, Maven, JDK) count as installed.
  case "$p" in
    golang-go) command -v go >/dev/null && continue ;;
    maven) command -v mvn >/dev/null && continue ;;
    openjdk-17-jdk-headless) command -v javac >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { log "need root to install: ${missing[*]}"; exit 1; }
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # policy-rc.d: never start services (sshd) in the root namespace; the lab runs its own.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d.wgforward
  cp /usr/sbin/policy-rc.d /usr/sbin/policy-rc.d.saved 2>/dev/null || true
  install -m 755 /usr/sbin/policy-rc.d.wgforward /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || { rc=$?; log "apt-get install failed"; exit $rc; }
  if [ -f /usr/sbin/policy-rc.d.saved ]; then mv /usr/sbin/policy-rc.d.saved /usr/sbin/policy-rc.d; else rm -f /usr/sbin/policy-rc.d; fi
  rm -f /usr/sbin/policy-rc.d.wgforward
fi

# --- Root filesystem of the lab's booted hosts (lab.sh up --booted) ----------------------
# Built once into the cache (a few minutes), then reused; lab/rootfs.sh says where.
if [ "$(id -u)" = 0 ]; then
  "$root/lab/rootfs.sh" >/dev/null
fi

# --- Pulumi toolchain ----------------------------------------------------------------------
if [ -z "${WGFORWARD_TOOLCHAIN_BIN:-}" ] && command -v pulumi >/dev/null && [ -z "${WGFORWARD_BUILD_TOOLCHAIN:-}" ]; then
  log "using the Pulumi CLI on PATH: $(command -v pulumi) ($(pulumi version))"
  dirname "$(command -v pulumi)"
  exit 0
fi
"$root/scripts/toolchain.sh"
