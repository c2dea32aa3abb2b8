#!/usr/bin/env bash
# Builds the TypeScript, Python and Go SDKs into what their users install, from copies (sdk/
# stays as generated), with the pinned dependencies of scripts/sdk-deps.sh:
#   nodejs: tsc, then `npm pack` -> OUT/nodejs/wgforward-wgforward-<version>.tgz
#   python: `python -m build` -> OUT/python/pulumi_wgforward-<version>-py3-none-any.whl and .tar.gz
#   go:     `go build ./...` of the module sdk/go (users `go get` it; nothing to pack)
# Usage: scripts/build-sdks.sh [OUT_DIR] [nodejs|python|go ...]   (default: target/sdks, all three)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/sdks}
shift || true
languages=("$@")
[ ${#languages[@]} -gt 0 ] || languages=(nodejs python go)
eval "$("$root/scripts/sdk-deps.sh")"   # NODE_MODULES, PYTHON_VENV
log() { echo "build-sdks: $*" >&2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
out=$(cd "$out" && pwd)

for language in "${languages[@]}"; do
  t0=$(date +%s%N)
  case "$language" in
    nodejs)
      cp -r "$root/sdk/nodejs" "$tmp/nodejs"
      ln -s "$NODE_MODULES" "$tmp/nodejs/node_modules"
      (cd "$tmp/nodejs" && node_modules/.bin/tsc >&2)
      # What the package ships: the compiled bin/ with its package.json and README, as Pulumi's
      # own providers publish it.
      cp "$tmp/nodejs/package.json" "$tmp/nodejs/README.md" "$tmp/nodejs/bin/"
      mkdir -p "$out/nodejs"
      (cd "$tmp/nodejs/bin" && npm pack --silent --pack-destination "$out/nodejs" >&2)
      ;;
    python)
      cp -r "$root/sdk/python" "$tmp/python"
      cp "$root/sdk/python/pulumi_wgforward/README.md" "$tmp/python/README.md"
      mkdir -p "$out/python"
      # --no-isolation: the build backend (setuptools, pinned) comes from the cached venv, not
      # from an index at build time.
      (cd "$tmp/python" && "$PYTHON_VENV/bin/python" -m build --no-isolation --outdir "$out/python" . >&2)
      ;;
    go)
      (cd "$root/sdk/go" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build ./... >&2)
      ;;
    *) log "unknown language $language (nodejs, python or go)"; exit 2 ;;
  esac
  log "$language built in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
done
ls -1 "$out"/*/* 2>/dev/null >&2 || true
echo "$out"
