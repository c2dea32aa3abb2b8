#!/usr/bin/env bash
# The demo: sets up a fresh machine, brings up the namespace lab (client A, relay B, target C,
# outsider), runs `pulumi up` of examples/port-forward-yaml, and shows that ssh from the client
# through the forward lands on the target while the outsider gets nowhere.
#   scripts/demo.sh        set up and run the demo (idempotent: run it again to re-check)
#   scripts/demo.sh down   pulumi destroy, then take the lab down
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
lab="$root/lab/lab.sh"
demo_home=${WGFORWARD_DEMO_HOME:-$HOME/.wgforward-demo}
example="$root/examples/port-forward-yaml"

bin=$("$root/scripts/setup.sh" | tail -n 1)
export PATH="$bin:$PATH"
mkdir -p "$demo_home/state"
export PULUMI_BACKEND_URL="file://$demo_home/state" PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-wgforward-demo}
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_HOME=${PULUMI_HOME:-$demo_home/pulumi-home}
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ "${1:-}" = down ]; then
  if [ -d "$demo_home/state/.pulumi" ] && (cd "$example" && pulumi stack select demo >/dev/null 2>&1); then
    say "pulumi destroy"
    (cd "$example" && pulumi destroy --yes --non-interactive --skip-preview && pulumi stack rm demo --yes --non-interactive)
  fi
  say "lab down"
  bash "$lab" down
  exit 0
fi

say "build the provider plugin"
mvn -B -ntp -q install -DskipTests

say "lab up"
bash "$lab" up
# shellcheck disable=SC1091
. "${LAB_DIR:-/tmp/wgforward-lab}/hosts.env"

cd "$example"
pulumi stack select demo >/dev/null 2>&1 || pulumi stack init demo --non-interactive
pulumi config set relayHost "$RELAY_SSH_HOST"
pulumi config set relayPort "$RELAY_SSH_PORT"
pulumi config set relayHostKey -- "$RELAY_HOST_KEY"
pulumi config set relayEndpoint "$RELAY_ADDR"
pulumi config set clientHost "$CLIENT_SSH_HOST"
pulumi config set clientPort "$CLIENT_SSH_PORT"
pulumi config set clientHostKey -- "$CLIENT_HOST_KEY"
pulumi config set targetHost 10.200.0.2
pulumi config set --secret sshPrivateKey -- "$(cat "$LAB_SSH_KEY")"

say "pulumi up"
pulumi up --yes --non-interactive
relay_ip=$(pulumi stack output relayTunnelIp)

say "on the client: ssh -p 8888 root@$relay_ip hostname"
known="[$relay_ip]:8888 $TARGET_HOST_KEY"
bash "$lab" exec client sh -c "umask 077; cat > /tmp/demo-key; echo '$known' > /tmp/demo-known-hosts;
  ssh -i /tmp/demo-key -o UserKnownHostsFile=/tmp/demo-known-hosts -o BatchMode=yes -o ConnectTimeout=5 \
      -p 8888 root@$relay_ip hostname" < "$LAB_SSH_KEY" | sed 's/^/  client> /'

say "the outsider tries the target through the relay"
if bash "$lab" exec outsider timeout 5 bash -c '</dev/tcp/10.200.0.2/22' 2>/dev/null; then
  echo "  the outsider got through: that is a bug" >&2; exit 1
else
  echo "  outsider> no way in (as intended)"
fi

say "done"
echo "The forward is live: the client reaches the target with 'ssh -p 8888 root@$relay_ip'."
echo "Tear it all down with: scripts/demo.sh down"
