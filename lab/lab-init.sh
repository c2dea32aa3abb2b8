#!/bin/bash
# lab-init: PID 1 of one wgforward lab host (lab.sh installs it as $LAB_DIR/bin/lab-init and
# starts it in the host's fresh namespaces; see "Files the lab runs" there).
# Env: LAB_HOST LAB_HOSTDIR LAB_PUBKEY_FILE LAB_OVERLAY_DIRS LAB_PRIVATE_DIRS
#      LAB_ADMIN_USER LAB_SESSION_FILE LAB_SSHD_CONFIG
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
host=$LAB_HOST hdir=$LAB_HOSTDIR admin=$LAB_ADMIN_USER
read -r -a dirs <<< "$LAB_OVERLAY_DIRS"
is_private() { [[ " $LAB_PRIVATE_DIRS " == *" $1 "* ]]; }
log() { echo "lab-init[$host]: $*"; }
trap 'log "FAILED at line $LINENO: $BASH_COMMAND"' ERR
cd /

hostname "$host"

# The mount namespace is a private copy of the root one. Drop the copies of
# `ip netns` bind mounts (nsfs): they would keep other hosts' network
# namespaces (and their veths) alive after `ip netns del`.
awk '{for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i+1) == "nsfs") print $5; break }}' \
  /proc/self/mountinfo | while read -r mp; do umount -l "$mp" 2>/dev/null || true; done

# /sys must describe this host's netns (/sys/class/net etc.).
umount -l /sys 2>/dev/null || true
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys

ovl() { # ovl MOUNTPOINT LOWER UPPER WORK
  mkdir -p "$3" "$4"
  # The mount's root takes the upper dir's mode and owner (/root is 0700).
  chmod --reference="$1" "$3"; chown --reference="$1" "$3"
  mount -t overlay overlay -o "lowerdir=$2,upperdir=$3,workdir=$4" "$1"
}

# Phase 1 (first start only): build the host's "base" layer. Everything the lab
# itself sets up goes there, so the final upper layer starts out empty and
# shows only what the software under test changes.
if [[ ! -e $hdir/base.done ]]; then
  rm -rf "$hdir/base" "$hdir/work-base"
  for d in "${dirs[@]}"; do
    if is_private "$d"; then
      # A fresh, empty directory in place of the machine's (see PRIVATE_DIRS).
      mkdir -p "$hdir/base/$d"; chmod --reference="/$d" "$hdir/base/$d"
      mount --bind "$hdir/base/$d" "/$d"
    else
      ovl "/$d" "/$d" "$hdir/base/$d" "$hdir/work-base/$d"
    fi
  done

  echo "$host" > /etc/hostname
  cat > /etc/hosts <<EOF
127.0.0.1	localhost
127.0.1.1	$host
::1	localhost ip6-localhost ip6-loopback
ff02::1	ip6-allnodes
ff02::2	ip6-allrouters
EOF
  # With UsePAM no, sshd refuses even key logins to a "locked" account
  # (password field starting with '!'); '*' means "no password, not locked".
  if [[ $(getent shadow root | cut -d: -f2) == '!'* ]]; then usermod -p '*' root; fi
  # root's home: Debian's pristine dotfiles (they set nothing for a
  # non-interactive shell); wgadmin's: the distribution's /etc/skel via useradd.
  [[ ! -r /usr/share/base-files/dot.profile ]] || install -m 0644 /usr/share/base-files/dot.profile /root/.profile
  [[ ! -r /usr/share/base-files/dot.bashrc ]] || install -m 0644 /usr/share/base-files/dot.bashrc /root/.bashrc
  if ! getent passwd "$admin" >/dev/null; then
    useradd --create-home --home-dir "/home/$admin" --shell /bin/bash --user-group \
            --comment "lab admin" "$admin"
  fi
  usermod -p '*' "$admin"
  install -d -m 0750 /etc/sudoers.d
  echo "$admin ALL=(ALL:ALL) NOPASSWD: ALL" > "/etc/sudoers.d/$admin"
  chmod 0440 "/etc/sudoers.d/$admin"
  install -d -m 0755 /etc/ssh/lab_authorized_keys
  install -m 0644 "$LAB_PUBKEY_FILE" /etc/ssh/lab_authorized_keys/root
  install -m 0644 "$LAB_PUBKEY_FILE" "/etc/ssh/lab_authorized_keys/$admin"
  # Never share the real machine's host keys; one fresh ed25519 key per host.
  rm -f /etc/ssh/ssh_host_*
  ssh-keygen -q -t ed25519 -N '' -C "root@$host" -f /etc/ssh/ssh_host_ed25519_key
  {
    echo "# sshd_config of wgforward lab host '$host' (written by lab-init)"
    cat "$LAB_SSHD_CONFIG"
    echo "PidFile /run/sshd.pid"
    echo "LogLevel VERBOSE"
    echo "# Every session goes through the lab's fault gate (lab.sh fault): when nothing"
    echo "# is armed it runs the requested command (or login shell) exactly as sshd would."
    echo "ForceCommand /run/lab/session"
  } > /etc/ssh/sshd_config
  for d in "${dirs[@]}"; do umount "/$d" 2>/dev/null || umount -l "/$d"; done
  rm -rf "$hdir/work-base"
  touch "$hdir/base.done"
fi

# Phase 2: the host's real view: upper (writes) over base (lab setup) over /.
# The homes (PRIVATE_DIRS) have the base layer alone below them.
for d in "${dirs[@]}"; do
  if is_private "$d"; then lower=$hdir/base/$d; else lower=$hdir/base/$d:/$d; fi
  ovl "/$d" "$lower" "$hdir/upper/$d" "$hdir/work/$d"
done

# Private runtime dirs. After this, LAB_DIR (normally under /tmp) is invisible.
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mkdir -p /run/sshd /run/lab /run/wireguard /run/lock
chmod 0755 /run/sshd; chmod 1777 /run/lock
# The fault gate: sshd's ForceCommand, and its state. Sessions of any user
# count matches and record firing there, so the state dir is world-writable
# (not sticky: a wgadmin session disarms what root armed).
install -m 0755 "$LAB_SESSION_FILE" /run/lab/session
install -d -m 0777 /run/lab/fault
install -m 0644 /dev/null /run/lab/fault/lock
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run/wireguard
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp

# sshd in the foreground as our child; log to the host's /run (not into the
# overlays, which would show up in snapshots).
/usr/sbin/sshd -D -f /etc/ssh/sshd_config -E /run/lab/sshd.log &
log "READY sshd=$!"

# Stay alive as PID 1 and reap orphans (e.g. daemonized wireguard-go that
# exits): bash reaps any child on SIGCHLD while blocked in `read`.
mkfifo /run/lab/init.fifo
exec 3<> /run/lab/init.fifo
trap 'exit 0' TERM INT
while :; do read -r -u 3 _ || true; done
