#!/usr/bin/env bash
# Builds the Pulumi toolchain (CLI + language hosts) from the Go module proxy, at pinned,
# mutually compatible versions, into a cache outside the work tree. Builds only what is missing.
# Prints the bin directory on its last line of stdout.
#
# Why build: the Pulumi CLI cannot be downloaded on our machines, but it and its language
# hosts are ordinary Go modules.
set -euo pipefail

PULUMI_VERSION=v3.259.0          # engine/CLI; proto/provider.proto known byte-identical v3.255-v3.259
PULUMI_JAVA_VERSION=v1.22.0      # newest pulumi-java/pkg the module proxy serves here (for gen-sdk java, java programs)
PULUMI_YAML_VERSION=v1.38.3      # bundled with v3.258/v3.259
CLIPBOARD_REPLACE=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e

cache_root=${WGFORWARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wgforward}
key="pulumi-${PULUMI_VERSION}_java-${PULUMI_JAVA_VERSION}_yaml-${PULUMI_YAML_VERSION}"
dir="$cache_root/toolchain/$key"
bin="$dir/bin"
mkdir -p "$bin" "$dir/work"

log() { echo "toolchain: $*" >&2; }

export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
export GOPATH=${GOPATH:-$(go env GOPATH)}

build_module() { # name module-dir go.mod-body go-get-args... -- build args... (module-dir: the
  # go.mod body's module, named for the reader)
  local name=$1 gomod=$3; shift 3
  local w="$dir/work/$name"
  mkdir -p "$w"
  printf '%s\n' "$gomod" > "$w/go.mod"
  echo 'package tools' > "$w/tools.go"
  local get=()
  while [ "$1" != "--" ]; do get+=("$1"); shift; done; shift
  (cd "$w" && go get "${get[@]}" >&2 && go build "$@" >&2)
}

if [ ! -x "$bin/pulumi" ]; then
  log "building pulumi $PULUMI_VERSION (one-off, several minutes)"
  t0=$(date +%s)
  build_module pulumi local/pulumi-toolchain "module local/pulumi-toolchain
go 1.25.11
replace github.com/atotto/clipboard => ${CLIPBOARD_REPLACE/@/ }" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$PULUMI_VERSION github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION -- \
    -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    -o "$bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  mv "$bin/pulumi.tmp" "$bin/pulumi"
  log "pulumi built in $(( $(date +%s) - t0 ))s"
fi

if [ ! -x "$bin/pulumi-language-yaml" ]; then
  log "building pulumi-language-yaml $PULUMI_YAML_VERSION"
  t0=$(date +%s)
  build_module yaml local/pulumi-yaml-host "module local/pulumi-yaml-host
go 1.25.11
replace github.com/atotto/clipboard => ${CLIPBOARD_REPLACE/@/ }" \
    github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$PULUMI_YAML_VERSION -- \
    -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$PULUMI_YAML_VERSION" \
    -o "$bin/pulumi-language-yaml.tmp" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
  mv "$bin/pulumi-language-yaml.tmp" "$bin/pulumi-language-yaml"
  log "pulumi-language-yaml built in $(( $(date +%s) - t0 ))s"
fi

if [ ! -x "$bin/pulumi-language-java" ]; then
  log "building pulumi-language-java $PULUMI_JAVA_VERSION"
  t0=$(date +%s)
  build_module java local/pulumi-java-host "module local/pulumi-java-host
go 1.25.11
replace (
	github.com/Sirupsen/logrus => github.com/sirupsen/logrus v1.5.0
	github.com/gogo/protobuf => github.com/gogo/protobuf v1.3.2
	github.com/atotto/clipboard => ${CLIPBOARD_REPLACE/@/ }
)" \
    github.com/pulumi/pulumi-java/pkg/cmd/pulumi-language-java@$PULUMI_JAVA_VERSION -- \
    -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi-java/pkg/version.Version=$PULUMI_JAVA_VERSION" \
    -o "$bin/pulumi-language-java.tmp" github.com/pulumi/pulumi-java/pkg/cmd/pulumi-language-java
  mv "$bin/pulumi-language-java.tmp" "$bin/pulumi-language-java"
  log "pulumi-language-java built in $(( $(date +%s) - t0 ))s"
fi

echo "$bin"
