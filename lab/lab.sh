#!/usr/bin/env bash
# lab.sh — a lab of "hosts" made of Linux namespaces, for real end-to-end tests
# of the wgforward provider (WireGuard tunnels + DNAT port forwarding over SSH).
#
# Usage:
#   lab.sh up [--nat] [--booted HOST,...]
#                                build the lab (idempotent; a second `up` only checks).
#                                --booted: these hosts (of client, relay, relay2) are real
#                                Debian hosts booted with systemd (see "Booted hosts" below)
#   lab.sh down                  end every lab process, delete namespaces, wipe state
#                                (keeps the operator key $LAB_DIR/id_ed25519*)
#   lab.sh status                print hosts, ssh ports, keys, addresses (exit 1 if not up)
#   lab.sh exec HOST [CMD...]    run CMD as root inside all of HOST's namespaces
#   lab.sh ssh HOST [CMD...]     real ssh into HOST via its loopback port (LAB_USER=wgadmin
#                                for the non-root sudo user)
#   lab.sh cable HOST plug|unplug [IFACE]
#                                set the switch end of HOST's cable(s) up/down
#   lab.sh snapshot HOST         stable, diffable dump of HOST's firewall, network,
#                                sysctls, changed files and processes
#   lab.sh fault HOST arm PATTERN before|after [NTH]
#                                cut the Nth (default 1st) `sh -s` / `sudo -n sh -s`
#                                ssh session on HOST whose stdin script contains the
#                                fixed string PATTERN: `before` it runs, or `after` it
#                                ran but before its output and exit status go out.
#                                One-shot. Other sessions pass through untouched.
#   lab.sh fault HOST clear      disarm (and forget whether it fired)
#   lab.sh fault HOST status     print "fired before|after (...)", "armed: ..." or "clear"
#   lab.sh poweroff|boot|reboot HOST...
#                                power booted hosts off (systemd stops every unit), on
#                                (systemd runs every enabled unit from scratch; waits for
#                                "running" and sshd), or both; boot/reboot print
#                                "HOST SECONDS" (power-on to running + ssh) per host
#   lab.sh reset HOST...         poweroff, throw away every write to the booted hosts'
#                                disks since `up`, boot
#   lab.sh config                print the effective LAB_NAME, LAB_DIR,
#                                LAB_NS_PREFIX and LAB_SSH_PORT_BASE (shell syntax)
#
# Environment:
#   LAB_NAME           picks a whole lab at once, so that users of the lab never
#                      share hosts: "" (default: wglab-, /tmp/wgforward-lab, 2200),
#                      demo (wgdemo-, /tmp/wgforward-demo-lab, 2300; scripts/demo.sh),
#                      test (wgtest-, /tmp/wgforward-test-lab, 2310; the tests),
#                      bench (wgbench-, /tmp/wgforward-bench-lab, 2320; scripts/bench.sh)
#   LAB_DIR            state directory (overrides LAB_NAME's)
#   LAB_SSH_PORT_BASE  loopback ssh port base (overrides LAB_NAME's; client=+1
#                      relay=+2 target=+3 outsider=+4 router=+5 relay2=+6 client2=+7)
#   LAB_NS_PREFIX      prefix of the lab's network namespace names (overrides LAB_NAME's)
#   LAB_USER           user for `lab.sh ssh` (default root; or wgadmin)
#
# `exec` runs with a clean root environment (PATH, HOME, TERM, LANG only); pass
# variables explicitly: lab.sh exec relay env FOO=1 cmd ...
#
# Topology (documentation address ranges stand in for the internet):
#
#   segment  bridge  subnet              members
#   inet     inet    203.0.113.0/24      relay eth0 .1, relay2 eth0 .2, client eth0 .10 (no --nat),
#                    2001:db8:113::/64   client2 eth0 .11 (no --nat: a second client of a hub relay),
#                                        router eth0 .20 (--nat), outsider eth0 .66
#                                        (IPv6: the same host numbers, e.g. relay 2001:db8:113::1)
#   lan      lan     10.200.0.0/24       relay eth1 .1, target eth0 .2, relay2 eth1 .3
#                    2001:db8:200::/64   (IPv6: relay ::1, target ::2, relay2 ::3)
#   home     home    198.51.100.0/24     router eth1 .1, client eth0 .10, client2 eth0 .11 (--nat only;
#                                        IPv4 only: with --nat the client has no IPv6 at all)
#
#   * Every host link is a veth pair: `ethN` inside the host, `<host>-ethN` (the
#     "switch end") enslaved to a bridge in the switch namespace ${LAB_NS_PREFIX}switch.
#     `cable` toggles the switch end, like pulling the cable at the switch.
#   * target has no default route; outsider has 10.200.0.0/24 via 203.0.113.1 and
#     2001:db8:200::/64 via 2001:db8:113::1 (it actively tries to reach the target
#     through the relay, as an attacker would);
#     with --nat the client's default route is 198.51.100.1 and the router
#     masquerades 198.51.100.0/24 out of its eth0.
#   * net.ipv4.ip_forward and net.ipv6.conf.all.forwarding are 0 on every host but
#     the router (1). Firewalls are empty (policies ACCEPT) except the router's NAT table.
#   * IPv6 is static and quiet: addresses added with nodad, and on each dual-stack link
#     accept_ra=0, autoconf=0 (no SLAAC), accept_dad=0 (its link-local fe80:: address is
#     usable at once, never "tentative"); nothing sends router advertisements, and the
#     switch's bridges do not snoop multicast (neighbour discovery is plain flooding).
#     Links without IPv6 (home) have it disabled; ::1 on lo is kept.
#   * Nothing in the lab has a veth into the root namespace. The root namespace
#     reaches each host's sshd only through a socat forwarder on
#     127.0.0.1:<port>, which carries each connection into the host's netns.
#
# Each host is a network namespace plus its own mount, UTS, IPC and PID
# namespaces (PID 1 = $LAB_DIR/bin/lab-init). Inside, /etc /usr /var /root /home
# /opt /srv are copy-on-write overlayfs mounts: a per-host "base" layer holding
# what the lab set up (ssh host key, sshd_config, the wgadmin user, hostname)
# on top of the real directories, and an "upper" layer that receives every write
# made afterwards — so the software under test never touches the real machine, and
# `snapshot` lists exactly what it changed. /root and /home are the exception:
# nothing of the machine's lies below them, only minimal homes for root (Debian's
# default dotfiles) and wgadmin (/etc/skel), so sessions run none of the
# machine's dotfiles and see none of its users' files.
# sshd's ForceCommand is the lab's fault gate (/run/lab/session, see `fault`),
# a pass-through while nothing is armed. /run, /run/wireguard and /tmp are
# private tmpfs (wireguard-go's UAPI sockets must not collide between hosts),
# /sys is a sysfs of the host's netns. /dev (incl. /dev/net/tun) is the real one.
# The hosts run no systemd — except booted hosts (up --booted HOST,...): a Debian root
# filesystem (lab/rootfs.sh, built once into a cache) booted with systemd-nspawn in the
# host's netns, systemd as PID 1, its disk a copy-on-write overlay of its own; see
# "Booted hosts" below. `exec`, `ssh`, `snapshot` and `cable` work the same on them
# (`fault` does not: their sshd has no fault gate).

set -euo pipefail

# ----------------------------------------------------------------------------
# Configuration
# ----------------------------------------------------------------------------
# The demo and the tests each get a lab of their own (LAB_NAME): running one must
# neither see the other's rules in its hosts nor take the other's hosts down.
# Explicit LAB_DIR / LAB_SSH_PORT_BASE / LAB_NS_PREFIX still win.
LAB_NAME=${LAB_NAME:-}
case $LAB_NAME in
  "")   lab_defaults=(/tmp/wgforward-lab 2200 wglab-) ;;
  demo) lab_defaults=(/tmp/wgforward-demo-lab 2300 wgdemo-) ;;
  test) lab_defaults=(/tmp/wgforward-test-lab 2310 wgtest-) ;;
  bench) lab_defaults=(/tmp/wgforward-bench-lab 2320 wgbench-) ;;
  *) printf 'lab: ERROR: unknown LAB_NAME %s (known: demo, test, bench, or empty)\n' "'$LAB_NAME'" >&2; exit 1 ;;
esac
LAB_DIR=${LAB_DIR:-${lab_defaults[0]}}
LAB_SSH_PORT_BASE=${LAB_SSH_PORT_BASE:-${lab_defaults[1]}}
LAB_NS_PREFIX=${LAB_NS_PREFIX:-${lab_defaults[2]}}
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PACKAGES_FILE=$SCRIPT_DIR/packages.txt

ALL_HOSTS=(client relay target outsider router relay2 client2)   # router exists only with --nat
SWITCH_NS=${LAB_NS_PREFIX}switch
# Directories overlaid copy-on-write in every host. /bin /sbin /lib are symlinks
# into /usr on Debian 12 (merged /usr), so /usr covers them.
OVERLAY_DIRS=(etc usr var root home opt srv)
# Of those, the homes start out empty instead of showing the machine's: every ssh
# session runs the login user's dotfiles, and the machine's (here: root's
# .bashrc running `pyenv init`, once a stale lock in ~/.pyenv that made each
# session wait 60 s) have no place in a host under test — nor its credentials.
PRIVATE_DIRS=(root home)
ADMIN_USER=wgadmin
# Files that change merely because someone logged in; hidden from `snapshot`.
# On booted hosts also what systemd writes at every boot (its random seed; the journal is
# volatile and timers with timestamps are masked in lab/rootfs.sh).
BOOTED_SNAPSHOT_NOISE_RE='^/(var/lib/systemd/(random-seed|timers(/.*)?)|etc/\.pwd\.lock)$'
SNAPSHOT_NOISE_RE='^/(var/log/(wtmp|btmp|lastlog)|root/\.bash_history|home/[^/]+/\.bash_history|var/lib/sudo/lectured(/.*)?)$'
HOST_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# ----------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------
log()  { printf 'lab: %s\n' "$*" >&2; }
die()  { printf 'lab: ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '/^# Usage:/,/^# Topology/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

ns_of()    { printf '%s%s' "$LAB_NS_PREFIX" "$1"; }
hdir_of()  { printf '%s/hosts/%s' "$LAB_DIR" "$1"; }

port_of() {
  local i
  case $1 in
    client) i=1 ;; relay) i=2 ;; target) i=3 ;; outsider) i=4 ;; router) i=5 ;; relay2) i=6 ;; client2) i=7 ;;
    *) die "unknown host '$1' (hosts: ${ALL_HOSTS[*]})" ;;
  esac
  echo $((LAB_SSH_PORT_BASE + i))
}

is_host() { local h; for h in "${ALL_HOSTS[@]}"; do [[ $h == "$1" ]] && return 0; done; return 1; }

current_mode() { cat "$LAB_DIR/mode" 2>/dev/null || echo none; }

# Hosts of a mode (the router only exists behind --nat).
hosts_of_mode() {
  if [[ $1 == nat ]]; then echo client relay target outsider router relay2 client2
  else echo client relay target outsider relay2 client2; fi
}

# "ifname bridge cidr [cidr6]" per link of a host in a mode (cidr6: the link's IPv6
# address; none on the IPv4-only home segment).
host_links() {
  local host=$1 mode=$2
  case $host in
    client)
      if [[ $mode == nat ]]; then echo "eth0 home 198.51.100.10/24"
      else echo "eth0 inet 203.0.113.10/24 2001:db8:113::10/64"; fi ;;
    client2)
      if [[ $mode == nat ]]; then echo "eth0 home 198.51.100.11/24"
      else echo "eth0 inet 203.0.113.11/24 2001:db8:113::11/64"; fi ;;
    relay)    echo "eth0 inet 203.0.113.1/24 2001:db8:113::1/64"; echo "eth1 lan 10.200.0.1/24 2001:db8:200::1/64" ;;
    # A second relay on the same segments: the VM a cloud puts in place of the first one.
    relay2)   echo "eth0 inet 203.0.113.2/24 2001:db8:113::2/64"; echo "eth1 lan 10.200.0.3/24 2001:db8:200::3/64" ;;
    target)   echo "eth0 lan 10.200.0.2/24 2001:db8:200::2/64" ;;
    outsider) echo "eth0 inet 203.0.113.66/24 2001:db8:113::66/64" ;;
    router)   echo "eth0 inet 203.0.113.20/24 2001:db8:113::20/64"; echo "eth1 home 198.51.100.1/24" ;;
  esac
}

# Extra routes ("ip route" arguments) per host in a mode.
host_routes() {
  local host=$1 mode=$2
  case $host in
    client|client2) [[ $mode == nat ]] && echo "default via 198.51.100.1" ;;
    outsider) echo "10.200.0.0/24 via 203.0.113.1"; echo "2001:db8:200::/64 via 2001:db8:113::1" ;;
  esac
  return 0
}

host_gateway() { [[ ($1 == client || $1 == client2) && $2 == nat ]] && echo 198.51.100.1; return 0; }

# Run a command in a named network namespace only (root mount/pid namespaces).
# Cheaper than `ip netns exec` (which also remounts /sys); enough for ip/sysctl.
in_netns() { local ns=$1; shift; nsenter --net="/run/netns/$ns" -- "$@"; }

netns_exists() { [[ -e /run/netns/$1 ]] && ip netns list 2>/dev/null | awk '{print $1}' | grep -qxF -- "$1"; }

# --- processes started by the lab are recorded as "PID STARTTIME" so that a
# --- recycled PID is never mistaken for ours.
proc_starttime() {
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) }            # drop "pid (comm) " — comm may contain spaces
  set -- $s              # $1=state ... $20=starttime
  [[ $1 != Z ]] || return 1   # a zombie is already dead
  echo "${20}"
}

record_pid() { # record_pid FILE PID
  local st
  st=$(proc_starttime "$2") || return 1
  echo "$2 $st" > "$1"
}

# pid_alive FILE -> prints PID and returns 0 if the recorded process still runs
pid_alive() {
  local pid st cur
  [[ -r $1 ]] || return 1
  read -r pid st < "$1" || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  cur=$(proc_starttime "$pid") || return 1
  [[ $cur == "$st" ]] || return 1
  echo "$pid"
}

wait_gone() { # wait_gone PID... (up to ~5 s); zombies count as gone
  local i p left
  for ((i = 0; i < 100; i++)); do
    left=0
    for p in "$@"; do proc_starttime "$p" >/dev/null 2>&1 && left=1; done
    ((left)) || return 0
    sleep 0.05
  done
  return 1
}

init_pid_of() { pid_alive "$(hdir_of "$1")/init.pid"; }

require_host_running() {
  local host=$1 pid
  is_host "$host" || die "unknown host '$host' (hosts: ${ALL_HOSTS[*]})"
  local hint=""
  [[ $host == router ]] && hint=" --nat"
  pid=$(init_pid_of "$host") || die "host '$host' is not running (is the lab up? run: $0 up$hint)"
  echo "$pid"
}

require_root() { [[ $EUID -eq 0 ]] || die "must run as root (namespaces, mounts, veths)"; }

check_config() {
  # LAB_DIR ends up inside socat EXEC strings and overlay mount options, where
  # ':' ',' and spaces are separators — keep it to a safe alphabet.
  [[ $LAB_DIR =~ ^/[A-Za-z0-9._/-]+$ ]] || die "LAB_DIR must be an absolute path of [A-Za-z0-9._/-] (got '$LAB_DIR')"
  local d
  for d in "${OVERLAY_DIRS[@]}"; do
    # An overlay's upper dir may not live inside its own lower dir. (/run and
    # /tmp become tmpfs inside hosts, but only after the overlays are mounted,
    # so LAB_DIR may live there.)
    [[ $LAB_DIR == "/$d" || $LAB_DIR == /$d/* ]] && die "LAB_DIR must not be under /$d (it is overlaid inside lab hosts); e.g. use /tmp/wgforward-lab"
  done
  [[ $LAB_SSH_PORT_BASE =~ ^[0-9]+$ ]] && ((LAB_SSH_PORT_BASE > 0 && LAB_SSH_PORT_BASE < 65530)) \
    || die "LAB_SSH_PORT_BASE must be a number below 65530 (got '$LAB_SSH_PORT_BASE')"
  [[ $LAB_NS_PREFIX =~ ^[A-Za-z0-9_.-]*$ ]] || die "LAB_NS_PREFIX must be [A-Za-z0-9_.-]* (got '$LAB_NS_PREFIX')"
}

# up/down/cable must not interleave (e.g. parallel test JVMs calling `up`).
# The lock is on the LAB_DIR directory itself, which survives `down`.
take_lock() {
  mkdir -p "$LAB_DIR"; chmod 0700 "$LAB_DIR"
  # Daemons started while holding it get `9<&-` so they do not inherit the lock.
  exec 9<"$LAB_DIR"
  flock -w 300 9 || die "another lab.sh is busy with $LAB_DIR for 5 minutes; giving up"
}

# ----------------------------------------------------------------------------
# Packages
# ----------------------------------------------------------------------------
ensure_packages() {
  [[ -r $PACKAGES_FILE ]] || die "missing $PACKAGES_FILE"
  local pkgs=() missing=() p
  mapfile -t pkgs < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$PACKAGES_FILE" | grep -v '^$')
  # One dpkg-query for all (fast on repeated `up`); unknown packages print nothing.
  local installed
  installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${pkgs[@]}" 2>/dev/null | awk '$NF == "installed" {print $1}' || true)
  for p in "${pkgs[@]}"; do
    grep -qxF -- "$p" <<< "$installed" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  log "installing missing packages: ${missing[*]}"
  command -v apt-get >/dev/null || die "apt-get not found; install by hand: ${missing[*]}"
  # Keep maintainer scripts from starting services (notably a root-namespace
  # sshd on port 22): the lab neither needs nor wants one. policy-rc.d exit 101
  # = "action forbidden". Only installed if the machine has none, removed after.
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# temporary, from wgforward lab.sh: do not start services\nexit 101\n' > "$policy"
    chmod 0755 "$policy"; own_policy=1
  fi
  local rc=0
  {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q -o DPkg::Lock::Timeout=600 >&2 &&
      apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2
  } || rc=$?
  ((own_policy)) && rm -f "$policy"
  ((rc == 0)) || die "apt-get install failed (exit $rc) for: ${missing[*]}"
}

check_tools() {
  local t missing=()
  for t in ip nsenter unshare setsid socat sshd ssh ssh-keygen useradd mount \
           iptables-nft-save iptables-legacy-save nft sysctl ps find wireguard-go wg; do
    command -v "$t" >/dev/null 2>&1 || [[ -x /usr/sbin/$t ]] || missing+=("$t")
  done
  ((${#missing[@]} == 0)) || die "missing tools: ${missing[*]} (see $PACKAGES_FILE)"
  grep -qw overlay /proc/filesystems || die "kernel has no overlayfs"
  [[ -c /dev/net/tun ]] || die "/dev/net/tun is missing (wireguard-go needs it)"
}

# ----------------------------------------------------------------------------
# Files the lab runs
# ----------------------------------------------------------------------------
# lab-init.sh     PID 1 of every namespace host: runs inside the host's fresh mount/UTS/
#                 IPC/PID namespaces (and its netns), builds its overlays, starts sshd.
#                 Its stdout/stderr is $hdir/init.log, opened by the root namespace, so it
#                 stays writable after /tmp (where LAB_DIR usually is) is hidden by the
#                 host's private tmpfs.
# lab-session.sh  sshd's ForceCommand in every namespace host (lab-init installs it as
#                 /run/lab/session): the fault gate of `lab.sh fault`. It runs as the
#                 logged-in user. Unarmed, or for anything but the provider's `sh -s` /
#                 `sudo -n sh -s`, it becomes what sshd itself would have run. Armed, it
#                 reads the whole script first, so the decision is made before anything
#                 runs; cutting the connection = SIGKILL to this session's sshd process,
#                 after which the client receives nothing more.
# lab-boot.sh     a booted host's power-on: its cgroups, a mount namespace of its own for
#                 its disk, systemd-nspawn.
# nsconnect.sh    each forwarded ssh connection: socat EXECs it with the host's netns name.
# sshd_config     what every host's sshd has in common (lab-init and prepare_booted_base add
#                 the rest).
# They are copied into $LAB_DIR/bin at every `up`, so a running lab keeps the version it
# was started with while lab/ changes.
install_lab_scripts() {
  mkdir -p "$LAB_DIR/bin"
  local s
  for s in lab-init lab-session lab-boot nsconnect; do
    install -m 0755 "$SCRIPT_DIR/$s.sh" "$LAB_DIR/bin/$s.tmp"
    mv -f "$LAB_DIR/bin/$s.tmp" "$LAB_DIR/bin/$s"
  done
  install -m 0644 "$SCRIPT_DIR/sshd_config" "$LAB_DIR/bin/sshd_config"
}

ensure_operator_key() {
  if [[ ! -s $LAB_DIR/id_ed25519 || ! -s $LAB_DIR/id_ed25519.pub ]]; then
    rm -f "$LAB_DIR/id_ed25519" "$LAB_DIR/id_ed25519.pub"
    ssh-keygen -q -t ed25519 -N '' -C wgforward-lab -f "$LAB_DIR/id_ed25519"
    log "generated operator key $LAB_DIR/id_ed25519"
  fi
  chmod 0600 "$LAB_DIR/id_ed25519"
}

# ----------------------------------------------------------------------------
# Network
# ----------------------------------------------------------------------------
ensure_netns() { # ensure_netns NS FORWARD
  local ns=$1
  if ! netns_exists "$ns"; then
    ip netns add "$ns"
    # Forwarding is per netns; set it explicitly rather than trusting inheritance.
    # Only on creation: a second `up` must not undo what the software under test
    # set (the relay's forwarding of a running demo). (IPv6's, for a lab made
    # before it had IPv6, also when a host gets its IPv6: configure_host_network.)
    in_netns "$ns" sysctl -qw "net.ipv4.ip_forward=$2" "net.ipv6.conf.all.forwarding=$2" >/dev/null
  fi
  ip -n "$ns" link set lo up
}

ensure_switch() { # ensure_switch MODE
  local mode=$1 br
  if ! netns_exists "$SWITCH_NS"; then
    ip netns add "$SWITCH_NS"
    in_netns "$SWITCH_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 >/dev/null
  fi
  ip -n "$SWITCH_NS" link set lo up
  for br in inet lan home; do
    if [[ $br == home && $mode != nat ]]; then
      ip -n "$SWITCH_NS" link del home 2>/dev/null || true
      continue
    fi
    ip -n "$SWITCH_NS" link show dev "$br" >/dev/null 2>&1 || ip -n "$SWITCH_NS" link add "$br" type bridge
    # No multicast snooping: without an MLD querier on the segment the bridge would
    # deliver IPv6 neighbour solicitations by what it last overheard, not to everyone.
    ip -n "$SWITCH_NS" link set "$br" type bridge mcast_snooping 0
    ip -n "$SWITCH_NS" link set "$br" up
  done
}

# One cable: host ifname <-> switch end "<host>-<ifname>" on bridge.
ensure_link() { # ensure_link HOST IFNAME BRIDGE CIDR [CIDR6]
  local host=$1 ifn=$2 br=$3 cidr=$4 cidr6=${5:-} ns sw
  ns=$(ns_of "$host"); sw="$host-$ifn"
  if ip -n "$SWITCH_NS" -o link show dev "$sw" 2>/dev/null | grep -q " master $br " &&
     ip -n "$ns" -o -4 addr show dev "$ifn" 2>/dev/null | grep -q " inet $cidr "; then
    # Wired right. A lab made before the lab had IPv6 gets it now, in place.
    ensure_link_ipv6 "$ns" "$ifn" "$cidr6"
    return 0
  fi
  # Missing or wired differently (e.g. switching --nat): rebuild this cable.
  ip -n "$SWITCH_NS" link del "$sw" 2>/dev/null || true
  ip -n "$ns" link del "$ifn" 2>/dev/null || true
  # The host's end has a MAC of its own that stays across rebuilds and reboots, as a
  # machine's NIC keeps its MAC: so do its IPv6 link-local address and the neighbours'
  # ARP/NDP caches (a fresh random MAC left them stale for seconds after a reboot).
  ip -n "$SWITCH_NS" link add "$sw" type veth peer name "$ifn" address "$(lab_mac "$host" "$ifn")" netns "$ns"
  ip -n "$SWITCH_NS" link set "$sw" master "$br" up
  ip -n "$ns" addr add "$cidr" dev "$ifn"
  # IPv6 before the link goes up, so that not even its link-local address is ever tentative.
  ensure_link_ipv6 "$ns" "$ifn" "$cidr6"
  ip -n "$ns" link set "$ifn" up
}

lab_mac() { # lab_mac HOST IFNAME: a locally administered unicast MAC, the same every time
  local h
  h=$(printf '%s/%s' "$1" "$2" | sha256sum)
  printf '02:%s:%s:%s:%s:%s\n' "${h:0:2}" "${h:2:2}" "${h:4:2}" "${h:6:2}" "${h:8:2}"
}

# A link's IPv6: off without CIDR6; else static and quiet (see "Topology"). Touches nothing
# while the address is there: a second `up` must not undo what the software under test set
# (e.g. accept_ra on the relay's links). Sets LINK_IPV6_ADDED=1 when it added the address.
ensure_link_ipv6() { # ensure_link_ipv6 NS IFNAME [CIDR6]
  local ns=$1 ifn=$2 cidr6=${3:-}
  if [[ -z $cidr6 ]]; then
    [[ $(in_netns "$ns" sysctl -n "net.ipv6.conf.$ifn.disable_ipv6") == 1 ]] ||
      in_netns "$ns" sysctl -qw "net.ipv6.conf.$ifn.disable_ipv6=1" >/dev/null
    return 0
  fi
  if [[ $(in_netns "$ns" sysctl -n "net.ipv6.conf.$ifn.disable_ipv6") == 0 ]] &&
     ip -n "$ns" -o -6 addr show dev "$ifn" 2>/dev/null | grep -q " inet6 $cidr6 "; then
    return 0
  fi
  in_netns "$ns" sysctl -qw "net.ipv6.conf.$ifn.accept_ra=0" "net.ipv6.conf.$ifn.autoconf=0" \
    "net.ipv6.conf.$ifn.accept_dad=0" "net.ipv6.conf.$ifn.disable_ipv6=0" >/dev/null
  ip -n "$ns" -6 addr replace "$cidr6" dev "$ifn" nodad
  LINK_IPV6_ADDED=1
}

configure_host_network() { # configure_host_network HOST MODE
  local host=$1 mode=$2 ns fwd=0 ifn br cidr cidr6 r
  ns=$(ns_of "$host")
  [[ $host == router ]] && fwd=1
  ensure_netns "$ns" "$fwd"
  LINK_IPV6_ADDED=0
  while read -r ifn br cidr cidr6; do
    [[ -n $ifn ]] && ensure_link "$host" "$ifn" "$br" "$cidr" "$cidr6"
  done < <(host_links "$host" "$mode")
  # A host that just got its IPv6 (new, or from a lab made before the lab had IPv6):
  # IPv6 forwarding as the lab defines it. Not later, as for ip_forward (ensure_netns).
  ((LINK_IPV6_ADDED == 0)) || in_netns "$ns" sysctl -qw "net.ipv6.conf.all.forwarding=$fwd" >/dev/null
  while read -r r; do
    # shellcheck disable=SC2086
    [[ -n $r ]] && ip -n "$ns" route replace $r
  done < <(host_routes "$host" "$mode")
  if [[ $host == router ]]; then
    # The home LAN leaves through the router's internet interface masqueraded.
    if ! in_netns "$ns" nft list table ip lab_nat >/dev/null 2>&1; then
      in_netns "$ns" nft -f - <<'EOF'
table ip lab_nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth0" ip saddr 198.51.100.0/24 masquerade
	}
}
EOF
    fi
  fi
}

# ----------------------------------------------------------------------------
# Host processes
# ----------------------------------------------------------------------------
# Start a long-lived lab process, detached from us: its own session (setsid;
# also its own process group, which `down` kills as a whole), stdio on a log
# file, and no other inherited fds — a caller that captures our output through
# a pipe (or holds our lock fd) must not wait on the lab's daemons.
spawn() { # spawn LOGFILE CMD... ; sets SPAWNED_PID (setsid execs in place: same PID)
  local logf=$1; shift
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null
    done
    exec setsid "$@" </dev/null >>"$logf" 2>&1
  ) &
  SPAWNED_PID=$!
}

start_host_init() { # start_host_init HOST   (asynchronous; see wait_host_ready)
  local host=$1 hd ns upid cpid i
  hd=$(hdir_of "$host"); ns=$(ns_of "$host")
  mkdir -p "$hd"
  : > "$hd/init.log"
  # nsenter: join the host netns. unshare: new mount/UTS/IPC/PID namespaces;
  # --fork so lab-init is PID 1; --kill-child so killing unshare kills the host.
  spawn "$hd/init.log" env LAB_HOST="$host" LAB_HOSTDIR="$hd" LAB_PUBKEY_FILE="$LAB_DIR/id_ed25519.pub" \
    LAB_OVERLAY_DIRS="${EXISTING_OVERLAY_DIRS[*]}" LAB_PRIVATE_DIRS="${PRIVATE_DIRS[*]}" \
    LAB_ADMIN_USER="$ADMIN_USER" LAB_SESSION_FILE="$LAB_DIR/bin/lab-session" \
    LAB_SSHD_CONFIG="$LAB_DIR/bin/sshd_config" \
    nsenter --net="/run/netns/$ns" -- \
    unshare --mount --uts --ipc --pid --fork --kill-child --mount-proc --propagation private \
    "$LAB_DIR/bin/lab-init"
  upid=$SPAWNED_PID
  # lab-init is unshare's only child; its PID (as seen from here) is what
  # `exec` enters and what `down` kills.
  cpid=
  for ((i = 0; i < 200; i++)); do
    cpid=$(cat "/proc/$upid/task/$upid/children" 2>/dev/null || true)
    cpid=${cpid%% *}
    [[ -n $cpid ]] && break
    proc_starttime "$upid" >/dev/null || break
    sleep 0.01
  done
  [[ -n $cpid ]] || { cat "$hd/init.log" >&2; die "host $host: unshare did not start lab-init"; }
  record_pid "$hd/unshare.pid" "$upid" || true
  record_pid "$hd/init.pid" "$cpid" || { cat "$hd/init.log" >&2; die "host $host: lab-init died at once"; }
  # Namespace ids, so that `down` can find stragglers that entered them.
  { readlink "/proc/$cpid/ns/pid"; readlink "/proc/$cpid/ns/mnt"; } > "$hd/ns.ids" 2>/dev/null || true
}

wait_host_ready() { # wait_host_ready HOST
  local host=$1 hd i
  hd=$(hdir_of "$host")
  for ((i = 0; i < 600; i++)); do
    grep -q 'READY' "$hd/init.log" 2>/dev/null && return 0
    if ! pid_alive "$hd/init.pid" >/dev/null; then
      sed 's/^/    /' "$hd/init.log" >&2
      die "host $host: lab-init exited during setup (log above: $hd/init.log)"
    fi
    sleep 0.02
  done
  sed 's/^/    /' "$hd/init.log" >&2
  die "host $host: lab-init not ready after 12 s (log: $hd/init.log)"
}

port_listener() { # prints something if a TCP listener is on 127.0.0.1:PORT
  ss -Hltn "sport = :$1" 2>/dev/null | awk '$4 == "127.0.0.1:'"$1"'" || $4 == "0.0.0.0:'"$1"'" || $4 == "*:'"$1"'" || $4 == "[::]:'"$1"'"'
}

start_forwarder() { # start_forwarder HOST
  local host=$1 hd port ns
  hd=$(hdir_of "$host"); port=$(port_of "$host"); ns=$(ns_of "$host")
  pid_alive "$hd/fwd.pid" >/dev/null && return 0
  [[ -z $(port_listener "$port") ]] || die "127.0.0.1:$port (ssh port of $host) is already in use by another program; set LAB_SSH_PORT_BASE"
  # Loopback only; every connection is carried into the host's netns by nsconnect.
  spawn "$hd/fwd.log" socat "TCP4-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" \
    "EXEC:$LAB_DIR/bin/nsconnect $ns"
  record_pid "$hd/fwd.pid" "$SPAWNED_PID" || die "forwarder for $host (port $port) died at once: $(cat "$hd/fwd.log")"
}

ssh_banner_ok() { # ssh_banner_ok HOST: sshd answers through the forwarder
  local banner
  banner=$(timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$(port_of "$1")"'; head -c 8 <&3' 2>/dev/null || true)
  [[ $banner == SSH-2.0* ]]
}

restart_sshd() { # restart_sshd HOST (lab-init running, sshd not answering)
  local pid; pid=$(init_pid_of "$1") || return 0
  log "host $1: sshd not answering; starting it again"
  if is_booted "$1"; then
    booted_exec "$1" systemctl restart ssh.service </dev/null >/dev/null 2>&1 9<&- || true
    return 0
  fi
  # Daemonizes, so it is re-parented to the host's lab-init.
  nsenter -t "$pid" -m -u -i -n -p -r -w -- env -i PATH="$HOST_PATH" \
    /usr/sbin/sshd -f /etc/ssh/sshd_config -E /run/lab/sshd.log </dev/null >/dev/null 2>&1 9<&- || true
  # (sshd closes every inherited fd above 2 itself.)
}

wait_ssh_banner() { # wait_ssh_banner HOST
  local host=$1 port i hd
  port=$(port_of "$host"); hd=$(hdir_of "$host")
  for ((i = 0; i < 250; i++)); do
    ssh_banner_ok "$host" && return 0
    pid_alive "$hd/fwd.pid" >/dev/null || die "forwarder for $host died: $(cat "$hd/fwd.log")"
    sleep 0.04
  done
  local ipid
  ipid=$(init_pid_of "$host" || true)
  [[ -n $ipid ]] && sed 's/^/    sshd.log: /' "/proc/$ipid/root/run/lab/sshd.log" >&2 2>/dev/null || true
  die "host $host: no ssh banner on 127.0.0.1:$port after 10 s"
}

# ----------------------------------------------------------------------------
# Booted hosts (up --booted): real Debian hosts with systemd
# ----------------------------------------------------------------------------
# A booted host is the root filesystem lab/rootfs.sh builds (once, in a cache outside the
# work tree), booted by systemd-nspawn inside the host's network namespace: same cables,
# addresses and ssh port as a namespace host, but systemd is PID 1 and runs every unit at
# each boot, so `poweroff`/`boot` are a real power cycle. Its disk is an overlay: the cached
# root filesystem (shared, never written), the host's "base" layer (what the lab sets up:
# hostname, machine-id, ssh host key, sshd_config, authorized keys) and an upper layer that
# receives every write after that, kept across reboots — so `snapshot` lists exactly what
# the software under test changed. The overlay is mounted in a mount namespace of the
# host's own, so it disappears with the host; nothing is mounted in the root namespace.
BOOTABLE_HOSTS=(client relay relay2)

is_booted() { [[ " $(cat "$LAB_DIR/booted" 2>/dev/null) " == *" $1 "* ]]; }

# The cgroup hierarchies systemd-nspawn uses: the unified one (cgroup2) and, on hybrid
# set-ups, the v1 name=systemd one. Each booted host gets a cgroup of its own in each, so
# that two containers never share the "payload" cgroup nspawn makes beside itself.
cgroup_roots() {
  awk '{ for (i = 7; i <= NF; i++) if ($i == "-") {
           if ($(i+1) == "cgroup2" || ($(i+1) == "cgroup" && $(i+3) ~ /(^|,)name=systemd(,|$)/)) print $5
           break } }' /proc/self/mountinfo
}
cgroup_of() { printf 'wgforward-lab/%s%s' "$LAB_NS_PREFIX" "$1"; }

remove_host_cgroups() { # remove_host_cgroups HOST (its processes are gone)
  local root cg i; cg=$(cgroup_of "$1")
  for root in $(cgroup_roots); do
    [[ -d $root/$cg ]] || continue
    for ((i = 0; i < 50; i++)); do
      find "$root/$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
      [[ -d $root/$cg ]] || break
      sleep 0.1
    done
    [[ ! -d $root/$cg ]] || log "warning: $1: cgroup $root/$cg is still there"
    rmdir "$root/wgforward-lab" 2>/dev/null || true
  done
}

# The host's own layer, written once from here (see above).
prepare_booted_base() { # prepare_booted_base HOST
  local host=$1 hd b u
  hd=$(hdir_of "$host"); b=$hd/base
  [[ -e $hd/base.done ]] && return 0
  rm -rf "$b"
  install -d -m 0755 "$b/etc" "$b/etc/ssh" "$b/etc/ssh/lab_authorized_keys"
  echo "$host" > "$b/etc/hostname"
  printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n' \
    "$host" > "$b/etc/hosts"
  od -An -tx1 -N16 /dev/urandom | tr -d ' \n' > "$b/etc/machine-id"; echo >> "$b/etc/machine-id"
  ssh-keygen -q -t ed25519 -N '' -C "root@$host" -f "$b/etc/ssh/ssh_host_ed25519_key"
  for u in root "$ADMIN_USER"; do install -m 0644 "$LAB_DIR/id_ed25519.pub" "$b/etc/ssh/lab_authorized_keys/$u"; done
  { echo "# sshd_config of wgforward lab host '$host', a booted host (written by lab.sh)"; cat "$SCRIPT_DIR/sshd_config"; } \
    > "$b/etc/ssh/sshd_config"
  touch "$hd/base.done"
}

# Power on (asynchronous; see wait_booted).
boot_host() { # boot_host HOST
  local host=$1 hd ns rootfs
  hd=$(hdir_of "$host"); ns=$(ns_of "$host"); rootfs=$(cat "$LAB_DIR/rootfs" 2>/dev/null || true)
  [[ -n $rootfs && -e $rootfs/.wgforward-rootfs ]] || die "host $host: no root filesystem for booted hosts (run: $0 up --booted $host)"
  mkdir -p "$hd"
  prepare_booted_base "$host"
  mkdir -p "$hd/upper" "$hd/work" "$hd/root"
  : > "$hd/console.log"
  date +%s.%N > "$hd/boot.started"
  # shellcheck disable=SC2046
  spawn "$hd/console.log" "$LAB_DIR/bin/lab-boot" "$host" "$hd" "$ns" "$rootfs" "$(cgroup_of "$host")" \
    "$LAB_NS_PREFIX$host" $(cgroup_roots)
  record_pid "$hd/nspawn.pid" "$SPAWNED_PID" || { cat "$hd/console.log" >&2; die "host $host: systemd-nspawn died at once"; }
}

# The container's PID 1 (as seen from here): nspawn's descendant named systemd in a PID
# namespace other than nspawn's.
booted_init_of() { # booted_init_of NSPAWN_PID
  local queue=("$1") p c own
  own=$(readlink "/proc/$1/ns/pid" 2>/dev/null) || return 1
  while ((${#queue[@]})); do
    p=${queue[0]}; queue=("${queue[@]:1}")
    for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do
      if [[ $(cat "/proc/$c/comm" 2>/dev/null) == systemd && $(readlink "/proc/$c/ns/pid" 2>/dev/null) != "$own" ]]; then
        echo "$c"; return 0
      fi
      queue+=("$c")
    done
  done
  return 1
}

booted_exec() { # booted_exec HOST CMD... : as root in all of the booted host's namespaces
  local pid; pid=$(init_pid_of "$1") || die "host $1 is not running"; shift
  nsenter -t "$pid" -m -u -i -n -p -r -w -C -- env -i PATH="$HOST_PATH" LANG=C.UTF-8 "$@"
}

# Until systemd says start-up is over with every unit fine ("running"), and sshd answers
# through the lab's forwarder; records the boot time (power on -> both) in boot.seconds.
wait_booted() { # wait_booted HOST
  local host=$1 hd npid init='' i state=''
  hd=$(hdir_of "$host")
  for ((i = 0; i < 1500; i++)); do
    npid=$(pid_alive "$hd/nspawn.pid") || { sed 's/^/    /' "$hd/console.log" >&2; die "host $host: systemd-nspawn exited while booting (log above: $hd/console.log)"; }
    init=$(booted_init_of "$npid") && break
    sleep 0.02
  done
  [[ -n $init ]] || die "host $host: no systemd in the container after 30 s (log: $hd/console.log)"
  record_pid "$hd/init.pid" "$init"
  { readlink "/proc/$init/ns/pid"; readlink "/proc/$init/ns/mnt"; } > "$hd/ns.ids"
  for ((i = 0; i < 600; i++)); do
    # --wait blocks while systemd is initializing/starting; before its bus is up it fails at once.
    state=$(timeout 180 nsenter -t "$init" -m -u -i -n -p -r -w -C -- env -i PATH="$HOST_PATH" \
            systemctl is-system-running --wait 2>/dev/null 9<&-) || true
    [[ $state == running || $state == degraded ]] && break
    pid_alive "$hd/init.pid" >/dev/null || { sed 's/^/    /' "$hd/console.log" >&2; die "host $host: systemd exited while booting"; }
    sleep 0.1
  done
  if [[ $state != running ]]; then
    booted_exec "$host" systemctl --failed --no-pager >&2 9<&- || true
    die "host $host: systemd is '$state' after boot, not 'running' (units above; console: $hd/console.log)"
  fi
  start_forwarder "$host"
  wait_ssh_banner "$host"
  awk -v a="$(cat "$hd/boot.started")" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f\n", b - a }' > "$hd/boot.seconds"
}

# Power off: systemd-nspawn passes SIGTERM on as "power off" (SIGRTMIN+3) to the container's
# systemd, which stops every unit and exits; the disk (upper layer) stays.
poweroff_host() { # poweroff_host HOST
  local host=$1 hd npid pid i
  hd=$(hdir_of "$host")
  if npid=$(pid_alive "$hd/nspawn.pid"); then
    kill -TERM "$npid" 2>/dev/null || true
    for ((i = 0; i < 600; i++)); do proc_starttime "$npid" >/dev/null 2>&1 || break; sleep 0.1; done
    if proc_starttime "$npid" >/dev/null 2>&1; then
      log "warning: host $host did not power off within 60 s; killing it"
      pid=$(pid_alive "$hd/init.pid") && kill -KILL "$pid" 2>/dev/null
      kill -KILL "$npid" 2>/dev/null || true
      wait_gone "$npid" || true
    fi
  fi
  if pid=$(pid_alive "$hd/init.pid"); then kill -KILL "$pid" 2>/dev/null || true; wait_gone "$pid" || true; fi
  local ids=()
  [[ -r $hd/ns.ids ]] && { mapfile -t ids < "$hd/ns.ids"; kill_ns_members "${ids[@]}"; }
  remove_host_cgroups "$host"
  rm -f "$hd/nspawn.pid" "$hd/init.pid" "$hd/ns.ids"
  # The machine is off: nothing of its kernel state (firewall, links, addresses, routes,
  # sysctls) survives. The network namespace is that state; it goes, cables first (from
  # the switch, which destroys the veth pairs even if something still pins the netns), and
  # boot makes a fresh one, as a power-on finds the NICs.
  local ns sw; ns=$(ns_of "$host")
  if netns_exists "$SWITCH_NS"; then
    for sw in $(ip -n "$SWITCH_NS" -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep "^$host-" || true); do
      ip -n "$SWITCH_NS" link del "$sw" 2>/dev/null || true
    done
  fi
  netns_exists "$ns" && ip netns del "$ns"
  return 0
}

require_booted() { # require_booted HOST...
  local h
  for h in "$@"; do
    is_host "$h" || die "unknown host '$h' (hosts: ${ALL_HOSTS[*]})"
    is_booted "$h" || die "host '$h' is not a booted host (run: $0 up --booted $h)"
  done
}

cmd_power() { # cmd_power poweroff|boot|reboot|reset HOST...
  local action=$1 h; shift
  (($# >= 1)) || die "usage: $0 $action HOST..."
  require_root; check_config; take_lock
  require_booted "$@"
  if [[ $action == poweroff || $action == reboot || $action == reset ]]; then
    for h in "$@"; do poweroff_host "$h"; log "host $h: powered off"; done
  fi
  if [[ $action == reset ]]; then
    # Back to the freshly set-up disk: every write since the lab set the host up is gone.
    for h in "$@"; do rm -rf "$(hdir_of "$h")/upper" "$(hdir_of "$h")/work"; done
  fi
  if [[ $action == boot || $action == reboot || $action == reset ]]; then
    for h in "$@"; do
      pid_alive "$(hdir_of "$h")/init.pid" >/dev/null && die "host $h is already running"
      configure_host_network "$h" "$(current_mode)"
      boot_host "$h"
    done
    for h in "$@"; do wait_booted "$h"; done
    write_descriptions "$(current_mode)"   # the hosts' new init PIDs
    for h in "$@"; do
      log "host $h booted in $(cat "$(hdir_of "$h")/boot.seconds") s"
      printf '%s %s\n' "$h" "$(cat "$(hdir_of "$h")/boot.seconds")"
    done
  fi
}

# Kill a process group we started (forwarder + its per-connection children).
stop_pidfile_group() { # stop_pidfile_group FILE
  local pid
  if pid=$(pid_alive "$1"); then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    wait_gone "$pid" || kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

# Kill every process in any of the given namespaces ("net:[id]" etc.).
kill_ns_members() {
  (($# > 0)) || return 0
  local wanted=" $* " pids=() dir id pid
  while read -r dir id; do
    [[ $wanted == *" $id "* ]] || continue
    pid=${dir#/proc/}; pid=${pid%/ns}
    [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
    pids+=("$pid")
  done < <(find /proc/[0-9]*/ns/net /proc/[0-9]*/ns/mnt /proc/[0-9]*/ns/pid -maxdepth 0 -printf '%h %l\n' 2>/dev/null)
  ((${#pids[@]})) || return 0
  mapfile -t pids < <(printf '%s\n' "${pids[@]}" | sort -u)
  kill -KILL "${pids[@]}" 2>/dev/null || true
  wait_gone "${pids[@]}" || true
}

# Stop one host entirely: forwarder, PID namespace (kills everything in it),
# stragglers in its namespaces, its cables, its netns, its state dir.
stop_host() { # stop_host HOST
  local host=$1 hd ns pid upid ids=()
  hd=$(hdir_of "$host"); ns=$(ns_of "$host")
  stop_pidfile_group "$hd/fwd.pid"
  netns_exists "$ns" && ids+=("net:[$(stat -L -c %i "/run/netns/$ns")]")
  [[ -r $hd/ns.ids ]] && mapfile -t -O "${#ids[@]}" ids < "$hd/ns.ids"
  local dead=()
  # SIGKILL to a PID namespace's init kills every process in that namespace
  # (sshd, sessions, wireguard-go started by the software under test, ...).
  if pid=$(pid_alive "$hd/init.pid"); then kill -KILL "$pid" 2>/dev/null || true; dead+=("$pid"); fi
  if upid=$(pid_alive "$hd/unshare.pid"); then kill -KILL "$upid" 2>/dev/null || true; dead+=("$upid"); fi
  if upid=$(pid_alive "$hd/nspawn.pid"); then kill -KILL "$upid" 2>/dev/null || true; dead+=("$upid"); fi
  ((${#dead[@]})) && { wait_gone "${dead[@]}" || log "warning: $host: processes ${dead[*]} did not exit"; }
  kill_ns_members "${ids[@]}"
  # Delete its cables from the switch side before deleting the netns: this
  # destroys the veth pairs even if something still pins the host netns.
  if netns_exists "$SWITCH_NS"; then
    local sw
    for sw in $(ip -n "$SWITCH_NS" -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep "^$host-" || true); do
      ip -n "$SWITCH_NS" link del "$sw" 2>/dev/null || true
    done
  fi
  netns_exists "$ns" && ip netns del "$ns"
  remove_host_cgroups "$host"
  rm -f "$hd/init.pid" "$hd/unshare.pid" "$hd/nspawn.pid" "$hd/ns.ids"
  rm -rf "$hd"
}

host_healthy() { # host_healthy HOST : init and forwarder running
  local hd; hd=$(hdir_of "$1")
  netns_exists "$(ns_of "$1")" && pid_alive "$hd/init.pid" >/dev/null && pid_alive "$hd/fwd.pid" >/dev/null
}

# ----------------------------------------------------------------------------
# Descriptions: known_hosts, hosts.env
# ----------------------------------------------------------------------------
host_key_of() { # "ssh-ed25519 AAAA..." (without comment)
  awk '{print $1, $2}' "$(hdir_of "$1")/base/etc/ssh/ssh_host_ed25519_key.pub" 2>/dev/null
}

# What the tests, the demo and the bench read of a running lab (nothing more: `status` shows
# the rest to a person).
write_descriptions() { # write_descriptions MODE
  local mode=$1 h H port key hosts ifn cidr cidr6 primary primary6
  read -r -a hosts <<< "$(hosts_of_mode "$mode")"
  local kh="$LAB_DIR/known_hosts" env="$LAB_DIR/hosts.env"
  : > "$kh.tmp"
  {
    echo "# wgforward lab — generated by lab.sh up; source it from a shell."
    echo "# Per host <H>: _SSH_HOST, _SSH_PORT, _HOST_KEY, _ADDR (its first address), _ADDR6 (its first"
    echo "# IPv6 address; none for a host without IPv6: the router's home side, the client behind --nat)."
    echo "LAB_DIR=$LAB_DIR"
    echo "LAB_SSH_KEY=$LAB_DIR/id_ed25519"
    echo "# ssh/scp options that trust exactly the lab's host keys: ssh \$LAB_SSH_OPTS -p \$RELAY_SSH_PORT root@127.0.0.1"
    echo "LAB_SSH_OPTS=\"-F /dev/null -i $LAB_DIR/id_ed25519 -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$kh -o GlobalKnownHostsFile=/dev/null\""
  } > "$env.tmp"
  for h in "${hosts[@]}"; do
    H=${h^^}; port=$(port_of "$h"); key=$(host_key_of "$h")
    [[ -n $key ]] || die "host $h has no host key yet"
    echo "[127.0.0.1]:$port $key" >> "$kh.tmp"
    primary="" primary6=""
    while read -r ifn _ cidr cidr6; do
      if [[ -n $ifn && -z $primary ]]; then primary=${cidr%/*}; fi
      if [[ -n $cidr6 && -z $primary6 ]]; then primary6=${cidr6%/*}; fi
    done < <(host_links "$h" "$mode")
    {
      echo "${H}_SSH_HOST=127.0.0.1"
      echo "${H}_SSH_PORT=$port"
      echo "${H}_HOST_KEY='$key'"
      echo "${H}_ADDR=$primary"
      [[ -z $primary6 ]] || echo "${H}_ADDR6=$primary6"
    } >> "$env.tmp"
  done
  mv -f "$kh.tmp" "$kh"; mv -f "$env.tmp" "$env"
}

# ----------------------------------------------------------------------------
# ssh
# ----------------------------------------------------------------------------
ssh_argv() { # ssh_argv HOST USER -> sets SSH_ARGV
  local port; port=$(port_of "$1")
  SSH_ARGV=(ssh -F /dev/null -p "$port" -i "$LAB_DIR/id_ed25519"
    -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes
    -o UserKnownHostsFile="$LAB_DIR/known_hosts" -o GlobalKnownHostsFile=/dev/null
    -o UpdateHostKeys=no -o ConnectTimeout=10 -o LogLevel=ERROR
    "$2@127.0.0.1")
}

# ----------------------------------------------------------------------------
# Subcommands
# ----------------------------------------------------------------------------
cmd_up() {
  local mode=plain booted=""
  while (($#)); do
    case $1 in
      --nat) mode=nat; shift ;;
      --booted) (($# >= 2)) || die "usage: $0 up [--nat] [--booted HOST,...]"; booted=$2; shift 2 ;;
      --booted=*) booted=${1#--booted=}; shift ;;
      *) die "usage: $0 up [--nat] [--booted HOST,...]" ;;
    esac
  done
  local b want_booted=()
  for b in ${booted//,/ }; do
    [[ " ${BOOTABLE_HOSTS[*]} " == *" $b "* ]] || die "--booted: '$b' cannot be a booted host (allowed: ${BOOTABLE_HOSTS[*]})"
    want_booted+=("$b")
  done
  require_root; check_config
  take_lock
  ensure_packages; check_tools
  if ((${#want_booted[@]})); then
    ROOTFS=$("$SCRIPT_DIR/rootfs.sh" | tail -n 1)
    [[ -e $ROOTFS/.wgforward-rootfs ]] || die "lab/rootfs.sh did not build a root filesystem"
  fi
  EXISTING_OVERLAY_DIRS=()
  local d
  for d in "${OVERLAY_DIRS[@]}"; do [[ -d /$d && ! -L /$d ]] && EXISTING_OVERLAY_DIRS+=("$d"); done

  mkdir -p "$LAB_DIR/hosts"; chmod 0700 "$LAB_DIR"
  # overlayfs cannot use upper dirs that are themselves on overlayfs (e.g. /tmp
  # inside a Docker container): then keep the per-host state on a tmpfs.
  # (`down` unmounts it.)
  if [[ $(stat -f -c %T "$LAB_DIR/hosts") == overlayfs ]] && ! mountpoint -q "$LAB_DIR/hosts"; then
    log "LAB_DIR is on overlayfs, which cannot hold overlay upper dirs: mounting a tmpfs on $LAB_DIR/hosts"
    mount -t tmpfs -o mode=0700 wgforward-lab "$LAB_DIR/hosts"
  fi
  ensure_operator_key
  install_lab_scripts

  local old; old=$(current_mode)
  if [[ $old != none && $old != "$mode" ]]; then
    if [[ $mode == nat ]]; then
      log "lab is up without NAT: switching to --nat (adding router, moving client behind it)"
    else
      log "lab is up with --nat: switching to plain mode (removing router, client back on inet)"
      stop_host router
    fi
  fi
  # A host that changes kind (namespace host <-> booted host) starts over.
  local h was want
  for h in "${ALL_HOSTS[@]}"; do
    [[ -d $(hdir_of "$h") ]] || continue
    was=no; is_booted "$h" && was=yes
    want=no; [[ " ${want_booted[*]} " == *" $h "* ]] && want=yes
    if [[ $was != "$want" ]]; then
      log "host $h: switching to a $([[ $want == yes ]] && echo booted || echo namespace) host"
      stop_host "$h"
    fi
  done
  echo "$mode" > "$LAB_DIR/mode"
  echo "${want_booted[*]}" > "$LAB_DIR/booted"
  [[ -z ${ROOTFS:-} ]] || echo "$ROOTFS" > "$LAB_DIR/rootfs"

  ensure_switch "$mode"
  local hosts
  read -r -a hosts <<< "$(hosts_of_mode "$mode")"
  for h in "${hosts[@]}"; do configure_host_network "$h" "$mode"; done

  # Start the hosts that are not running (in parallel: their setup is independent).
  local started=()
  for h in "${hosts[@]}"; do
    pid_alive "$(hdir_of "$h")/init.pid" >/dev/null && continue
    stop_pidfile_group "$(hdir_of "$h")/fwd.pid"   # a forwarder into a dead host is useless
    if is_booted "$h"; then boot_host "$h"; else start_host_init "$h"; fi
    started+=("$h")
  done
  for h in "${started[@]}"; do
    if is_booted "$h"; then wait_booted "$h"; else wait_host_ready "$h"; fi
  done
  for h in "${hosts[@]}"; do start_forwarder "$h"; done
  for h in "${started[@]}"; do wait_ssh_banner "$h"; done
  # Hosts that were already running: their sshd may have been killed (e.g. by
  # a test simulating an ssh outage). Restart it inside the host if so.
  for h in "${hosts[@]}"; do
    [[ " ${started[*]} " == *" $h "* ]] && continue
    ssh_banner_ok "$h" || restart_sshd "$h"
    wait_ssh_banner "$h"
  done
  for h in "${started[@]}"; do is_booted "$h" && log "host $h booted in $(cat "$(hdir_of "$h")/boot.seconds") s"; done

  write_descriptions "$mode"

  # End-to-end check: a real key login as root on every host.
  local pids=() fails=() i
  for h in "${hosts[@]}"; do
    ssh_argv "$h" root
    "${SSH_ARGV[@]}" hostname > "$(hdir_of "$h")/check.out" 2>&1 &
    pids+=($!)
  done
  for i in "${!hosts[@]}"; do
    h=${hosts[$i]}
    if ! wait "${pids[$i]}" || [[ $(cat "$(hdir_of "$h")/check.out") != "$h" ]]; then
      fails+=("$h: $(cat "$(hdir_of "$h")/check.out")")
    fi
  done
  ((${#fails[@]} == 0)) || die "ssh check failed: ${fails[*]}"
  cmd_status
}

cmd_down() {
  require_root; check_config
  [[ -d $LAB_DIR ]] && take_lock
  local h ns any=0
  for h in "${ALL_HOSTS[@]}"; do
    ns=$(ns_of "$h")
    if [[ -d $(hdir_of "$h") ]] || netns_exists "$ns"; then
      any=1
      stop_host "$h"
    fi
  done
  if netns_exists "$SWITCH_NS"; then
    any=1
    kill_ns_members "net:[$(stat -L -c %i "/run/netns/$SWITCH_NS")]"
    ip netns del "$SWITCH_NS"
  fi
  # Nothing is mounted in the root namespace by the lab, but be thorough.
  local mp
  while read -r mp; do
    [[ $mp == "$LAB_DIR" || $mp == "$LAB_DIR"/* ]] && { umount -l "$mp" 2>/dev/null || true; any=1; }
  done < <(awk '{print $5}' /proc/self/mountinfo)
  if [[ -d $LAB_DIR ]]; then
    # Wipe state but keep the operator key (stable authorized key across ups).
    find "$LAB_DIR" -mindepth 1 -maxdepth 1 ! -name 'id_ed25519' ! -name 'id_ed25519.pub' -exec rm -rf {} +
  fi
  ((any)) && log "lab is down" || log "lab is down (nothing was up)"
}

cmd_status() {
  local mode h hosts port hd state key ipid ifn br cidr cidr6 addrs ok=1
  mode=$(current_mode)
  if [[ $mode == none ]]; then
    echo "lab: down (LAB_DIR=$LAB_DIR)"
    return 1
  fi
  read -r -a hosts <<< "$(hosts_of_mode "$mode")"
  echo "lab: mode=$mode LAB_DIR=$LAB_DIR"
  echo "  operator key: $LAB_DIR/id_ed25519   known_hosts: $LAB_DIR/known_hosts"
  echo "  descriptions: $LAB_DIR/hosts.env"
  echo "  users: root, $ADMIN_USER (passwordless sudo)"
  printf '  %-9s %-16s %-5s %-8s %s\n' HOST SSH STATE INITPID ADDRESSES
  for h in "${hosts[@]}"; do
    hd=$(hdir_of "$h"); port=$(port_of "$h")
    if host_healthy "$h" && ssh_banner_ok "$h"; then state=up
    elif host_healthy "$h"; then state=NOSSH; ok=0
    else state=DOWN; ok=0; fi
    ipid=$(init_pid_of "$h" || echo -)
    addrs=""
    while read -r ifn br cidr cidr6; do
      [[ -n $ifn ]] && addrs+="$ifn=$cidr${cidr6:+,$cidr6}($br) "
    done < <(host_links "$h" "$mode")
    [[ -n $(host_gateway "$h" "$mode") ]] && addrs+="gw=$(host_gateway "$h" "$mode")"
    [[ $h == outsider ]] && addrs+="routes 10.200.0.0/24 via 203.0.113.1, 2001:db8:200::/64 via 2001:db8:113::1"
    printf '  %-9s %-16s %-5s %-8s %s\n' "$h" "127.0.0.1:$port" "$state" "$ipid" "$addrs"
  done
  echo "  host keys:"
  for h in "${hosts[@]}"; do
    key=$(host_key_of "$h" || true)
    printf '    %-9s %s\n' "$h" "${key:-?}"
  done
  ((ok)) || { echo "lab: DEGRADED (run: $0 up$([[ $mode == nat ]] && echo ' --nat'))"; return 1; }
  return 0
}

cmd_exec() {
  (($# >= 1)) || die "usage: $0 exec HOST [CMD...]"
  local host=$1 pid; shift
  require_root
  pid=$(require_host_running "$host")
  (($# > 0)) || set -- bash -l
  # All of the host's namespaces (not the root user/cgroup ones, which are shared),
  # its root and cwd; a clean root environment like a fresh login would have.
  local cg=()
  is_booted "$host" && cg=(-C)
  exec nsenter -t "$pid" -m -u -i -n -p -r -w "${cg[@]}" -- \
    env -i PATH="$HOST_PATH" HOME=/root USER=root LOGNAME=root SHELL=/bin/bash \
    TERM="${TERM:-dumb}" LANG=C.UTF-8 "$@"
}

cmd_ssh() {
  (($# >= 1)) || die "usage: $0 ssh HOST [CMD...]  (LAB_USER=$ADMIN_USER for the sudo user)"
  local host=$1; shift
  is_host "$host" || die "unknown host '$host' (hosts: ${ALL_HOSTS[*]})"
  [[ -s $LAB_DIR/known_hosts ]] || die "no $LAB_DIR/known_hosts — is the lab up? run: $0 up"
  grep -q "^\[127.0.0.1\]:$(port_of "$host") " "$LAB_DIR/known_hosts" || die "host '$host' is not part of the running lab"
  ssh_argv "$host" "${LAB_USER:-root}"
  exec "${SSH_ARGV[@]}" "$@"
}

cmd_cable() {
  (($# >= 2)) || die "usage: $0 cable HOST plug|unplug [IFACE]"
  local host=$1 action=$2 ifn=${3:-} state sw found=0
  require_root
  is_host "$host" || die "unknown host '$host' (hosts: ${ALL_HOSTS[*]})"
  case $action in plug) state=up ;; unplug) state=down ;; *) die "cable action must be plug or unplug (got '$action')" ;; esac
  netns_exists "$SWITCH_NS" || die "lab is not up (no switch namespace)"
  for sw in $(ip -n "$SWITCH_NS" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
    [[ $sw == "$host-"* ]] || continue
    [[ -z $ifn || $sw == "$host-$ifn" ]] || continue
    ip -n "$SWITCH_NS" link set "$sw" "$state"
    log "cable $sw: ${action}ged"
    found=1
  done
  ((found)) || die "no cable for host '$host'${ifn:+ interface $ifn} at the switch"
}

# snapshot helpers -------------------------------------------------------------
snap_section() { printf '\n### %s\n' "$1"; }

# List an overlay upper dir: "PATH MODE OWNER sha256:<12 hex>" for files,
# "PATH MODE OWNER -> TARGET" for symlinks, "PATH DELETED" for whiteouts.
# Entries identical to what lies below (same type, mode, owner, content/target)
# are omitted: copy-up leaves such entries behind (parent directories of any
# change, a file edited and restored), and they are not a change.
snap_upper_files() { # snap_upper_files HOSTDIR DIR [ROOTFS]
  # DIR "" with ROOTFS: a booted host, whose upper layer covers its whole root and
  # lies over its base layer and the root filesystem it boots.
  local hd=$1 d=$2 rootfs=${3:-} up type mode own rel path lower sum
  up=$hd/upper${d:+/$d}
  [[ -d $up ]] || return 0
  while IFS=$'\t' read -r type mode own rel; do
    rel=${rel#./}; path=${d:+/$d}/$rel
    [[ $path =~ $SNAPSHOT_NOISE_RE ]] && continue
    [[ -n $rootfs && $path =~ $BOOTED_SNAPSHOT_NOISE_RE ]] && continue
    if [[ $type == c ]] && [[ $(stat -c '%t:%T' "$up/$rel") == 0:0 ]]; then
      printf '%s DELETED\n' "$path"; continue
    fi
    # What the host would see without the upper layer: base layer, else the
    # real dir (not for the homes, which have nothing of the machine's below),
    # or for a booted host its root filesystem.
    lower=$hd/base${d:+/$d}/$rel
    if [[ -n $rootfs ]]; then
      [[ -e $lower || -L $lower ]] || lower=$rootfs/$rel
    else
      [[ -e $lower || -L $lower || " ${PRIVATE_DIRS[*]} " == *" $d "* ]] || lower=/$d/$rel
    fi
    if [[ -e $lower || -L $lower ]] && [[ $(stat -c '%A %U:%G' "$lower") == "$mode $own" ]]; then
      case $type in
        d) continue ;;
        l) [[ $(readlink "$lower") == "$(readlink "$up/$rel")" ]] && continue ;;
        f) cmp -s "$lower" "$up/$rel" && continue ;;
      esac
    fi
    case $type in
      l) printf '%s %s %s -> %s\n' "$path" "$mode" "$own" "$(readlink "$up/$rel")" ;;
      f) sum=$(sha256sum < "$up/$rel"); printf '%s %s %s sha256:%s\n' "$path" "$mode" "$own" "${sum:0:12}" ;;
      *) printf '%s %s %s\n' "$path" "$mode" "$own" ;;
    esac
  done < <(cd "$up" && find . -mindepth 1 -printf '%y\t%M\t%u:%g\t%p\n')
}

cmd_snapshot() {
  (($# == 1)) || die "usage: $0 snapshot HOST"
  local host=$1 pid hd d t
  require_root
  pid=$(require_host_running "$host")
  hd=$(hdir_of "$host")
  hx() { nsenter -t "$pid" -m -u -i -n -p -r -w -- env -i PATH="$HOST_PATH" LANG=C "$@"; }
  echo "# lab snapshot of host $host"
  for t in iptables-nft ip6tables-nft iptables-legacy ip6tables-legacy; do
    snap_section "$t-save"
    # Comments carry dates; counters change with traffic.
    hx "$t-save" 2>&1 | grep -v '^#' | sed -E 's/ \[[0-9]+:[0-9]+\]$//' || true
  done
  snap_section "nft list ruleset"
  hx nft list ruleset 2>&1 | sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/' || true
  snap_section "links (name flags mtu state kind master)"
  hx ip -d -o link show | awk '
    { name = $2; sub(/:$/, "", name); sub(/@.*/, "", name)
      flags = $3; mtu = ""; state = ""; master = ""; kind = ""; ltype = ""
      for (i = 4; i <= NF; i++) {
        if ($i == "mtu") mtu = $(i+1)
        else if ($i == "state") state = $(i+1)
        else if ($i == "master") master = " master " $(i+1)
        else if ($i ~ /^link\//) ltype = $i
        else if ($i == "maxmtu") { j = i + 2; while ($j == "\\") j++; if ($j != "addrgenmode") kind = $j }
      }
      printf "%s %s mtu %s state %s %s%s%s\n", name, flags, mtu, state, ltype, (kind != "" ? " kind " kind : ""), master
    }' | sort
  snap_section "addresses"
  hx ip -o addr show | awk '{ $1 = ""; sub(/^ /, ""); sub(/\\.*$/, ""); print }' | sed -E 's/ +$//' | sort
  snap_section "routes (all tables)"
  { hx ip -4 route show table all | sed 's/^/v4 /'; hx ip -6 route show table all | sed 's/^/v6 /'; } | sed -E 's/ +$//' | sort
  snap_section "rules"
  { hx ip -4 rule show | sed 's/^/v4 /'; hx ip -6 rule show | sed 's/^/v6 /'; } | sed -E 's/[[:space:]]+/ /g; s/ $//' | sort
  snap_section "sysctl"
  hx sysctl net.ipv4.ip_forward net.ipv4.conf.all.forwarding net.ipv6.conf.all.forwarding \
     net.ipv4.conf.all.rp_filter net.ipv4.conf.all.src_valid_mark net.ipv4.conf.all.route_localnet 2>&1 || true
  snap_section "sysctl net.ipv6.conf per link (all, default, each link: forwarding accept_ra autoconf disable_ipv6)"
  # What IPv6 forwarding turns off or on: a link with accept_ra=1 stops taking router
  # advertisements once forwarding is 1 (2 takes them regardless).
  # shellcheck disable=SC2016 # expanded by the host's sh
  hx sh -c 'cd /proc/sys/net/ipv6/conf && for l in *; do
      printf "%s forwarding=%s accept_ra=%s autoconf=%s disable_ipv6=%s\n" "$l" "$(cat "$l/forwarding")" \
        "$(cat "$l/accept_ra")" "$(cat "$l/autoconf")" "$(cat "$l/disable_ipv6")"; done' 2>&1 | sort || true
  snap_section "wireguard interfaces"
  hx wg show interfaces 2>&1 | tr ' ' '\n' | grep -v '^$' | sort || true
  snap_section "changed files (overlay upper layers: path mode owner sha256|target|DELETED)"
  local root=/proc/$pid/root
  if is_booted "$host"; then
    # /tmp and /var/tmp are scratch space (tests drop keys there), as on namespace hosts.
    snap_upper_files "$hd" "" "$(cat "$LAB_DIR/rootfs")" | grep -Ev '^/(var/)?tmp(/| )' | sort
    # A booted host's /run is systemd's, different at every boot: only WireGuard's
    # sockets and whatever is wgforward's.
    snap_section "runtime files (/run, tmpfs; only wireguard and wgforward's)"
    (cd "$root/run" && find . -mindepth 1 -printf '/run/%P %M\n') 2>/dev/null |
      grep -E '^/run/(wireguard/[^ ]+|[^ ]*wgf[^ ]*) ' | grep -Ev '^/run/(lock/wgforward\.lock|systemd/[^ ]*) ' | sort || true
    # What systemd knows: a unit left active (or failed) after its files are gone shows here.
    # Not targets and slices: once reached (e.g. network-online.target, wanted by
    # wg-quick@.service) they stay active until the next boot, whoever pulled them in.
    snap_section "systemd units (loaded, not inactive, not targets or slices: unit load active sub)"
    hx systemctl list-units --all --plain --no-legend --no-pager 2>&1 |
      awk '$3 != "inactive" && $1 !~ /\.(target|slice)$/ {print $1, $2, $3, $4}' | sort || true
    snap_section "systemd unit files enabled"
    hx systemctl list-unit-files --state=enabled --no-legend --no-pager 2>&1 | awk '{print $1, $2}' | sort || true
  else
    for d in "${OVERLAY_DIRS[@]}"; do snap_upper_files "$hd" "$d"; done | sort
    # /run (tmpfs) shows e.g. leftover wireguard-go UAPI sockets. /tmp is scratch
    # space (tests drop keys there) and is deliberately not listed.
    snap_section "runtime files (/run, tmpfs; lab's own omitted)"
    (cd "$root/run" && find . -mindepth 1 -printf '/run/%P %M\n') 2>/dev/null |
      grep -Ev '^/run/(lab|lab/.*|sshd|sshd\.pid|sudo|sudo/.*|utmp|lock|lock/[^ ]*\.lock|xtables\.lock|wireguard|mount) ' | sort || true
  fi
  snap_section "processes (comm; ssh session processes omitted)"
  # From the root namespace: every process in the host's PID namespace, except
  # sshd processes that are not the listener (the listener's parent is lab-init).
  local pidns p comm ppid st
  pidns=$(readlink "/proc/$pid/ns/pid")
  while read -r p; do
    comm=$(cat "/proc/$p/comm" 2>/dev/null) || continue
    st=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    st=${st##*) }; read -r _ ppid _ <<< "$st"
    [[ $comm == sshd && $ppid != "$pid" ]] && continue
    echo "$comm"
  done < <(find /proc/[0-9]*/ns/pid -maxdepth 0 -printf '%h %l\n' 2>/dev/null |
           awk -v ns="$pidns" '$2 == ns { sub(/^\/proc\//, "", $1); sub(/\/ns$/, "", $1); print $1 }') | sort
}

cmd_fault() {
  (($# >= 2)) || die "usage: $0 fault HOST arm PATTERN before|after [NTH] | fault HOST clear | fault HOST status"
  local host=$1 action=$2 pid f; shift 2
  require_root
  pid=$(require_host_running "$host")
  # The host's /run/lab/fault, seen from here through its lab-init's root.
  is_booted "$host" && die "host $host is a booted host: its sshd has no fault gate (use a namespace host)"
  f=/proc/$pid/root/run/lab/fault
  if [[ ! -e $f/lock ]] || ! grep -qx 'ForceCommand /run/lab/session' "/proc/$pid/root/etc/ssh/sshd_config"; then
    die "host $host has no fault gate (lab made by an older lab.sh?): run $0 down, then $0 up"
  fi
  case $action in
    arm)
      (($# == 2 || $# == 3)) || die "usage: $0 fault HOST arm PATTERN before|after [NTH]"
      local pattern=$1 when=$2 nth=${3:-1}
      [[ $pattern != *$'\n'* ]] || die "fault PATTERN must be one line"
      [[ $when == before || $when == after ]] || die "fault: when must be before or after (got '$when')"
      [[ $nth =~ ^[1-9][0-9]{0,5}$ ]] || die "fault: NTH must be a positive number (got '$nth')"
      (
        flock 8
        rm -f "$f/armed" "$f/fired"
        printf '%s' "$pattern" > "$f/pattern"
        echo "$when" > "$f/when"; echo "$nth" > "$f/nth"; echo 0 > "$f/count"
        chmod 0644 "$f/pattern" "$f/when" "$f/nth"; chmod 0666 "$f/count"
        : > "$f/armed"
      ) 8<"$f/lock"
      log "fault on $host: armed, $when the session #$nth whose script contains '$pattern'" ;;
    clear)
      (($# == 0)) || die "usage: $0 fault HOST clear"
      ( flock 8; rm -f "$f/armed" "$f/fired" "$f/pattern" "$f/when" "$f/nth" "$f/count" ) 8<"$f/lock" ;;
    status)
      (($# == 0)) || die "usage: $0 fault HOST status"
      if [[ -e $f/fired ]]; then cat "$f/fired"
      elif [[ -e $f/armed ]]; then
        echo "armed: $(cat "$f/when") session #$(cat "$f/nth") containing '$(cat "$f/pattern")' ($(cat "$f/count") seen so far)"
      else echo clear; fi ;;
    *) die "fault action must be arm, clear or status (got '$action')" ;;
  esac
}

cmd_config() {
  printf 'LAB_NAME=%s\nLAB_DIR=%s\nLAB_NS_PREFIX=%s\nLAB_SSH_PORT_BASE=%s\n' \
    "$LAB_NAME" "$LAB_DIR" "$LAB_NS_PREFIX" "$LAB_SSH_PORT_BASE"
}

main() {
  local cmd=${1:-}
  (($#)) && shift
  case $cmd in
    up)       cmd_up "$@" ;;
    down)     (($# == 0)) || die "usage: $0 down"; cmd_down ;;
    status)   cmd_status ;;
    exec)     cmd_exec "$@" ;;
    ssh)      cmd_ssh "$@" ;;
    cable)    cmd_cable "$@" ;;
    snapshot) cmd_snapshot "$@" ;;
    fault)    cmd_fault "$@" ;;
    poweroff|boot|reboot|reset) cmd_power "$cmd" "$@" ;;
    config)   (($# == 0)) || die "usage: $0 config"; cmd_config ;;
    -h|--help|help) usage ;;
    "") usage >&2; exit 2 ;;
    *) usage >&2; die "unknown subcommand '$cmd'" ;;
  esac
}

main "$@"
