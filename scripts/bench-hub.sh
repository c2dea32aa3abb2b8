#!/usr/bin/env bash
# The hub's scale figures (PortForward with `clients`), printed against their targets, no pass/fail:
# one relay with 20 clients (2 managed: the lab's client and client2; 18 unmanaged) and 50 forwards:
#   create (target <= 20 s), a no-change preview, adding one client, changing one forward,
#   removing one client (target <= 3 s of provider time each: how long the engine waited on the
#   plugin's Create, Update and Delete calls, from its own log; touching only that client's
#   children, the relay's interface and its rules), destroy; SSH logins per host per up (target <= 1);
#   the cost of an extra client: create with 10 clients against create with 20 (linear or better).
# scripts/bench.sh runs it at its end; alone it brings up the bench lab (LAB_NAME=bench, as
# bench.sh; LAB_DIR, LAB_NS_PREFIX, LAB_SSH_PORT_BASE override) and takes it down when done.
# Environment: BENCH_PLUGIN_DIR  a built plugin directory (default: build this tree)
#              BENCH_KEEP_LAB    set: leave the lab up (bench.sh takes it down itself)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v pulumi >/dev/null || PATH="$("$root/scripts/setup.sh" | tail -n 1):$PATH"
export LAB_NAME=${LAB_NAME:-bench}
if [ -n "${BENCH_PLUGIN_DIR:-}" ]; then
  plugin_dir=$(cd "$BENCH_PLUGIN_DIR" && pwd)
else
  mvn -B -ntp -q install -DskipTests
  plugin_dir="$root/provider/target/plugin"
fi

now() { date +%s%N; }
ms() { echo $(( ($(now) - $1) / 1000000 )); }
verdict() { if [ "$1" -le "$2" ]; then echo ok; else echo MISSED; fi; }
# run LOG CMD...: runs CMD, fails the bench with its output if it fails, prints its ms
run() { local log=$1; shift; local t0; t0=$(now); "$@" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }; ms "$t0"; }
logins() { bash "$root/lab/lab.sh" exec "$1" sh -c 'grep -cE "Accepted [a-z-]+ for " /run/lab/sshd.log || true'; }
# changed LOG: the engine's summary of what an up changed ("2 updated, 1 created")
changed() { sed -n '/^Resources:/,/^$/p' "$1" | grep -vE '^Resources:|unchanged|^$' | sed 's/^ *//' | paste -sd, - | sed 's/,/, /g'; }

# provider_ms LOG: the time the engine waited on the plugin's Create, Update and Delete calls (the
# host work), from the engine's own log (-v=9): the union of their intervals, since calls overlap.
provider_ms() {
  grep -oE '"time":"[^"]*","level":"[A-Z]+","msg":"Provider\[[^]]*\]\.(Create|Update|Delete)\([^"]*\) (executing|success|failed)' "$1" \
    | sed -E 's/^"time":"[0-9-]+T([0-9:.]+)Z".*\]\.((Create|Update|Delete)\(.*\)) (executing|success|failed)$/\1 \4 \2/' \
    | awk '{ split($1, t, ":"); sec = t[1] * 3600 + t[2] * 60 + t[3]; key = $3
             if ($2 == "executing") start[key] = sec; else if (key in start) { printf "%.6f %.6f\n", start[key], sec; delete start[key] } }' \
    | sort -n | awk '{ if (NR == 1 || $1 > end) { total += end - begin; begin = $1; end = $2 } else if ($2 > end) end = $2 }
                      END { total += end - begin; printf "%d\n", total * 1000 }'
}

scratch=$(mktemp -d /tmp/wgforward-bench-hub.XXXXXX)
cleanup() {
  (cd "$scratch/hub" 2>/dev/null && pulumi destroy --yes --skip-preview --non-interactive >/dev/null 2>&1) || true
  [ -n "${BENCH_KEEP_LAB:-}" ] || bash "$root/lab/lab.sh" down >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
export PULUMI_BACKEND_URL="file://$scratch/state" PULUMI_CONFIG_PASSPHRASE=bench PULUMI_SKIP_UPDATE_CHECK=true \
  PULUMI_HOME="$scratch/home" PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true NO_COLOR=1
mkdir -p "$scratch/state" "$scratch/home" "$scratch/hub"
bash lab/lab.sh up >/dev/null
lab_dir=$(bash lab/lab.sh config | sed -n 's/^LAB_DIR=//p')
# shellcheck disable=SC1091
. "$lab_dir/hosts.env"

# program UNMANAGED [EXTRA_CLIENT] [CHANGED_PORT]: the hub's Pulumi.yaml: laptop and desktop (3
# forwards each), then UNMANAGED phones; with 18 of them, 8 have 3 forwards and 10 have 2: 50 in
# all. EXTRA_CLIENT adds one more unmanaged client; CHANGED_PORT moves phone-01's first forward.
program() {
  local unmanaged=$1 extra=${2:-} changed_port=${3:-9500} i n p
  cat <<EOF
name: bench-hub
runtime: yaml
plugins:
  providers:
    - name: wgforward
      path: $plugin_dir
      version: 0.1.0
config:
  sshPrivateKey:
    type: string
    secret: true
resources:
  hub:
    type: wgforward:index:PortForward
    properties:
      relay:
        connection: { host: "$RELAY_SSH_HOST", port: $RELAY_SSH_PORT, privateKey: "\${sshPrivateKey}", hostKey: "$RELAY_HOST_KEY" }
        endpoint: "$RELAY_ADDR"
      clients:
EOF
  for name in laptop desktop; do
    local H=CLIENT; [ "$name" = desktop ] && H=CLIENT2
    local host_var=${H}_SSH_HOST port_var=${H}_SSH_PORT key_var=${H}_HOST_KEY base=8000
    [ "$name" = desktop ] && base=8010
    echo "        - name: $name"
    echo "          connection: { host: \"${!host_var}\", port: ${!port_var}, privateKey: \"\${sshPrivateKey}\", hostKey: \"${!key_var}\" }"
    echo "          forwards:"
    for p in 0 1 2; do echo "            - { port: $((base + p)), targetHost: 10.200.0.2, targetPort: 22 }"; done
  done
  for i in $(seq "$unmanaged"); do
    n=$((i <= 8 ? 3 : 2))
    printf '        - name: phone-%02d\n          forwards:\n' "$i"
    for p in $(seq 0 $((n - 1))); do
      local port=$((9000 + i * 10 + p)); [ "$i" = 1 ] && [ "$p" = 0 ] && port=$changed_port
      echo "            - { port: $port, targetHost: 10.200.0.2, targetPort: $((7000 + p)) }"
    done
  done
  if [ -n "$extra" ]; then
    printf '        - name: %s\n          forwards:\n            - { port: 9999, targetHost: 10.200.0.2, targetPort: 22 }\n' "$extra"
  fi
  echo "outputs:"
  echo "  accessPoints: \${hub.accessPoints}"
}

cd "$scratch/hub"
program 8 >Pulumi.yaml
pulumi stack init bench --non-interactive >/dev/null
pulumi config set --secret sshPrivateKey -- "$(cat "$LAB_SSH_KEY")"
forwards() { pulumi stack output accessPoints --json | grep -c ' -> '; }

echo "== a hub: one relay, 2 managed + N unmanaged clients (examples' PortForward with clients) on the lab"
# The cost of an extra client: create and destroy 10 clients (2 + 8), then 20 (2 + 18).
create10=$(run "$scratch/create10.log" pulumi up --yes --skip-preview --non-interactive --logflow -v=9 --logtostderr)
provider10=$(provider_ms "$scratch/create10.log")
forwards10=$(forwards)
run "$scratch/destroy10.log" pulumi destroy --yes --skip-preview --non-interactive >/dev/null

program 18 >Pulumi.yaml
r0=$(logins relay) c0=$(logins client) d0=$(logins client2)
create=$(run "$scratch/create.log" pulumi up --yes --skip-preview --non-interactive --logflow -v=9 --logtostderr)
create_logins="relay=$(( $(logins relay) - r0 )) client=$(( $(logins client) - c0 )) client2=$(( $(logins client2) - d0 ))"
n=$(forwards)
provider20=$(provider_ms "$scratch/create.log")
echo "  create_ms=$create (20 clients, $n forwards; target <= 20000: $(verdict "$create" 20000); engine log on;" \
  "provider time $provider20 ms); ssh logins: $create_logins"
echo "  create_10_clients_ms=$create10 ($forwards10 forwards; provider time $provider10 ms): provider time per client" \
  "$((provider10 / 10)) ms at 10 clients, $((provider20 / 20)) ms at 20, per extra client $(( (provider20 - provider10) / 10 )) ms" \
  "(linear or better when it is no more than the first)"
preview=$(run "$scratch/preview.log" pulumi preview --expect-no-changes --non-interactive)
echo "  no_change_preview_ms=$preview"
# What the engine, the program and the plugin's start take with nothing to do.
nochange_up=$(run "$scratch/nochange-up.log" pulumi up --yes --skip-preview --expect-no-changes --non-interactive)
echo "  no_change_up_ms=$nochange_up"

# step NAME LOG: one up of the program now in Pulumi.yaml, timed, with what it changed and the
# hosts it logged in to.
step() {
  local name=$1 log=$2 t p r0 c0 d0
  r0=$(logins relay) c0=$(logins client) d0=$(logins client2)
  t=$(run "$log" pulumi up --yes --skip-preview --non-interactive --logflow -v=9 --logtostderr)
  p=$(provider_ms "$log")
  echo "  ${name}: provider time ${p} ms (target <= 3000: $(verdict "$p" 3000)), up ${t} ms (engine log on; no-change up $nochange_up ms);" \
    "changed: $(changed "$log");" \
    "ssh logins: relay=$(( $(logins relay) - r0 )) client=$(( $(logins client) - c0 )) client2=$(( $(logins client2) - d0 ))"
}
program 18 tablet >Pulumi.yaml
step add_one_client "$scratch/add.log"
program 18 tablet 9600 >Pulumi.yaml
step change_one_forward "$scratch/change.log"
program 18 "" 9600 >Pulumi.yaml
step remove_one_client "$scratch/remove.log"
pulumi preview --expect-no-changes --non-interactive >/dev/null
pulumi refresh --yes --skip-preview --expect-no-changes --non-interactive >/dev/null
destroy=$(run "$scratch/destroy.log" pulumi destroy --yes --skip-preview --non-interactive)
echo "  destroy_ms=$destroy"
echo "  (wall time of each pulumi command, engine included; load $(cut -d' ' -f1 /proc/loadavg))"
