#!/usr/bin/env bash
# Everything a fresh machine needs, then every test: unit tests (Surefire) and the tests that run
# the Pulumi engine against the namespace lab (Failsafe, *IT). Extra arguments go to Maven.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bin=$("$root/scripts/setup.sh" | tail -n 1)
export WGFORWARD_TOOLCHAIN_BIN=$bin
export PATH="$bin:$PATH"
echo "test: pulumi $(pulumi version) from $bin" >&2

# The lab is brought up by the tests that need it; make sure nothing of it outlives this run.
trap 'bash "$root/lab/lab.sh" down >/dev/null 2>&1 || true' EXIT

# install, not just verify: the Java example program resolves the SDK from the local repository.
mvn -B -ntp install "$@"
