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

# --- SDKs (TypeScript, Python, Go) ---------------------------------------------------------
# Their pinned dependencies from npm, PyPI and the Go module proxy, into caches outside the work
# tree (only what is missing); SdkIT and PortForwardSdkIT build and run the SDKs with them. And
# the SDK generator (built once per version of its source, into a cache: minutes the first time).
"$root/scripts/sdk-deps.sh" >/dev/null
"$root/scripts/sdk-gen-tool.sh" >/dev/null

# The tests have a lab of their own (LAB_NAME=test, see lab/lab.sh), apart from the demo's: a
# running demo is neither seen nor touched. The tests bring it up when they need it; make sure
# nothing of it outlives this run (and only of it).
export LAB_NAME=${LAB_NAME:-test}
trap 'bash "$root/lab/lab.sh" down >/dev/null 2>&1 || true' EXIT

# install, not just verify: the Java example program resolves the SDK from the local repository.
mvn -B -ntp install "$@"
