#!/usr/bin/env bash
# selftest.sh — end-to-end check of lab.sh: brings the lab up (twice), proves
# isolation (hostnames, PID namespaces, overlay files, routing), proves the
# reachability test can fail (naive forwarding on the relay), cables, two
# wireguard-go instances at once, --nat, and that `down` (twice) leaves no
# process, mount, namespace or state behind. Exits nonzero on any failure,
# listing what failed. Prints timings of up/down at the end.
#
# Honors LAB_NAME / LAB_DIR / LAB_SSH_PORT_BASE / LAB_NS_PREFIX like lab.sh.
# Refuses to run if a lab is already up there (it would be torn down at the end).
# SELFTEST_KEEP=1 leaves the lab up afterwards (for debugging).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB=$HERE/lab.sh
# The lab lab.sh would use with this environment, pinned for every call below.
eval "$("$LAB" config)"
export LAB_NAME LAB_DIR LAB_SSH_PORT_BASE LAB_NS_PREFIX
unset LAB_USER

[[ $EUID -eq 0 ]] || { echo "selftest: must run as root" >&2; exit 1; }
if [[ -e $LAB_DIR/mode ]]; then
  echo "selftest: a lab is already up at $LAB_DIR — run '$LAB down' first, or point LAB_DIR/LAB_SSH_PORT_BASE/LAB_NS_PREFIX elsewhere" >&2
  exit 1
fi

TMP=$(mktemp -d /tmp/wgforward-selftest.XXXXXX)
OUT=$TMP/out
FAILS=()
TIMES=()
STRAY_PIDS=()     # root-namespace PIDs of processes we leave in hosts for `down` to kill

cleanup() {
  local rc=$?
  if [[ ${SELFTEST_KEEP:-0} != 1 && -e $LAB_DIR/mode ]]; then
    echo "selftest: tearing the lab down after failure/interruption" >&2
    "$LAB" down >/dev/null 2>&1 || true
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT

pass() { printf 'ok   - %s\n' "$1"; }
fail() {
  printf 'FAIL - %s\n' "$1"
  [[ -s $OUT ]] && sed 's/^/         | /' "$OUT" | tail -n 25
  FAILS+=("$1")
}
# check DESC CMD...: CMD must succeed
check() { local d=$1; shift; if "$@" >"$OUT" 2>&1; then pass "$d"; else fail "$d"; fi; }
# check_not DESC CMD...: CMD must fail
check_not() { local d=$1; shift; if "$@" >"$OUT" 2>&1; then fail "$d (unexpectedly succeeded)"; else pass "$d"; fi; }
# check_eq DESC EXPECTED CMD...: CMD's stdout must equal EXPECTED
check_eq() {
  local d=$1 want=$2 got; shift 2
  if got=$("$@" 2>"$OUT"); [[ $got == "$want" ]]; then pass "$d"
  else echo "expected: '$want'  got: '$got'" >> "$OUT"; fail "$d"; fi
}

now() { date +%s.%N; }
timed() { # timed LABEL CMD... (stdout/stderr to $TMP/LABEL.log)
  local label=$1 t0 t1 rc=0; shift
  t0=$(now)
  "$@" >"$TMP/$label.log" 2>&1 || rc=$?
  t1=$(now)
  TIMES+=("$(awk -v l="$label" -v a="$t0" -v b="$t1" 'BEGIN { printf "%-22s %6.2f s", l, b - a }')")
  cp "$TMP/$label.log" "$OUT"
  return "$rc"
}

lab() { "$LAB" "$@"; }
hx() { "$LAB" exec "$@"; }

# HOST's PID 1 as the root namespace sees it (lab.sh status's INITPID column).
init_pid() { "$LAB" status | awk -v h="$1" '$1 == h {print $4}'; }
# The lab's mode as lab.sh status reports it: plain or nat.
lab_mode() { "$LAB" status | sed -n '1s/^lab: mode=\([a-z]*\) .*/\1/p'; }

# Root-namespace PIDs of processes named COMM inside HOST's PID namespace.
host_pids() { # host_pids HOST COMM
  local init pidns
  init=$(init_pid "$1")
  pidns=$(readlink "/proc/$init/ns/pid")
  find /proc/[0-9]*/ns/pid -maxdepth 0 -printf '%h %l\n' 2>/dev/null |
    awk -v ns="$pidns" '$2 == ns { sub(/^\/proc\//, "", $1); sub(/\/ns$/, "", $1); print $1 }' |
    while read -r p; do [[ $(cat "/proc/$p/comm" 2>/dev/null) == "$2" ]] && echo "$p"; done
  return 0
}

alive() { # alive PID: exists and is not a zombie
  local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) }; [[ ${s:0:1} != Z ]]
}

tcp_open() { # tcp_open HOST ADDR PORT (from inside HOST; 3 s timeout; ADDR may be IPv6)
  hx "$1" timeout 3 bash -c "exec 3<>/dev/tcp/$2/$3"
}
ssh_banner() { # ssh_banner HOST ADDR: prints the first 7 bytes of the sshd banner
  hx "$1" timeout 3 bash -c "exec 3<>/dev/tcp/$2/22; head -c 7 <&3"
}
sysctls() { hx "$1" sysctl -n "${@:2}" | xargs; }   # sysctls HOST KEY...: the values on one line
ping_ok() { hx "$1" ping -n -q -c 1 -W 1 "$2"; }
ping_eventually() { # up to ~6 s
  local i
  for ((i = 0; i < 6; i++)); do ping_ok "$@" && return 0; done
  return 1
}

echo "== selftest of $LAB (LAB_DIR=$LAB_DIR, ports $((LAB_SSH_PORT_BASE+1))-$((LAB_SSH_PORT_BASE+5)), netns prefix $LAB_NS_PREFIX)"

# --------------------------------------------------------------------------
echo "-- up"
if ! timed "up (cold)" lab up; then fail "lab.sh up"; exit 1; fi
pass "lab.sh up"
check "lab.sh up again (idempotent)" timed "up (again)" lab up
check "status reports up" lab status
check "a second up leaves what runs in the hosts alone (relay's ip_forward=1 stays)" bash -c "
  '$LAB' exec relay sysctl -qw net.ipv4.ip_forward=1 && '$LAB' up >/dev/null 2>&1 &&
  test \"\$('$LAB' exec relay sysctl -n net.ipv4.ip_forward)\" = 1 && '$LAB' exec relay sysctl -qw net.ipv4.ip_forward=0"
source "$LAB_DIR/hosts.env"
check_eq "hosts.env describes client, client2, relay, target, outsider and relay2" "CLIENT CLIENT2 OUTSIDER RELAY RELAY2 TARGET" \
  bash -c "sed -n 's/_SSH_PORT=.*//p' '$LAB_DIR/hosts.env' | sort | xargs"
check_eq "known_hosts has 6 entries" 6 awk 'END{print NR}' "$LAB_DIR/known_hosts"
check_eq "hosts.env: each host's IPv6 (_ADDR6)" \
  "CLIENT2_ADDR6=2001:db8:113::11 CLIENT_ADDR6=2001:db8:113::10 OUTSIDER_ADDR6=2001:db8:113::66 RELAY2_ADDR6=2001:db8:113::2 RELAY_ADDR6=2001:db8:113::1 TARGET_ADDR6=2001:db8:200::2" \
  bash -c "grep '_ADDR6=' '$LAB_DIR/hosts.env' | LC_ALL=C sort | xargs"

# --------------------------------------------------------------------------
echo "-- ssh, users, hostnames"
for h in client client2 relay target outsider; do
  check_eq "ssh $h hostname = $h" "$h" lab ssh "$h" hostname
done
check_eq "wgadmin: ssh relay id -un" wgadmin env LAB_USER=wgadmin "$LAB" ssh relay id -un
check "wgadmin: passwordless sudo on relay" env LAB_USER=wgadmin "$LAB" ssh relay sudo -n true
check_eq "wgadmin: sudo gives root" root env LAB_USER=wgadmin "$LAB" ssh relay sudo -n id -un
check_eq "sshd: password auth off" "passwordauthentication no" bash -c "'$LAB' exec relay sshd -T | grep -x 'passwordauthentication no'"
check "ssh with a wrong host key is refused (StrictHostKeyChecking)" bash -c "
  sed 's/^\[127.0.0.1\]:$RELAY_SSH_PORT .*/[127.0.0.1]:$RELAY_SSH_PORT $CLIENT_HOST_KEY/' '$LAB_DIR/known_hosts' > '$TMP/kh'
  ! ssh -F /dev/null -p $RELAY_SSH_PORT -i '$LAB_SSH_KEY' -o BatchMode=yes -o StrictHostKeyChecking=yes \
      -o UserKnownHostsFile='$TMP/kh' -o GlobalKnownHostsFile=/dev/null root@127.0.0.1 true"
echo "scp payload $$" > "$TMP/payload"
# shellcheck disable=SC2086 # LAB_SSH_OPTS is a list of options
check "scp (SFTP subsystem) to relay, trusting exactly the lab's host keys" scp -q $LAB_SSH_OPTS -P "$RELAY_SSH_PORT" \
  "$TMP/payload" root@127.0.0.1:/tmp/payload
check_eq "scp'd file arrived in relay's /tmp" "scp payload $$" hx relay cat /tmp/payload
check_not "relay's /tmp is private (not in client's /tmp)" hx client test -e /tmp/payload

# --------------------------------------------------------------------------
echo "-- homes of their own"
check_eq "relay's /root holds only Debian's default dotfiles" ".bashrc .profile" bash -c "'$LAB' exec relay ls -A /root | xargs"
check_eq "relay's /root is 0700 root" "700 root" hx relay stat -c '%a %U' /root
check_eq "relay's /home holds only wgadmin's home" wgadmin hx relay ls -A /home
machine_only=
for f in /root/.[!.]* /root/*; do
  [[ -e $f && ${f##*/} != .bashrc && ${f##*/} != .profile ]] && { machine_only=${f##*/}; break; }
done
if [[ -n $machine_only ]]; then
  check_not "the machine's /root/$machine_only is not in relay's /root" hx relay test -e "/root/$machine_only"
fi
check_eq "a root session's environment is the lab's (HOME, PATH)" "/root /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  lab ssh relay 'echo $HOME $PATH'

# --------------------------------------------------------------------------
echo "-- fault gate"
# A script as the provider sends it (`sh -s` / `sudo -n sh -s`, script on stdin).
gate_script() { printf '{\n# step: %s\nn=$(cat /tmp/gate-%s 2>/dev/null || echo 0); echo $((n + 1)) > /tmp/gate-%s\necho ran-%s\nexit 3\n} </dev/null\n' "$1" "$1" "$1" "$1"; }
gate_run() { # gate_run USER NAME -> prints "rc=N output"
  local out rc=0 cmd="sh -s"
  [[ $1 == root ]] || cmd="sudo -n sh -s"
  out=$(gate_script "$2" | LAB_USER=$1 "$LAB" ssh relay "$cmd" 2>/dev/null) || rc=$?
  echo "rc=$rc $out"
}
check_eq "unarmed: status clear" clear lab fault relay status
check_eq "unarmed: a script passes through (output, exit code)" "rc=3 ran-x" gate_run root x
check "arm before" lab fault relay arm "step: b" before
check_eq "armed: status" "armed: before session #1 containing 'step: b' (0 seen so far)" lab fault relay status
check_eq "armed: another script passes through" "rc=3 ran-x" gate_run root x
check_eq "armed: a command naming the pattern passes through" "step: b" lab ssh relay "echo 'step: b'"
check_eq "armed: stdin to another command passes through" "step: b" bash -c "echo 'step: b' | '$LAB' ssh relay cat"
check_eq "before: the connection is cut (ssh exit 255, no output)" "rc=255 " gate_run root b
check_eq "before: the script did not run" none hx relay sh -c 'cat /tmp/gate-b 2>/dev/null || echo none'
check_eq "before: status says it fired" "fired before (the script did not run)" lab fault relay status
check_eq "before: one-shot (the same script runs next time)" "rc=3 ran-b" gate_run root b
check "arm after, 2nd match" lab fault relay arm "step: a" after 2
check_eq "after: the 1st match runs as always (wgadmin, sudo)" "rc=3 ran-a" gate_run wgadmin a
check_eq "after: the 2nd match is cut after it ran" "rc=255 " gate_run wgadmin a
check_eq "after: it ran to completion" 2 hx relay cat /tmp/gate-a
check_eq "after: status says it fired after" "fired after (the script ran, exit 3)" lab fault relay status
check "clear" lab fault relay clear
check_eq "cleared: status clear" clear lab fault relay status
check "remove the scripts' files" hx relay rm -f /tmp/gate-a /tmp/gate-b /tmp/gate-x

# --------------------------------------------------------------------------
echo "-- exec"
check_eq "exec passes stdin/stdout" hello bash -c "echo hello | '$LAB' exec relay cat"
rc=0; hx relay sh -c 'exit 7' || rc=$?
if [[ $rc == 7 ]]; then pass "exec propagates the exit code"; else : > "$OUT"; fail "exec propagates the exit code (got $rc)"; fi
check_eq "exec: hostname" target hx target hostname

# --------------------------------------------------------------------------
echo "-- PID namespaces"
sleep_nspid=$(hx client sh -c 'sleep 1000 </dev/null >/dev/null 2>&1 & echo $!')
check "sleep 1000 visible on client" bash -c "'$LAB' exec client ps -e -o comm= | grep -qx sleep"
check_not "sleep 1000 not visible on relay" bash -c "'$LAB' exec relay ps -e -o comm= | grep -qx sleep"
check_eq "PID 1 of relay is lab-init" lab-init hx relay ps -o comm= -p 1
mapfile -t p < <(host_pids client sleep)
STRAY_PIDS+=("${p[@]}")
check_eq "client's sleep has its own PID inside the host namespace ($sleep_nspid)" 1 echo "${#p[@]}"

# --------------------------------------------------------------------------
echo "-- overlay file isolation and snapshot"
lab snapshot relay > "$TMP/snap0"
lab snapshot relay > "$TMP/snap0b"
check "snapshot is stable (twice in a row identical)" diff -u "$TMP/snap0" "$TMP/snap0b"
F=/etc/wgforward-selftest-$$
check "write $F on relay" hx relay sh -c "echo relay-only > $F && mkdir -p /usr/local/lib/wgf-selftest && touch /usr/local/lib/wgf-selftest/x"
check_not "$F is not on the real machine" test -e "$F"
check_not "/usr/local/lib/wgf-selftest is not on the real machine" test -e /usr/local/lib/wgf-selftest
check_not "$F is not on client" hx client test -e "$F"
check_eq "$F is on relay" relay-only hx relay cat "$F"
lab snapshot relay > "$TMP/snap1"
check "snapshot relay lists $F" grep -q "^$F -rw-r--r-- root:root sha256:[0-9a-f]\{12\}\$" "$TMP/snap1"
check "snapshot relay lists the new dir /usr/local/lib/wgf-selftest" grep -q '^/usr/local/lib/wgf-selftest drwx' "$TMP/snap1"
check "remove them again" hx relay rm -rf "$F" /usr/local/lib/wgf-selftest
lab snapshot relay > "$TMP/snap2"
check "snapshot relay is back to the baseline" diff -u "$TMP/snap0" "$TMP/snap2"
check "edit a real file on relay (/etc/issue): content change shows" bash -c "'$LAB' exec relay sh -c 'cp /etc/issue /tmp/issue.orig && echo x >> /etc/issue' &&
  '$LAB' snapshot relay | grep -q '^/etc/issue -rw-r--r-- root:root sha256:'"
check "restore /etc/issue: snapshot back to the baseline (identical copy-up omitted)" bash -c "'$LAB' exec relay cp /tmp/issue.orig /etc/issue &&
  '$LAB' snapshot relay | diff -u '$TMP/snap0' -"
check "deleting a real file on outsider: /etc/debian_version" hx outsider rm /etc/debian_version
check "snapshot outsider shows it DELETED" bash -c "'$LAB' snapshot outsider | grep -qx '/etc/debian_version DELETED'"
check "the real /etc/debian_version is untouched" test -s /etc/debian_version
check "useradd wgadmin happened only in the hosts" bash -c "! getent passwd wgadmin"

# --------------------------------------------------------------------------
echo "-- network layout"
for h in client client2 relay target outsider; do
  check_eq "ip_forward=0 on $h" 0 hx "$h" sysctl -n net.ipv4.ip_forward
done
check_eq "target has no default route" "" hx target ip route show default
check_eq "relay has no default route" "" hx relay ip route show default
check "no lab address or interface in the root namespace" bash -c "! ip -o addr | grep -E '203\.0\.113\.|10\.200\.0\.|198\.51\.100\.|2001:db8:(113|200):'"
check "no route to a lab address in the root namespace" bash -c "! ip -4 route show table all | grep -E '203\.0\.113\.|10\.200\.0\.|198\.51\.100\.' && ! ip -6 route show table all | grep -E '2001:db8:(113|200):'"
check "client pings relay 203.0.113.1" ping_ok client 203.0.113.1
check "relay pings target 10.200.0.2" ping_ok relay 10.200.0.2
check "relay reaches target's sshd (10.200.0.2:22)" tcp_open relay 10.200.0.2 22
check_not "client cannot reach target 10.200.0.2:22" tcp_open client 10.200.0.2 22
check_not "outsider cannot connect to 10.200.0.2:22" tcp_open outsider 10.200.0.2 22

echo "-- the reachability test can fail: naive forwarding on relay"
check "apply naive rules on relay" hx relay sh -c 'sysctl -qw net.ipv4.ip_forward=1 &&
  iptables -t nat -A POSTROUTING -p tcp --dport 22 -j MASQUERADE && iptables -P FORWARD ACCEPT'
check_eq "outsider NOW gets target's ssh banner via the relay" SSH-2.0 ssh_banner outsider 10.200.0.2
check "remove the naive rules" hx relay sh -c 'iptables -t nat -D POSTROUTING -p tcp --dport 22 -j MASQUERADE &&
  sysctl -qw net.ipv4.ip_forward=0 && nft flush ruleset'
check_not "outsider cannot connect to 10.200.0.2:22 again" tcp_open outsider 10.200.0.2 22
lab snapshot relay > "$TMP/snap3"
check "snapshot relay is back to the baseline after rule removal" diff -u "$TMP/snap0" "$TMP/snap3"

# --------------------------------------------------------------------------
echo "-- IPv6 (inet 2001:db8:113::/64, lan 2001:db8:200::/64)"
for h in client client2 relay target outsider relay2; do
  check_eq "net.ipv6.conf.all.forwarding=0 on $h" 0 hx "$h" sysctl -n net.ipv6.conf.all.forwarding
done
check_eq "relay's links: accept_ra=0 autoconf=0 (no SLAAC, no RAs taken)" "0 0 0 0" \
  sysctls relay net.ipv6.conf.eth0.accept_ra net.ipv6.conf.eth0.autoconf net.ipv6.conf.eth1.accept_ra net.ipv6.conf.eth1.autoconf
check_eq "relay's global IPv6 addresses: exactly the lab's, none tentative" "eth0 2001:db8:113::1/64 eth1 2001:db8:200::1/64" \
  bash -c "'$LAB' exec relay ip -o -6 addr show scope global | awk '/tentative|dadfailed/ {print \"BAD\", \$0; next} {print \$2, \$4}' | xargs"
check_eq "no tentative IPv6 address (link-local included) on any host" "" bash -c "
  for h in client client2 relay target outsider relay2; do '$LAB' exec \$h ip -o -6 addr show tentative; done"
check_eq "target has no IPv6 default route" "" hx target ip -6 route show default
check_eq "outsider routes the LAN's IPv6 via the relay" "2001:db8:200::/64 via 2001:db8:113::1 dev eth0" \
  bash -c "'$LAB' exec outsider ip -6 route show 2001:db8:200::/64 | awk '{print \$1, \$2, \$3, \$4, \$5}'"
check "client pings relay over IPv6 (2001:db8:113::1)" ping_ok client 2001:db8:113::1
check "relay pings target over IPv6 (2001:db8:200::2)" ping_ok relay 2001:db8:200::2
check "relay reaches target's sshd over IPv6 ([2001:db8:200::2]:22)" tcp_open relay 2001:db8:200::2 22
check "client reaches relay's sshd over IPv6 ([2001:db8:113::1]:22)" tcp_open client 2001:db8:113::1 22
check "relay2 reaches target's sshd over IPv6" tcp_open relay2 2001:db8:200::2 22
check_not "client cannot reach target over IPv6 (no route)" tcp_open client 2001:db8:200::2 22
check_not "outsider cannot connect to [2001:db8:200::2]:22 (the relay does not forward)" tcp_open outsider 2001:db8:200::2 22
check_eq "snapshot lists the relay's IPv6 link settings" "eth0 forwarding=0 accept_ra=0 autoconf=0 disable_ipv6=0" \
  bash -c "'$LAB' snapshot relay | grep '^eth0 forwarding='"

echo "-- the IPv6 reachability test can fail: naive IPv6 forwarding on relay"
check "apply naive IPv6 rules on relay" hx relay sh -c 'sysctl -qw net.ipv6.conf.all.forwarding=1 &&
  ip6tables -t nat -A POSTROUTING -p tcp --dport 22 -j MASQUERADE && ip6tables -P FORWARD ACCEPT'
check_eq "outsider NOW gets target's ssh banner via the relay over IPv6" SSH-2.0 ssh_banner outsider 2001:db8:200::2
check "snapshot relay shows the IPv6 change (ip6tables, forwarding)" bash -c "'$LAB' snapshot relay > '$TMP/snap6' &&
  grep -q 'MASQUERADE' '$TMP/snap6' && grep -qx 'net.ipv6.conf.all.forwarding = 1' '$TMP/snap6' && grep -q '^eth0 forwarding=1 ' '$TMP/snap6'"
check "remove the naive IPv6 rules" hx relay sh -c 'ip6tables -t nat -D POSTROUTING -p tcp --dport 22 -j MASQUERADE &&
  sysctl -qw net.ipv6.conf.all.forwarding=0 && nft flush ruleset'
check_not "outsider cannot connect to [2001:db8:200::2]:22 again" tcp_open outsider 2001:db8:200::2 22
check "snapshot relay is back to the baseline after IPv6 rule removal" bash -c "'$LAB' snapshot relay | diff -u '$TMP/snap0' -"

echo "-- up converges a lab made before it had IPv6"
check "strip relay2 of its IPv6 (as an older lab.sh left it)" hx relay2 sh -c 'sysctl -qw net.ipv6.conf.eth0.accept_ra=1 net.ipv6.conf.eth1.accept_ra=1 net.ipv6.conf.eth0.disable_ipv6=1 net.ipv6.conf.eth1.disable_ipv6=1'
check_not "relay2 has no IPv6 now" tcp_open relay2 2001:db8:200::2 22
check "lab.sh up" lab up
check "relay2 reaches target's sshd over IPv6 again" tcp_open relay2 2001:db8:200::2 22
check_eq "relay2's links are quiet again (accept_ra=0)" "0 0" sysctls relay2 net.ipv6.conf.eth0.accept_ra net.ipv6.conf.eth1.accept_ra
check "a second up leaves the hosts' IPv6 settings alone (relay's accept_ra=2 stays)" bash -c "
  '$LAB' exec relay sysctl -qw net.ipv6.conf.eth0.accept_ra=2 && '$LAB' up >/dev/null 2>&1 &&
  test \"\$('$LAB' exec relay sysctl -n net.ipv6.conf.eth0.accept_ra)\" = 2 && '$LAB' exec relay sysctl -qw net.ipv6.conf.eth0.accept_ra=0"

# --------------------------------------------------------------------------
echo "-- cables"
check "cable relay unplug" lab cable relay unplug
check_not "client -> relay ping fails while unplugged" ping_ok client 203.0.113.1
check "relay sees NO-CARRIER on eth0 (host config untouched)" bash -c "'$LAB' exec relay ip -o link show eth0 | grep -q NO-CARRIER && '$LAB' exec relay ip -o -4 addr show eth0 | grep -q 203.0.113.1/24"
check "cable relay plug" lab cable relay plug
check "client -> relay ping works again" ping_eventually client 203.0.113.1
check "cable client unplug eth0 (single interface form)" lab cable client unplug eth0
check_not "client -> relay fails" ping_ok client 203.0.113.1
check "cable client plug eth0" lab cable client plug eth0
check "client -> relay works" ping_eventually client 203.0.113.1

# --------------------------------------------------------------------------
echo "-- wireguard-go on two hosts at once"
check "wireguard-go wgtest on relay" hx relay wireguard-go wgtest
check "wireguard-go wgtest on client" hx client wireguard-go wgtest
check_eq "relay: wg show interfaces" wgtest hx relay wg show interfaces
check_eq "client: wg show interfaces" wgtest hx client wg show interfaces
check "relay: wg show lists interface wgtest" bash -c "'$LAB' exec relay wg show | grep -qx 'interface: wgtest'"
check "UAPI sockets are per host (relay's /run/wireguard not on the real /run)" bash -c "'$LAB' exec relay test -S /run/wireguard/wgtest.sock && ! test -e /run/wireguard/wgtest.sock"
rk=$(wg genkey); ck=$(wg genkey); rpub=$(wg pubkey <<< "$rk"); cpub=$(wg pubkey <<< "$ck")
check "configure relay wgtest" bash -c "echo '$rk' | '$LAB' exec relay sh -c 'wg set wgtest listen-port 51820 private-key /dev/stdin peer $cpub allowed-ips 10.99.0.2/32 &&
  ip addr add 10.99.0.1/24 dev wgtest && ip link set wgtest up'"
check "configure client wgtest" bash -c "echo '$ck' | '$LAB' exec client sh -c 'wg set wgtest private-key /dev/stdin peer $rpub allowed-ips 10.99.0.0/24 endpoint 203.0.113.1:51820 &&
  ip addr add 10.99.0.2/24 dev wgtest && ip link set wgtest up'"
check "client pings relay through the tunnel (10.99.0.1)" ping_eventually client 10.99.0.1
check "ip link del wgtest on relay and client" bash -c "'$LAB' exec relay ip link del wgtest && '$LAB' exec client ip link del wgtest"
wg_gone() { local i; for ((i = 0; i < 50; i++)); do [[ -z $(host_pids relay wireguard-go; host_pids client wireguard-go) ]] && return 0; sleep 0.1; done; return 1; }
check "wireguard-go exited on both hosts" wg_gone
# Leave one running on target for `down` to clean up.
check "wireguard-go wgleft on target (left for down)" hx target wireguard-go wgleft
mapfile -t p < <(host_pids target wireguard-go)
STRAY_PIDS+=("${p[@]}")

# --------------------------------------------------------------------------
echo "-- --nat"
check "lab.sh up --nat (from plain)" timed "up --nat (switch)" lab up --nat
check "lab.sh up --nat again" timed "up --nat (again)" lab up --nat
source "$LAB_DIR/hosts.env"
check_eq "status says nat" nat lab_mode
check_eq "ssh router hostname" router lab ssh router hostname
check_eq "client now 198.51.100.10/24" "inet 198.51.100.10/24" bash -c "'$LAB' exec client ip -o -4 addr show eth0 | awk '{print \$3, \$4}'"
check_eq "client default route via router" "default via 198.51.100.1 dev eth0" bash -c "'$LAB' exec client ip route show default | sed 's/ *\$//'"
check_eq "router ip_forward=1" 1 hx router sysctl -n net.ipv4.ip_forward
hx relay timeout 8 socat -T5 TCP4-LISTEN:7777,reuseaddr 'SYSTEM:echo $SOCAT_PEERADDR' > "$TMP/peer" 2>&1 &
listener=$!
for ((i = 0; i < 50; i++)); do hx relay ss -Hltn 'sport = :7777' | grep -q 7777 && break; sleep 0.1; done
nat_peer() { hx client socat -T5 - TCP4:203.0.113.1:7777 </dev/null; }
check_eq "relay sees client as 203.0.113.20 (NATed)" 203.0.113.20 nat_peer
wait "$listener" || true
check "router snapshot shows the masquerade" bash -c "'$LAB' snapshot router | grep -q masquerade"
check_not "relay cannot reach the client's private address" ping_ok relay 198.51.100.10
check_eq "behind the NAT the client has no IPv6 address but ::1 (home is IPv4-only)" "::1/128" \
  bash -c "'$LAB' exec client ip -o -6 addr show | awk '{print \$4}' | xargs"
check_eq "hosts.env has no CLIENT_ADDR6 behind the NAT" "" bash -c "grep '^CLIENT_ADDR6=' '$LAB_DIR/hosts.env' || true"
check_eq "router: IPv6 forwarding 1, its internet IPv6 2001:db8:113::20" "1 2001:db8:113::20/64" \
  bash -c "echo \$('$LAB' exec router sysctl -n net.ipv6.conf.all.forwarding) \$('$LAB' exec router ip -o -6 addr show dev eth0 scope global | awk '{print \$4}')"
check "lab.sh up (back to plain)" timed "up (switch back)" lab up
source "$LAB_DIR/hosts.env"
check_eq "status says plain" plain lab_mode
check_eq "client back on 203.0.113.10/24" "inet 203.0.113.10/24" bash -c "'$LAB' exec client ip -o -4 addr show eth0 | awk '{print \$3, \$4}'"
check "client pings relay directly" ping_eventually client 203.0.113.1
check "client pings relay over IPv6 again" ping_eventually client 2001:db8:113::1
check "router namespace is gone" bash -c "! ip netns list | awk '{print \$1}' | grep -qx '${LAB_NS_PREFIX}router'"
check_not "ssh router refused" lab ssh router true

# --------------------------------------------------------------------------
echo "-- booted hosts (up --booted relay)"
check "lab.sh up --booted relay (switch)" timed "up --booted (switch)" lab up --booted relay
source "$LAB_DIR/hosts.env"
check_eq "ssh relay hostname" relay lab ssh relay hostname
check_eq "relay's PID 1 is systemd" systemd hx relay cat /proc/1/comm
check_eq "relay: systemd running, no failed unit" running hx relay systemctl is-system-running
check_eq "relay: sshd is the distribution's unit" active hx relay systemctl is-active ssh.service
check_eq "relay: ufw and firewalld installed, off" "inactive inactive" bash -c "'$LAB' exec relay sh -c 'ufw status | sed -n \"s/^Status: //p\"; systemctl is-active firewalld' | xargs"
check "relay reaches the target" ping_eventually relay 10.200.0.2
check "booted relay reaches target's sshd over IPv6" tcp_open relay 2001:db8:200::2 22
check_eq "booted relay's links: accept_ra=0 forwarding=0 (after systemd's boot)" "0 0 0" \
  sysctls relay net.ipv6.conf.eth0.accept_ra net.ipv6.conf.eth1.accept_ra net.ipv6.conf.all.forwarding
lab snapshot relay > "$TMP/snapb0"
check "wgadmin: passwordless sudo on the booted relay" env LAB_USER=wgadmin "$LAB" ssh relay sudo -n true
check_not "relay's snapshot: no changed file but systemd's linger dir" bash -c "'$LAB' snapshot relay | sed -n '/^### changed files/,/^### runtime/p' | grep '^/' | grep -v '^/var/lib/systemd/linger '"
check "relay: a file, a firewall table and ip_forward=1 before a reboot" \
  hx relay sh -c 'echo kept > /etc/selftest-kept && nft add table inet selftest && sysctl -qw net.ipv4.ip_forward=1'
check "lab.sh reboot relay" timed "reboot (relay)" lab reboot relay
check_eq "after the reboot: the file is kept (the disk)" kept hx relay cat /etc/selftest-kept
check_not "after the reboot: the firewall table is gone (kernel state)" hx relay nft list table inet selftest
check_eq "after the reboot: ip_forward is 0 again" 0 hx relay sysctl -n net.ipv4.ip_forward
check_eq "after the reboot: running again" running hx relay systemctl is-system-running
check "after the reboot: client reaches the relay's sshd over IPv6" tcp_open client 2001:db8:113::1 22
check "after the reboot: the relay's network as before (snapshot's links, addresses, routes, IPv6 settings)" bash -c "
  '$LAB' snapshot relay | sed -n '/^### links/,/^### wireguard/p' > '$TMP/snapb1' &&
  sed -n '/^### links/,/^### wireguard/p' '$TMP/snapb0' | diff -u - '$TMP/snapb1'"
check "lab.sh reset relay" timed "reset (relay)" lab reset relay
check_not "after reset: the file is gone" hx relay test -e /etc/selftest-kept
check "lab.sh up (relay back to a namespace host)" timed "up (switch back)" lab up
check_not "relay's PID 1 is lab-init again" bash -c "test \"\$('$LAB' exec relay cat /proc/1/comm)\" = systemd"
no_relay_cgroup() { ! ls -d /sys/fs/cgroup/*/wgforward-lab/"${LAB_NS_PREFIX}relay" /sys/fs/cgroup/wgforward-lab/"${LAB_NS_PREFIX}relay" 2>/dev/null; }
check "no cgroup of the booted relay left" no_relay_cgroup
# `down` below takes a booted host down too.
check "lab.sh up --booted relay (again, for down)" lab up --booted relay
source "$LAB_DIR/hosts.env"

# --------------------------------------------------------------------------
echo "-- down"
INIT_PIDS=()
for h in client client2 relay target outsider; do INIT_PIDS+=("$(init_pid "$h")"); done
# Every process the lab runs right now: members of the hosts' PID namespaces and
# of the lab's network namespaces (sshd, sessions, wireguard-go, sleep, the
# per-connection socat), plus the root-namespace forwarders and unshare parents.
ns_ids=()
for p in "${INIT_PIDS[@]}"; do ns_ids+=("$(readlink "/proc/$p/ns/pid")"); done
for n in "${LAB_NS_PREFIX}"{client,relay,target,outsider,switch}; do ns_ids+=("net:[$(stat -L -c %i "/run/netns/$n")]"); done
mapfile -t LAB_PIDS < <(find /proc/[0-9]*/ns/pid /proc/[0-9]*/ns/net -maxdepth 0 -printf '%h %l\n' 2>/dev/null |
  awk -v ids=" ${ns_ids[*]} " 'index(ids, " " $2 " ") { sub(/^\/proc\//, "", $1); sub(/\/ns$/, "", $1); print $1 }' | sort -u)
for f in "$LAB_DIR"/hosts/*/fwd.pid "$LAB_DIR"/hosts/*/unshare.pid "$LAB_DIR"/hosts/*/nspawn.pid; do LAB_PIDS+=("$(cut -d' ' -f1 "$f")"); done
echo "   (${#LAB_PIDS[@]} lab processes before down)"
check "lab.sh down" timed "down" lab down
check "lab.sh down again (idempotent)" timed "down (again)" lab down
check_not "status reports down" lab status
check "no lab namespaces" bash -c "! ip netns list | awk '{print \$1}' | grep -E '^${LAB_NS_PREFIX}'"
left=()
for p in "${INIT_PIDS[@]}" "${STRAY_PIDS[@]}"; do alive "$p" && left+=("$p"); done
: > "$OUT"; [[ ${#left[@]} -eq 0 ]] && pass "host inits, sleep and wireguard-go killed" || { ps -o pid,stat,args -p "${left[@]}" > "$OUT" || true; fail "processes left: ${left[*]}"; }
stray() {
  local p bad=0 args
  for p in "${LAB_PIDS[@]}"; do
    alive "$p" && { echo "still running: $(ps -o pid=,args= -p "$p")"; bad=1; }
  done
  # Anything else that refers to this lab's state dir (forwarders, nsconnect, lab-init).
  for p in /proc/[0-9]*; do
    p=${p#/proc/}; alive "$p" || continue
    args=$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null) || continue
    [[ $args == *"$LAB_DIR/"* ]] && { echo "refers to $LAB_DIR: $p $args"; bad=1; }
  done
  return "$bad"
}
check "no stray lab process (sshd, socat, wireguard-go, sleep, lab-init, unshare)" stray
check "no cgroup of the booted relay left after down" no_relay_cgroup
check "no mount of $LAB_DIR in any process" bash -c "! grep -l -- '$LAB_DIR' /proc/[0-9]*/mountinfo 2>/dev/null"
check "no listener on the lab ports" bash -c "! ss -Hltn | grep -E '127\.0\.0\.1:($((LAB_SSH_PORT_BASE+1))|$((LAB_SSH_PORT_BASE+2))|$((LAB_SSH_PORT_BASE+3))|$((LAB_SSH_PORT_BASE+4))|$((LAB_SSH_PORT_BASE+5))) '"
check_eq "state wiped except the operator key" "id_ed25519 id_ed25519.pub" bash -c "ls -A '$LAB_DIR' | sort | xargs"

# --------------------------------------------------------------------------
echo
echo "== timings"
printf '   %s\n' "${TIMES[@]}"
echo
if ((${#FAILS[@]})); then
  echo "== ${#FAILS[@]} FAILED:"
  printf '   - %s\n' "${FAILS[@]}"
  exit 1
fi
echo "== all checks passed"
