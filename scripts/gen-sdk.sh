#!/usr/bin/env bash
# Regenerates sdk/java/src from schema.json with `pulumi package gen-sdk` (pulumi-language-java).
# The generated code is never edited by hand; sdk/java/pom.xml is ours (codegen only writes Gradle files).
# Usage: scripts/gen-sdk.sh [OUT_DIR]   (default: sdk/java; tests pass a temp dir to check for drift)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/sdk/java}
command -v pulumi >/dev/null || PATH="$("$root/scripts/setup.sh"):$PATH"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PULUMI_SKIP_UPDATE_CHECK=true pulumi package gen-sdk "$root/schema.json" --language java -o "$tmp" >&2
mkdir -p "$out"
rm -rf "$out/src/main/java"
mkdir -p "$out/src/main"
cp -r "$tmp/java/src/main/java" "$out/src/main/java"
echo "sdk: generated $out/src/main/java" >&2
