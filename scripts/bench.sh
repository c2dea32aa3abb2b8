#!/usr/bin/env bash
# Prints wgforward's speed figures, each against its target (no pass/fail: targets live here, not
# in the tests):
#   plugin exec -> port line and SIGINT -> exit (medians), resident memory after start;
#   how many times the engine starts the plugin per `pulumi preview` and `pulumi up` of the seed
#   stack (examples/port-forward-yaml on the lab), and why each start happened;
#   a no-change preview against an empty YAML program's preview, each run just before it;
#   how long the engine waits for the plugin to exit at the end of a run (from its -v=9 log);
#   SSH logins on each of the lab's hosts (from its sshd log) during previews (target 0) and per
#   up, refresh and destroy (target 1 per host);
#   `pulumi up` against the same host work done by a shell script over plain ssh (in this file),
#   interleaved run by run (target: up <= 2 x the script), and destroy against the script's down;
#   then the hub's figures (scripts/bench-hub.sh: one relay, 20 clients, 50 forwards).
#
# The plugin runs behind a wrapper launcher that logs every start (time, parent, argv); the reason
# for each start comes from the engine's own log (-v=9) of a separate, untimed run.
# It uses a lab of its own (LAB_NAME=bench: wgbench-* namespaces, ports 2321-2325,
# /tmp/wgforward-bench-lab; LAB_DIR, LAB_NS_PREFIX and LAB_SSH_PORT_BASE still override) and
# takes down only that lab, and a scratch Pulumi home and state under /tmp.
#
# Environment: BENCH_PLUGIN_DIR  a built plugin directory to measure (default: build this tree)
#              BENCH_EXAMPLE     the program to measure (default: examples/port-forward-yaml)
#              BENCH_RUNS        runs per median (default 5)
# (LAB_DIR, LAB_NS_PREFIX and LAB_SSH_PORT_BASE move the bench's lab, e.g. beside another bench.)
set -euo pipefail
set -m # background jobs in their own process groups: SIGINT reaches them (and only them)
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v pulumi >/dev/null || PATH="$("$root/scripts/setup.sh" | tail -n 1):$PATH"
export LAB_NAME=bench
runs=${BENCH_RUNS:-5}
example=${BENCH_EXAMPLE:-$root/examples/port-forward-yaml}
if [ -n "${BENCH_PLUGIN_DIR:-}" ]; then
  plugin_dir=$(cd "$BENCH_PLUGIN_DIR" && pwd)
else
  mvn -B -ntp -q install -DskipTests
  plugin_dir="$root/provider/target/plugin"
fi

now() { date +%s%N; }
ms() { echo $(( ($(now) - $1) / 1000000 )); }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
# verdict VALUE OP TARGET: "ok" or "MISSED" (OP: le or eq)
verdict() {
  local met
  case $2 in le) met=$(( $1 <= $3 )) ;; eq) met=$(( $1 == $3 )) ;; esac
  if [ "$met" = 1 ]; then echo ok; else echo MISSED; fi
}

# ---- plugin start, side by side: system Java 17 with the plain jar vs the bundled runtime ------
# Exec to the handshake line (the port), as the engine starts it (with an engine address), runs
# interleaved so that the machine's load falls on both alike; medians of 11.
system_java=${BENCH_SYSTEM_JAVA:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
[ -x "$system_java" ] || system_java=$(command -v java)
start_ms() {
  local out t0 pid; out=$(mktemp); t0=$(now)
  "$plugin_dir/pulumi-resource-wgforward" 127.0.0.1:1 >"$out" 2>/dev/null & pid=$!
  while [ ! -s "$out" ]; do sleep 0.002; done
  ms "$t0"; kill "$pid"; wait "$pid" 2>/dev/null || true; rm -f "$out"
}
if [ -x "$plugin_dir/runtime/bin/java" ]; then
  sys_ms=() own_ms=()
  for _ in $(seq 11); do
    sys_ms+=("$(WGFORWARD_JAVA=$system_java start_ms)")
    own_ms+=("$(start_ms)")
  done
  own=$(printf '%s\n' "${own_ms[@]}" | median)
  echo "== plugin start, exec to port (median of 11, interleaved; load $(cut -d' ' -f1 /proc/loadavg))"
  echo "  system_java_plain_jar_ms=$(printf '%s\n' "${sys_ms[@]}" | median)  ($("$system_java" -version 2>&1 | head -1))"
  echo "  bundled_runtime_aot_ms=$own (target <= 300: $(verdict "$own" le 300); $(du -sh "$plugin_dir/runtime" | cut -f1) runtime; tarball $(du -h "$root"/provider/target/pulumi-resource-wgforward-v*-linux-amd64.tar.gz | head -1 | cut -f1))"
fi

echo "== the plugin alone ($runs runs; $plugin_dir)"
ports=() exits=() rss=()
for _ in $(seq "$runs"); do
  out=$(mktemp); t0=$(now)
  "$plugin_dir/pulumi-resource-wgforward" >"$out" 2>/dev/null & pid=$!
  while [ ! -s "$out" ]; do sleep 0.002; done
  ports+=("$(ms "$t0")")
  rss+=("$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")")
  sleep 0.5
  t0=$(now); kill -INT "$pid"; wait "$pid" 2>/dev/null || true; exits+=("$(ms "$t0")")
  rm -f "$out"
done
port_ms=$(printf '%s\n' "${ports[@]}" | median)
exit_ms=$(printf '%s\n' "${exits[@]}" | median)
echo "  exec_to_port_ms=$port_ms (median of ${ports[*]})"
echo "  sigint_to_exit_ms=$exit_ms (median of ${exits[*]}; target <= 50: $(verdict "$exit_ms" le 50))"
echo "  rss_after_start_kb=$(printf '%s\n' "${rss[@]}" | median)"
# The floor on this machine, now: a JVM that does nothing, with the launcher's flags.
bare=$(mktemp -d)
printf 'public class Bare { public static void main(String[] a) throws Exception { System.out.println(1); Thread.sleep(60000); } }\n' >"$bare/Bare.java"
javac -d "$bare" "$bare/Bare.java"
bares=()
for _ in $(seq "$runs"); do
  out=$(mktemp)
  java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$bare" Bare >"$out" & pid=$!
  while [ ! -s "$out" ]; do sleep 0.002; done
  sleep 0.5
  t0=$(now); kill -INT "$pid"; wait "$pid" 2>/dev/null || true; bares+=("$(ms "$t0")")
  rm -f "$out"
done
rm -rf "$bare"
echo "  bare_jvm_sigint_to_exit_ms=$(printf '%s\n' "${bares[@]}" | median) (median of ${bares[*]}: the floor under this load)"

scratch=$(mktemp -d /tmp/wgforward-bench.XXXXXX)
cleanup() {
  (cd "$scratch/pf" 2>/dev/null && pulumi destroy --yes --skip-preview --non-interactive >/dev/null 2>&1) || true
  bash "$root/lab/lab.sh" down >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
export PULUMI_BACKEND_URL="file://$scratch/state" PULUMI_CONFIG_PASSPHRASE=bench PULUMI_SKIP_UPDATE_CHECK=true \
  PULUMI_HOME="$scratch/home" PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true NO_COLOR=1
mkdir -p "$scratch/state" "$scratch/home" "$scratch/wrap"
starts="$scratch/starts.log"
# The launcher the engine runs: logs the start, then becomes the real plugin (same pid, so the
# engine's signals reach the plugin itself).
cat >"$scratch/wrap/pulumi-resource-wgforward" <<EOF
#!/bin/sh
printf '%s pid=%s parent=%s argv=%s\n' "\$(date +%s%N)" "\$\$" "\$(cat /proc/\$PPID/comm 2>/dev/null)" "\$*" >>"$starts"
exec "$plugin_dir/pulumi-resource-wgforward" "\$@"
EOF
chmod +x "$scratch/wrap/pulumi-resource-wgforward"
count_starts() { if [ -f "$starts" ]; then grep -c . "$starts"; else echo 0; fi; }
# logins HOST: successful SSH logins so far, from the host's sshd log (LogLevel VERBOSE logs "Accepted
# key ..." twice more per public key login: only "Accepted <method> for <user>" is a login)
logins() { bash "$root/lab/lab.sh" exec "$1" sh -c 'grep -cE "Accepted [a-z-]+ for " /run/lab/sshd.log || true'; }
# exit_wait LOG: ms between the engine's "killing plugin" for wgforward and its next log line (the
# engine stops plugins one by one and waits for each to exit), from an engine log (-v=9)
exit_wait() {
  awk '
    match($0, /"time":"[^"]*"/) {
      split(substr($0, RSTART + 19, RLENGTH - 20), hms, ":"); s = hms[1] * 3600 + hms[2] * 60 + hms[3]
      if (pending) { printf "%d\n", (s - killed) * 1000; pending = 0 }
      if (index($0, "killing plugin") && index($0, "/pulumi-resource-wgforward")) { killed = s; pending = 1 }
    }' "$1" | head -n 1
}
# run LOG CMD...: runs CMD, fails the bench with its output if it fails, prints its ms
run() { local log=$1; shift; local t0; t0=$(now); "$@" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }; ms "$t0"; }
# why LOG: one line per plugin start in an engine log (-v=9): what the engine was doing
why() {
  grep -o '"msg":"[^"]*' "$1" | awk '
    /GetSchema executing: package=wgforward/ { reason = "schema load for the language host (loader GetSchema, not served from the disk cache)" }
    /ProviderRegistry.Check\(urn:[^)]*pulumi:providers:wgforward::/ {
      match($0, /pulumi:providers:wgforward::[^)]*/); reason = "provider resource " substr($0, RSTART + 28, RLENGTH - 28) }
    /Launching plugin .wgforward/ { n++; print "    start " n ": " (reason == "" ? "(no reason in the log)" : reason); reason = "" }'
}

echo "== an empty YAML program ($runs previews)"
mkdir -p "$scratch/empty"
printf 'name: bench-empty\nruntime: yaml\n' >"$scratch/empty/Pulumi.yaml"
(cd "$scratch/empty" && pulumi stack init bench --non-interactive >/dev/null)
empty=()
for _ in $(seq "$runs"); do empty+=("$(cd "$scratch/empty" && run "$scratch/empty.log" pulumi preview --non-interactive)"); done
empty_ms=$(printf '%s\n' "${empty[@]}" | median)
echo "  empty_preview_ms=$empty_ms (median of ${empty[*]})"
# The engine's own floor for `up`, and what one wgforward resource that touches no host costs (a
# KeyPair: the plugin's start, its handshake with the engine, Check and Diff): the part of the
# seed stack's figures that no host work and no component can remove.
empty_ups=()
for _ in $(seq "$runs"); do empty_ups+=("$(cd "$scratch/empty" && run "$scratch/empty.log" pulumi up --yes --skip-preview --non-interactive)"); done
empty_up_ms=$(printf '%s\n' "${empty_ups[@]}" | median)
echo "  empty_up_ms=$empty_up_ms (median of ${empty_ups[*]})"
mkdir -p "$scratch/keypair"
printf 'name: bench-keypair\nruntime: yaml\nplugins:\n  providers:\n    - name: wgforward\n      path: %s\n      version: 0.1.0\nresources:\n  key:\n    type: wgforward:index:KeyPair\n' \
  "$plugin_dir" >"$scratch/keypair/Pulumi.yaml"
(cd "$scratch/keypair" && pulumi stack init bench --non-interactive >/dev/null && run "$scratch/keypair.log" pulumi up --yes --skip-preview --non-interactive >/dev/null)
kp_previews=() kp_ups=()
for _ in $(seq "$runs"); do
  kp_previews+=("$(cd "$scratch/keypair" && run "$scratch/keypair.log" pulumi preview --non-interactive)")
  kp_ups+=("$(cd "$scratch/keypair" && run "$scratch/keypair.log" pulumi up --yes --skip-preview --non-interactive)")
done
kp_preview_ms=$(printf '%s\n' "${kp_previews[@]}" | median)
kp_up_ms=$(printf '%s\n' "${kp_ups[@]}" | median)
echo "  one_keypair_no_change_preview_ms=$kp_preview_ms (median of ${kp_previews[*]}; $(awk -v a="$kp_preview_ms" -v b="$empty_ms" 'BEGIN { printf "%.2f", a / b }') x empty)"
echo "  one_keypair_no_change_up_ms=$kp_up_ms (median of ${kp_ups[*]}: the floor of any wgforward up)"
(cd "$scratch/keypair" && pulumi destroy --yes --skip-preview --non-interactive >/dev/null 2>&1) || true

echo "== $(basename "$example") on the lab"
bash lab/lab.sh up >/dev/null
lab_dir=$(bash lab/lab.sh config | sed -n 's/^LAB_DIR=//p')
# shellcheck disable=SC1091
. "$lab_dir/hosts.env"
cp -r "$example" "$scratch/pf"
rm -rf "$scratch/pf/target" "$scratch/pf/.state" "$scratch"/pf/Pulumi.*.yaml
sed -i "s#path: .*provider/target/plugin#path: $scratch/wrap#" "$scratch/pf/Pulumi.yaml"
cd "$scratch/pf"
pulumi stack init bench --non-interactive >/dev/null
for kv in "relayHost=$RELAY_SSH_HOST" "relayPort=$RELAY_SSH_PORT" "relayHostKey=$RELAY_HOST_KEY" "relayEndpoint=$RELAY_ADDR" \
          "clientHost=$CLIENT_SSH_HOST" "clientPort=$CLIENT_SSH_PORT" "clientHostKey=$CLIENT_HOST_KEY" "targetHost=10.200.0.2"; do
  pulumi config set "${kv%%=*}" -- "${kv#*=}"
done
pulumi config set --secret sshPrivateKey -- "$(cat "$LAB_SSH_KEY")"

rm -f "$starts"
t=$(run "$scratch/why-first.log" pulumi preview --non-interactive --logflow -v=9 --logtostderr)
echo "  first preview in a fresh Pulumi home (engine log on): ${t} ms, plugin starts: $(count_starts)"
why "$scratch/why-first.log"
rm -f "$starts"
run "$scratch/why-preview.log" pulumi preview --non-interactive --logflow -v=9 --logtostderr >/dev/null
n=$(count_starts)
echo "  preview_starts=$n (target 1: $(verdict "$n" eq 1))"
why "$scratch/why-preview.log"
sed 's/^/    wrapper: /' "$starts"

rm -f "$starts"
run "$scratch/up.log" pulumi up --yes --skip-preview --non-interactive --logflow -v=9 --logtostderr >/dev/null
n=$(count_starts)
echo "  up_starts=$n (target 1: $(verdict "$n" eq 1))"
why "$scratch/up.log"
run "$scratch/destroy.log" pulumi destroy --yes --skip-preview --non-interactive >/dev/null

# The same host work by a shell script over plain ssh, as one would write it by hand: keys made
# locally, then on the relay the wg-quick file, wg-quick up, ip_forward (and its sysctl file) and
# an nftables table with the DNAT, MASQUERADE, FORWARD and MSS rules; on the client its wg-quick
# file and wg-quick up; one ssh per host, both hosts at once. Its down undoes all of it.
shell_up() {
  local relay_key client_key relay
  relay_key=$(wg genkey) client_key=$(wg genkey)
  # LAB_SSH_OPTS is a list of options; the keys are filled in here, before the script leaves.
  # shellcheck disable=SC2086,SC2087
  ssh $LAB_SSH_OPTS -p "$RELAY_SSH_PORT" "root@$RELAY_SSH_HOST" 'sh -s' <<SCRIPT &
set -e
umask 077
mkdir -p /etc/wireguard
cat > /etc/wireguard/wgf0.conf <<CONF
[Interface]
PrivateKey = $relay_key
Address = 10.77.42.1/24
ListenPort = 51820

[Peer]
PublicKey = $(echo "$client_key" | wg pubkey)
AllowedIPs = 10.77.42.2/32
CONF
wg-quick up wgf0 2>/dev/null
echo net.ipv4.ip_forward=1 > /etc/sysctl.d/60-wgforward-wgf0.conf
sysctl -qw net.ipv4.ip_forward=1
nft -f - <<NFT
table ip wgforward_wgf0 {
  chain pre { type nat hook prerouting priority dstnat; iifname "wgf0" ip saddr 10.77.42.2 ip daddr 10.77.42.1 tcp dport 8888 dnat to 10.200.0.2:22; }
  chain post { type nat hook postrouting priority srcnat; ct status dnat ip saddr 10.77.42.2 ip daddr 10.200.0.2 tcp dport 22 masquerade; }
  chain forward {
    type filter hook forward priority filter;
    tcp flags syn tcp option maxseg size set rt mtu
    iifname "wgf0" ct status dnat ip saddr 10.77.42.2 ip daddr 10.200.0.2 tcp dport 22 accept
    oifname "wgf0" ct state established,related accept
    iifname "wgf0" drop
  }
}
NFT
SCRIPT
  relay=$!
  # shellcheck disable=SC2086,SC2087
  ssh $LAB_SSH_OPTS -p "$CLIENT_SSH_PORT" "root@$CLIENT_SSH_HOST" 'sh -s' <<SCRIPT
set -e
umask 077
mkdir -p /etc/wireguard
cat > /etc/wireguard/wgf0.conf <<CONF
[Interface]
PrivateKey = $client_key
Address = 10.77.42.2/24

[Peer]
PublicKey = $(echo "$relay_key" | wg pubkey)
AllowedIPs = 10.77.42.1/32
Endpoint = $RELAY_ADDR:51820
PersistentKeepalive = 25
CONF
wg-quick up wgf0 2>/dev/null
SCRIPT
  wait "$relay"
}
shell_down() {
  local relay
  # shellcheck disable=SC2086
  ssh $LAB_SSH_OPTS -p "$RELAY_SSH_PORT" "root@$RELAY_SSH_HOST" 'sh -s' <<'SCRIPT' &
set -e
wg-quick down wgf0 2>/dev/null
nft delete table ip wgforward_wgf0
rm -f /etc/wireguard/wgf0.conf /etc/sysctl.d/60-wgforward-wgf0.conf
sysctl -qw net.ipv4.ip_forward=0
SCRIPT
  relay=$!
  # shellcheck disable=SC2086
  ssh $LAB_SSH_OPTS -p "$CLIENT_SSH_PORT" "root@$CLIENT_SSH_HOST" 'sh -s' <<'SCRIPT'
set -e
wg-quick down wgf0 2>/dev/null
rm -f /etc/wireguard/wgf0.conf
SCRIPT
  wait "$relay"
}
# through_forward: what the user checks after either way: ssh from the client through the forward lands on the target
through_forward() {
  local i
  for i in 1 2 3 4 5; do
    bash "$root/lab/lab.sh" exec client sh -c "umask 077; cat > /tmp/bench-key; echo '[10.77.42.1]:8888 $TARGET_HOST_KEY' > /tmp/bench-kh
      ssh -i /tmp/bench-key -o UserKnownHostsFile=/tmp/bench-kh -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5 \
        -p 8888 root@10.77.42.1 hostname" <"$LAB_SSH_KEY" 2>/dev/null | grep -qx target && return 0
    sleep 1
  done
  echo "bench: ssh through the forward ($1) did not reach the target" >&2
  return 1
}

# Side by side, interleaved so that the machine's load falls on both alike: pulumi up, refresh and
# destroy of the stack, and the script's up and down; SSH logins per host counted from each host's
# sshd log ("Accepted ..." lines) around each.
ups=() destroys=() refreshes=() shell_ups=() shell_downs=() up_logins=() refresh_logins=() destroy_logins=()
# host_logins RELAY0 CLIENT0: "relay=N client=M", the logins since those counts
host_logins() { echo "relay=$(( $(logins relay) - $1 )) client=$(( $(logins client) - $2 ))"; }
for i in $(seq "$runs"); do
  r0=$(logins relay) c0=$(logins client)
  ups+=("$(run "$scratch/up.log" pulumi up --yes --skip-preview --non-interactive)")
  up_logins+=("$(host_logins "$r0" "$c0")")
  if [ "$i" = 1 ]; then through_forward "pulumi up"; fi
  if [ "$i" = 1 ]; then
    # Untouched, the stack previews without changes, without reaching a host.
    # Each one right after an empty program's preview, so that both meet the same load.
    previews=() empty_beside=() starts_max=0 r0=$(logins relay) c0=$(logins client)
    for _ in $(seq "$runs"); do
      empty_beside+=("$(cd "$scratch/empty" && run "$scratch/empty.log" pulumi preview --non-interactive)")
      rm -f "$starts"
      previews+=("$(run "$scratch/nochange.log" pulumi preview --expect-no-changes --non-interactive)")
      n=$(count_starts); [ "$n" -gt "$starts_max" ] && starts_max=$n
    done
    preview_logins=$(host_logins "$r0" "$c0")
    # How long the engine waits for the plugin to exit at the end of a run (its SIGINT, then the
    # wait), from the engine's own log: a tail here is felt on every command.
    exit_waits=()
    for _ in $(seq $((2 * runs))); do
      run "$scratch/exit.log" pulumi preview --expect-no-changes --non-interactive --logflow -v=9 --logtostderr >/dev/null
      exit_waits+=("$(exit_wait "$scratch/exit.log")")
    done
  fi
  r0=$(logins relay) c0=$(logins client)
  refreshes+=("$(run "$scratch/refresh.log" pulumi refresh --yes --skip-preview --non-interactive --expect-no-changes)")
  refresh_logins+=("$(host_logins "$r0" "$c0")")
  r0=$(logins relay) c0=$(logins client)
  destroys+=("$(run "$scratch/destroy.log" pulumi destroy --yes --skip-preview --non-interactive)")
  destroy_logins+=("$(host_logins "$r0" "$c0")")
  shell_ups+=("$(run "$scratch/shell-up.log" shell_up)")
  if [ "$i" = 1 ]; then through_forward "shell script"; fi
  shell_downs+=("$(run "$scratch/shell-down.log" shell_down)")
done

nochange_ms=$(printf '%s\n' "${previews[@]}" | median)
beside_ms=$(printf '%s\n' "${empty_beside[@]}" | median)
echo "  no_change_preview_ms=$nochange_ms (median of ${previews[*]}) vs empty_preview_ms=$beside_ms (median of ${empty_beside[*]}," \
  "each run just before): target <= 2 x empty = $((2 * beside_ms)): $(verdict "$nochange_ms" le $((2 * beside_ms)));" \
  "ratio $(awk -v a="$nochange_ms" -v b="$beside_ms" 'BEGIN { printf "%.2f", a / b }')"
exit_wait_ms=$(printf '%s\n' "${exit_waits[@]}" | median)
exit_wait_max=$(printf '%s\n' "${exit_waits[@]}" | sort -n | tail -n 1)
echo "  engine_wait_for_plugin_exit_ms=$exit_wait_ms (median of ${exit_waits[*]}, after no-change previews;" \
  "target <= 50: $(verdict "$exit_wait_ms" le 50); longest $exit_wait_max: $(verdict "$exit_wait_max" le 50))"
echo "  no_change_preview_starts_max=$starts_max (target 1: $(verdict "$starts_max" eq 1))"
# logins_verdict TARGET "relay=N client=M"...: ok when every host had TARGET logins in every run
logins_verdict() {
  local target=$1 met=ok l kv; shift
  for l in "$@"; do for kv in $l; do [ "${kv#*=}" = "$target" ] || met=MISSED; done; done
  echo "$met"
}
echo "  ssh_logins_during_${runs}_previews: $preview_logins (target 0: $(logins_verdict 0 "$preview_logins"))"
echo "  ssh_logins_per_up: $(printf '[%s] ' "${up_logins[@]}")(target 1 per host: $(logins_verdict 1 "${up_logins[@]}"))"
echo "  ssh_logins_per_refresh: $(printf '[%s] ' "${refresh_logins[@]}")(target 1 per host: $(logins_verdict 1 "${refresh_logins[@]}"))"
echo "  ssh_logins_per_destroy: $(printf '[%s] ' "${destroy_logins[@]}")(target 1 per host: $(logins_verdict 1 "${destroy_logins[@]}"))"
up_ms=$(printf '%s\n' "${ups[@]}" | median) shell_up_ms=$(printf '%s\n' "${shell_ups[@]}" | median)
destroy_ms=$(printf '%s\n' "${destroys[@]}" | median) shell_down_ms=$(printf '%s\n' "${shell_downs[@]}" | median)
echo "  up_ms=$up_ms (median of ${ups[*]}) vs shell_script_up_ms=$shell_up_ms (median of ${shell_ups[*]}):" \
  "target up <= 2 x script = $((2 * shell_up_ms)): $(verdict "$up_ms" le $((2 * shell_up_ms)));" \
  "ratio $(awk -v a="$up_ms" -v b="$shell_up_ms" 'BEGIN { printf "%.2f", a / b }')"
# What the engine and the plugin cost before any host work (the floors above), and what is left.
echo "  floors: empty preview $empty_ms, one-KeyPair no-change preview $kp_preview_ms (the plugin's start and handshake:" \
  "$((kp_preview_ms - empty_ms)) ms), so the component and its children add $((nochange_ms - kp_preview_ms)) ms to a no-change preview;" \
  "empty up $empty_up_ms, one-KeyPair no-change up $kp_up_ms: the seed up spends $((up_ms - kp_up_ms)) ms above that floor" \
  "for the host work the script does in $shell_up_ms ms"
echo "  refresh_ms=$(printf '%s\n' "${refreshes[@]}" | median) (median of ${refreshes[*]})"
echo "  destroy_ms=$destroy_ms (median of ${destroys[*]}) vs shell_script_down_ms=$shell_down_ms (median of ${shell_downs[*]});" \
  "ratio $(awk -v a="$destroy_ms" -v b="$shell_down_ms" 'BEGIN { printf "%.2f", a / b }')"

# The hub's scale figures (20 clients, 50 forwards), on the same lab and plugin.
BENCH_PLUGIN_DIR=$plugin_dir BENCH_KEEP_LAB=1 bash "$root/scripts/bench-hub.sh"
