#!/usr/bin/env bash
# Builds the SDK generator (provider/cmd/pulumi-gen-wgforward) into a cache outside the work tree,
# only when that exact source (go.mod, go.sum, *.go) has not been built before; prints its path.
# The first build compiles Pulumi's code generators (pkg/v3): minutes; Go's build and module
# caches (also outside the work tree) make later builds of a changed generator quick.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/provider/cmd/pulumi-gen-wgforward"
cache_root=${WGFORWARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wgforward}
pkg_version=$(sed -n 's:^\tgithub.com/pulumi/pulumi/pkg/v3 \(v[^ ]*\)$:\1:p' "$src/go.mod")
digest=$(cd "$src" && mapfile -t sources < <(printf '%s\n' *.go | sort) && cat go.mod go.sum "${sources[@]}" | sha256sum | cut -c1-16)
dir="$cache_root/sdkgen/pkg-${pkg_version}_${digest}"
bin="$dir/pulumi-gen-wgforward"
if [ ! -x "$bin" ]; then
  echo "sdk-gen-tool: building pulumi-gen-wgforward (pkg/v3 $pkg_version) into $dir" >&2
  t0=$(date +%s)
  mkdir -p "$dir"
  (cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=readonly GOTOOLCHAIN=${GOTOOLCHAIN:-auto} \
    go build -trimpath -o "$bin.tmp" .)
  mv "$bin.tmp" "$bin"
  echo "sdk-gen-tool: built in $(( $(date +%s) - t0 ))s" >&2
fi
echo "$bin"
