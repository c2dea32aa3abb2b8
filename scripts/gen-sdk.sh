#!/usr/bin/env bash
# Regenerates every SDK from schema.json: Java with `pulumi package gen-sdk` (pulumi-language-java),
# TypeScript, Python and Go with the repository's own generator, provider/cmd/pulumi-gen-wgforward
# (Pulumi's code generators as a Go program: their language hosts cannot be had here).
# Generated code is never edited by hand. Ours, and kept: sdk/java/pom.xml (codegen only writes
# Gradle files) and sdk/go/go.mod, go.sum (codegen writes none for a plain package).
# Usage: scripts/gen-sdk.sh [OUT_DIR]   (default: sdk; tests pass a temp dir to check for drift)
# OUT_DIR receives java/src/main/java, nodejs/, python/ and go/ (go/wgforward and .gitattributes).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/sdk}
command -v pulumi >/dev/null || PATH="$("$root/scripts/setup.sh" | tail -n 1):$PATH"
# The plugin's version (the Maven project's): the SDKs ask the engine for exactly this plugin.
version=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -n 1)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- Java ----------------------------------------------------------------------------------
PULUMI_SKIP_UPDATE_CHECK=true pulumi package gen-sdk "$root/schema.json" --language java -o "$tmp" >&2
mkdir -p "$out/java/src/main"
rm -rf "$out/java/src/main/java"
cp -r "$tmp/java/src/main/java" "$out/java/src/main/java"
echo "sdk: generated $out/java/src/main/java" >&2

# --- TypeScript, Python, Go ----------------------------------------------------------------
gen=$("$root/scripts/sdk-gen-tool.sh")
"$gen" -schema "$root/schema.json" -version "$version" -out "$tmp/gen" nodejs python go
for language in nodejs python; do
  rm -rf "${out:?}/$language"
  cp -r "$tmp/gen/$language" "$out/$language"
  echo "sdk: generated $out/$language" >&2
done
mkdir -p "$out/go"
rm -rf "$out/go/wgforward"
cp -r "$tmp/gen/go/." "$out/go/"
echo "sdk: generated $out/go/wgforward" >&2
