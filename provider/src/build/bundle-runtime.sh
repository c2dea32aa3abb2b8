#!/usr/bin/env bash
# Gives the assembled plugin (launcher + jar in PLUGIN_DIR) its own Java runtime, so that it needs
# no Java on the user's machine and starts fast:
#   PLUGIN_DIR/runtime               a jlink'd image of only the modules the plugin uses
#   PLUGIN_DIR/runtime/lib/wgforward.aot
#                                    the JDK's AOT cache (JDK 25+) for exactly this runtime and
#                                    jar, from a training run of the real launcher (see Training)
# The JDK to link from: WGFORWARD_RUNTIME_JDK, else the newest JDK (17 or later) that can link in
# /usr/lib/jvm, /opt or JAVA_HOME. JDK 25 or later gives the AOT cache; an older one (Debian's
# openjdk-17-jdk-headless, which scripts/setup.sh installs) gives a runtime with the JDK's own
# class data sharing only: it works the same, it starts slower (the build says so).
# Usage: bundle-runtime.sh PLUGIN_DIR
set -euo pipefail
plugin_dir=$(cd "$1" && pwd)
launcher=$plugin_dir/pulumi-resource-wgforward
out=$plugin_dir/runtime

log() { echo "bundle-runtime: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The modules the plugin needs (jdeps --print-module-deps on the shaded jar, checked by running
# it: the tests run every scenario through this runtime). java.sql, which jdeps also names, is
# only gson's optional java.sql.Date support; java.compiler only annotation-processor classes
# nobody loads. Before JDK 22 the EC and X25519 algorithms (SSH key exchange, host keys) are a
# module of their own.
modules=java.base,java.logging,java.naming,java.security.jgss,jdk.unsupported

major() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null; }
# jlink needs the JDK's jmods, or a JDK built to link from its own run-time image (JEP 493, as
# Temurin 24 and later are).
can_link() {
  [ -x "$1/bin/jlink" ] && [ -n "$(major "$1")" ] && [ "$(major "$1")" -ge 17 ] || return 1
  [ -f "$1/jmods/java.base.jmod" ] || "$1/bin/jlink" --help 2>/dev/null | grep -q 'Linking from run-time image enabled'
}

if [ -n "${WGFORWARD_RUNTIME_JDK:-}" ]; then
  can_link "$WGFORWARD_RUNTIME_JDK" || die "WGFORWARD_RUNTIME_JDK=$WGFORWARD_RUNTIME_JDK is no JDK 17+ that can jlink (no jmods, no linkable run-time image)"
  jdk=$WGFORWARD_RUNTIME_JDK
else
  jdk='' best=0
  for candidate in /usr/lib/jvm/* /opt/* /opt/java/* ${JAVA_HOME:+"$JAVA_HOME"}; do
    [ -d "$candidate" ] && [ ! -L "$candidate" ] && can_link "$candidate" || continue
    if [ "$(major "$candidate")" -gt "$best" ]; then jdk=$candidate best=$(major "$candidate"); fi
  done
  [ -n "$jdk" ] || die "no JDK that can jlink the plugin's runtime: install openjdk-17-jdk-headless (scripts/setup.sh does) or a JDK 25 such as Temurin, or set WGFORWARD_RUNTIME_JDK"
fi
version=$(major "$jdk")
log "linking the plugin's runtime from $jdk (Java $version)"
[ "$version" -lt 22 ] && modules=$modules,jdk.crypto.ec

jlink_args=(--add-modules "$modules" --strip-debug --no-header-files --no-man-pages)
if [ "$version" -ge 25 ]; then
  # protobuf and guava use sun.misc.Unsafe on purpose; without this JDK 25 warns on stderr,
  # which the engine shows the user.
  jlink_args+=(--add-options=--sun-misc-unsafe-memory-access=allow)
else
  # No AOT cache before JDK 25: at least the JDK's own classes come from a shared archive.
  jlink_args+=(--generate-cds-archive)
fi
rm -rf "$out"
"$jdk/bin/jlink" "${jlink_args[@]}" --output "$out" >/dev/null
# Only for heaps over 32 GB; the plugin's is a few dozen MB.
rm -f "$out"/lib/server/classes_nocoops.jsa
# Symbols of the native libraries are for debuggers (Temurin ships libjvm.so with them: 7 MB).
if command -v strip >/dev/null; then
  find "$out/lib" -name '*.so' -exec strip --strip-unneeded {} +
fi

# The JCA providers the plugin uses, and no others: sshj's first use of cryptography (the first
# request's Check reads a key) asks Security.getProvider("BC"), which instantiates every configured
# provider, three of them (SunJGSS, SunSASL, JdkLDAP) loaded from other modules through the
# ServiceLoader: ~45 ms on that request's critical path, measured side by side. The plugin never
# uses Kerberos, SASL, LDAP, XML signatures, smart cards or PKCS#11; Bouncy Castle is added by sshj.
security=$out/conf/security/java.security
awk -F= '/^security\.provider\.[0-9]+=/ { if ($2 ~ /^(SUN|SunRsaSign|SunEC|SunJSSE|SunJCE)$/) print "security.provider." ++n "=" $2; next }
  { print }' "$security" > "$security.new" && mv "$security.new" "$security"
[ "$(grep -c '^security\.provider\.' "$security")" = 5 ] || die "unexpected security providers in $security: $(grep '^security\.provider\.' "$security" | tr '\n' ' ')"

# loopback_sshd DIR: starts a throwaway sshd on 127.0.0.1 that lets this user in with a key made
# for it, for the training run's refresh (see Training); prints "port key-file host-key-line" and
# leaves its pid in DIR/pid. Needs openssh-server and root (as the lab does); without them the
# training leaves SSH out and says so: the plugin works the same, its first login is ~1 s slower.
loopback_sshd() {
  local dir=$1 sshd=/usr/sbin/sshd port
  [ -x "$sshd" ] && [ "$(id -u)" = 0 ] && command -v ssh-keygen >/dev/null || return 1
  ssh-keygen -q -t ed25519 -N '' -C wgforward-training -f "$dir/host" && ssh-keygen -q -t ed25519 -N '' -C wgforward-training -f "$dir/user" || return 1
  cp "$dir/user.pub" "$dir/authorized_keys"
  mkdir -p /run/sshd
  for _ in 1 2 3 4 5; do
    port=$(( 20000 + RANDOM % 20000 ))
    "$sshd" -D -e -f /dev/null -p "$port" -o ListenAddress=127.0.0.1 -h "$dir/host" -o PidFile=none \
      -o AuthorizedKeysFile="$dir/authorized_keys" -o StrictModes=no -o UsePAM=no -o PermitRootLogin=prohibit-password \
      -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no >/dev/null 2>"$dir/sshd.log" &
    echo $! > "$dir/pid"
    for _ in $(seq 50); do
      if ssh-keyscan -T 1 -p "$port" 127.0.0.1 2>/dev/null | grep -q ssh-ed25519; then
        echo "$port $dir/user $(cut -d' ' -f1,2 "$dir/host.pub")"
        return 0
      fi
      kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
      sleep 0.1
    done
    kill "$(cat "$dir/pid")" 2>/dev/null || true
  done
  return 1
}

if [ "$version" -ge 25 ]; then
  # The training run: the real launcher (so flags and class path are exactly those of every later
  # start), with the Training main class instead of the engine. The JVM writes the cache at its exit.
  aot=$out/lib/wgforward.aot
  sshd_dir=$(mktemp -d)
  trap 'kill "$(cat "$sshd_dir/pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$sshd_dir"' EXIT
  if training_ssh=$(loopback_sshd "$sshd_dir"); then
    log "training the AOT cache (with a refresh through a throwaway sshd on 127.0.0.1)"
  else
    training_ssh=
    log "training the AOT cache (NOTE: no sshd to train the SSH login with: needs openssh-server and root; the plugin's first login will be ~1 s slower)"
  fi
  # Classes only, no training data (method profiles and the record of what the JIT compiled): with
  # it, every start replays the training run's compilations (some 350 methods a preview never
  # runs hot), which cost a no-change preview about 150 ms of CPU on 2 cores and a refresh over
  # SSH about 100 ms, for no gain in either (measured side by side, interleaved).
  WGFORWARD_TRAINING_SSH=$training_ssh \
  WGFORWARD_JAVA_OPTS="-XX:AOTCacheOutput=$aot -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -Dwgforward.training=true" "$launcher" \
    >/dev/null 2>"$plugin_dir/training.log" || { cat "$plugin_dir/training.log" >&2; die "the training run failed"; }
  kill "$(cat "$sshd_dir/pid" 2>/dev/null)" 2>/dev/null || true
  [ -s "$aot" ] || { cat "$plugin_dir/training.log" >&2; die "the training run wrote no AOT cache"; }
  # The jar's modification time, which the JVM checks and unpacking changes (see the launcher).
  echo "@$(stat -c %Y "$plugin_dir/pulumi-resource-wgforward.jar")" > "$aot.jar-mtime"
  # Proof that the launcher's later starts can use it: AOTMode=on refuses to run without it.
  WGFORWARD_JAVA_OPTS="-XX:AOTMode=on -Dwgforward.training=true" "$launcher" >/dev/null 2>>"$plugin_dir/training.log" \
    || { cat "$plugin_dir/training.log" >&2; die "the launcher cannot use the AOT cache it was trained for"; }
  rm -f "$plugin_dir/training.log" "$aot.installed"
else
  log "NOTE: Java $version has no AOT cache: the plugin's runtime starts in about 2x the time a JDK 25 build gives (set WGFORWARD_RUNTIME_JDK to a JDK 25 or later)"
fi
log "runtime: $(du -sh "$out" | cut -f1) in $out"
