#!/usr/bin/env bash
# Prints wgforward's speed and memory figures (no pass/fail: targets live here, not in tests):
#   plugin start (time to the handshake line) and its resident memory after start;
#   `pulumi preview` of the key-pair example; `pulumi up`, a no-change `preview`, `refresh` and
#   `destroy` of the port-forward example on the lab, with the plugin's peak resident memory.
# Uses the lab (brought up and down here) and a scratch Pulumi state under /tmp.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=$("$root/scripts/setup.sh" | tail -n 1)
export PATH="$bin:$PATH"
mvn -B -ntp -q install -DskipTests
plugin="$root/provider/target/plugin/pulumi-resource-wgforward"
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# ---- plugin start, side by side: system Java 17 with the plain jar vs the bundled runtime ------
# Exec to the handshake line (the port), as the engine starts it (with an engine address), runs
# interleaved so that the machine's load falls on both alike; medians of 11.
system_java=${BENCH_SYSTEM_JAVA:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
[ -x "$system_java" ] || system_java=$(command -v java)
start_ms() {
  local out t0 pid; out=$(mktemp); t0=$(date +%s%N)
  "$plugin" 127.0.0.1:1 >"$out" 2>/dev/null & pid=$!
  while [ ! -s "$out" ]; do sleep 0.002; done
  ms "$t0"; kill "$pid"; wait "$pid" 2>/dev/null || true; rm -f "$out"
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
if [ -x "$root/provider/target/plugin/runtime/bin/java" ]; then
  sys_ms=() own_ms=()
  for i in $(seq 11); do
    sys_ms+=("$(WGFORWARD_JAVA=$system_java start_ms)")
    own_ms+=("$(start_ms)")
  done
  echo "== plugin start, exec to port (median of 11; load $(cut -d' ' -f1 /proc/loadavg))"
  echo "  system_java_plain_jar_ms=$(printf '%s\n' "${sys_ms[@]}" | median)  ($("$system_java" -version 2>&1 | head -1))"
  echo "  bundled_runtime_aot_ms=$(printf '%s\n' "${own_ms[@]}" | median)  ($(du -sh "$root/provider/target/plugin/runtime" | cut -f1) runtime; tarball $(du -h "$root"/provider/target/pulumi-resource-wgforward-v*-linux-amd64.tar.gz | cut -f1))"
fi
# ---- end of the side-by-side section --------------------------------------------------------

echo "== plugin start (5 runs)"
for i in 1 2 3 4 5; do
  out=$(mktemp); t0=$(date +%s%N)
  "$plugin" > "$out" 2>/dev/null & pid=$!
  while [ ! -s "$out" ]; do sleep 0.005; done
  echo "  start_ms=$(ms "$t0") rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
  kill "$pid"; wait "$pid" 2>/dev/null || true; rm -f "$out"
done

scratch=$(mktemp -d)
trap 'bash "$root/lab/lab.sh" down >/dev/null 2>&1 || true; rm -rf "$scratch"' EXIT
export PULUMI_BACKEND_URL="file://$scratch/state" PULUMI_CONFIG_PASSPHRASE=bench PULUMI_SKIP_UPDATE_CHECK=true PULUMI_HOME="$scratch/home"
mkdir -p "$scratch/state"
timed() { local label=$1; shift; local t0; t0=$(date +%s%N); "$@" >"$scratch/last.log" 2>&1 || { cat "$scratch/last.log"; exit 1; }; echo "  ${label}_ms=$(ms "$t0")"; }

echo "== keypair-yaml"
cp -r examples/keypair-yaml "$scratch/keypair"
sed -i "s#../../provider/target/plugin#$root/provider/target/plugin#" "$scratch/keypair/Pulumi.yaml"
(cd "$scratch/keypair" && pulumi stack init bench --non-interactive >/dev/null && timed preview pulumi preview --non-interactive)

echo "== port-forward-yaml on the lab"
bash lab/lab.sh up >/dev/null
# shellcheck disable=SC1091
. "${LAB_DIR:-/tmp/wgforward-lab}/hosts.env"
cp -r examples/port-forward-yaml "$scratch/pf"
sed -i "s#../../provider/target/plugin#$root/provider/target/plugin#" "$scratch/pf/Pulumi.yaml"
cd "$scratch/pf"
pulumi stack init bench --non-interactive >/dev/null
for kv in "relayHost=$RELAY_SSH_HOST" "relayPort=$RELAY_SSH_PORT" "relayHostKey=$RELAY_HOST_KEY" "relayEndpoint=$RELAY_ADDR" \
          "clientHost=$CLIENT_SSH_HOST" "clientPort=$CLIENT_SSH_PORT" "clientHostKey=$CLIENT_HOST_KEY" "targetHost=10.200.0.2"; do
  pulumi config set "${kv%%=*}" -- "${kv#*=}"
done
pulumi config set --secret sshPrivateKey -- "$(cat "$LAB_SSH_KEY")"
peak="$scratch/peak"; echo 0 > "$peak"
( while :; do for p in $(pgrep -f pulumi-resource-wgforward.jar); do
    r=$(awk '/VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    [ "${r:-0}" -gt "$(cat "$peak")" ] && echo "$r" > "$peak"; done; sleep 0.1; done ) & poller=$!
timed up pulumi up --yes --skip-preview --non-interactive
timed preview_no_changes pulumi preview --expect-no-changes --non-interactive
timed refresh pulumi refresh --yes --skip-preview --non-interactive
timed destroy pulumi destroy --yes --skip-preview --non-interactive
kill "$poller" 2>/dev/null || true
echo "  plugin_peak_rss_kb=$(cat "$peak")"
