#!/usr/bin/env bash
# The language dependencies for building the TypeScript, Python and Go SDKs and running their
# examples, at the versions pinned in scripts/sdk-deps/ (package-lock.json, requirements.txt) and
# in the Go modules' go.sum, from npm, PyPI and the Go module proxy, into caches outside the work
# tree. Installs only what is missing (each cache directory is keyed by its pin file's digest).
# Prints two lines: NODE_MODULES=<dir> and PYTHON_VENV=<dir>.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pins="$root/scripts/sdk-deps"
cache_root=${WGFORWARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wgforward}
log() { echo "sdk-deps: $*" >&2; }
digest() { cat "$@" | sha256sum | cut -c1-16; }

# --- npm: @pulumi/pulumi, typescript, @types/node ------------------------------------------
node_dir="$cache_root/sdk-deps/node-$(digest "$pins/package.json" "$pins/package-lock.json")"
if [ ! -d "$node_dir/node_modules" ]; then
  log "npm ci into $node_dir"
  t0=$(date +%s)
  rm -rf "$node_dir.tmp" && mkdir -p "$node_dir.tmp"
  cp "$pins/package.json" "$pins/package-lock.json" "$node_dir.tmp/"
  (cd "$node_dir.tmp" && npm ci --no-audit --no-fund --loglevel=error --cache "$cache_root/npm" >&2)
  rm -rf "$node_dir" && mv "$node_dir.tmp" "$node_dir"
  log "npm: $(( $(date +%s) - t0 ))s"
fi

# --- PyPI: pulumi, build, setuptools, wheel ------------------------------------------------
python=${WGFORWARD_PYTHON:-python3}
py_version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
venv="$cache_root/sdk-deps/python$py_version-$(digest "$pins/requirements.txt")"
if [ ! -f "$venv/.complete" ]; then
  log "virtualenv into $venv"
  t0=$(date +%s)
  # Made in place (a venv's scripts name its path), marked complete only at the end.
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check --cache-dir "$cache_root/pip" -r "$pins/requirements.txt" >&2
  touch "$venv/.complete"
  log "pip: $(( $(date +%s) - t0 ))s"
fi

# --- Go module proxy: the Go SDK's and the Go example's modules ----------------------------
for mod in "$root/sdk/go" "$root"/examples/*-go; do
  [ -f "$mod/go.mod" ] || continue
  (cd "$mod" && GOFLAGS=-mod=readonly go mod download >&2)
done

echo "NODE_MODULES=$node_dir/node_modules"
echo "PYTHON_VENV=$venv"
