#!/usr/bin/env bash
# The demo: sets up a fresh machine, brings up the namespace lab (client A, relay B, target C,
# outsider), runs `pulumi up` of examples/port-forward-yaml, and shows that ssh from the client
# through the forward lands on the target while the outsider gets nowhere.
#   scripts/demo.sh        set up and run the demo (idempotent: run it again to re-check)
#   scripts/demo.sh down   pulumi destroy, then take the lab down (whatever state it is in)
# The demo has a lab of its own (LAB_NAME=demo: namespaces wgdemo-*, ssh ports 2301-2305,
# /tmp/wgforward-demo-lab), so the tests (LAB_NAME=test) can run while it is up and never touch it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
lab="$root/lab/lab.sh"
export LAB_NAME=${LAB_NAME:-demo}
eval "$(bash "$lab" config)"    # LAB_DIR of the demo's lab
demo_home=${WGFORWARD_DEMO_HOME:-$HOME/.wgforward-demo}
example="$root/examples/port-forward-yaml"

bin=$("$root/scripts/setup.sh" | tail -n 1)
export PATH="$bin:$PATH"
mkdir -p "$demo_home/state"
export PULUMI_BACKEND_URL="file://$demo_home/state" PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-wgforward-demo}
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_HOME=${PULUMI_HOME:-$demo_home/pulumi-home}
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

have_stack() { [ -d "$demo_home/state/.pulumi" ] && (cd "$example" && pulumi stack select demo >/dev/null 2>&1); }
lab_is_up() { bash "$lab" status >/dev/null 2>&1; }
lab_is_down() { [[ $(bash "$lab" status 2>/dev/null) == "lab: down"* ]]; }   # not even partly there
# Everything the stack made lives inside the lab's hosts: once they are gone, so is all of it,
# and the stack only remembers. Dialing hosts that no longer exist would just retry for a minute.
forget_stack() {
  say "$1: forgetting the demo stack (pulumi stack rm --force)"
  (cd "$example" && pulumi stack rm demo --yes --force --non-interactive)
}

if [ "${1:-}" = down ]; then
  rc=0
  if have_stack; then
    if lab_is_up; then
      say "pulumi destroy"
      if (cd "$example" && pulumi destroy --yes --non-interactive --skip-preview); then
        (cd "$example" && pulumi stack rm demo --yes --non-interactive)
      else
        rc=1
        forget_stack "pulumi destroy failed (above); the lab goes down now anyway"
      fi
    else
      forget_stack "the demo lab's hosts are gone (or broken)"
    fi
  fi
  say "lab down"
  bash "$lab" down
  exit "$rc"
fi

say "build the provider plugin"
mvn -B -ntp -q install -DskipTests

say "lab up"
if lab_is_down && have_stack; then
  forget_stack "the demo lab was down, its hosts will be new"
fi
bash "$lab" up
# shellcheck disable=SC1091
. "$LAB_DIR/hosts.env"

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
# --refresh: on a second run this re-checks the hosts (and repairs what is missing), not only
# the recorded state.
pulumi up --yes --non-interactive --refresh
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
