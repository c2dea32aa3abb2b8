#!/bin/sh
# wgforward: remove the forwarding rules of tunnel interface wgf0 (iptables-legacy)
set -eu
# A non-login root shell (sh -s over SSH) may lack the sbin directories the tools live in.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export PATH
if command -v iptables-legacy >/dev/null 2>&1; then
  IPT=iptables-legacy IPT_SAVE=iptables-legacy-save IPT_RESTORE=iptables-legacy-restore
elif command -v iptables >/dev/null 2>&1 && ! iptables --version 2>/dev/null | grep -q nf_tables; then
  IPT=iptables IPT_SAVE=iptables-save IPT_RESTORE=iptables-restore
else
  { echo 'wgforward: iptables-legacy is not installed on this host' >&2; exit 1; }
fi
if command -v ip6tables-legacy >/dev/null 2>&1; then
  IP6T=ip6tables-legacy IP6T_SAVE=ip6tables-legacy-save IP6T_RESTORE=ip6tables-legacy-restore
elif command -v ip6tables >/dev/null 2>&1 && ! ip6tables --version 2>/dev/null | grep -q nf_tables; then
  IP6T=ip6tables IP6T_SAVE=ip6tables-save IP6T_RESTORE=ip6tables-restore
else
  IP6T='' IP6T_SAVE='' IP6T_RESTORE=''
fi
wgf_delete_chain() {
  if "$1" -w -t "$2" -S "$3" >/dev/null 2>&1; then
    "$1" -w -t "$2" -F "$3"
    "$1" -w -t "$2" -X "$3" \
      || { echo "wgforward: could not delete chain $3 from table $2 of $1: does another rule still jump to it?" >&2; exit 1; }
  fi
}
# iptables: nat first, so that nothing is DNATed any more once the filter rules go. Every copy
# of a jump is deleted; a chain can only be deleted once nothing jumps to it.
while "$IPT" -w -t nat -D PREROUTING -i 'wgf0' -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-PRE' 2>/dev/null; do :; done
while "$IPT" -w -t nat -D POSTROUTING -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-POST' 2>/dev/null; do :; done
wgf_delete_chain "$IPT" nat 'WGF-wgf0-PRE'
wgf_delete_chain "$IPT" nat 'WGF-wgf0-POST'
for wgf_hook in FORWARD DOCKER-USER; do
  while "$IPT" -w -t filter -D "$wgf_hook" -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-FWD' 2>/dev/null; do :; done
done
wgf_delete_chain "$IPT" filter 'WGF-wgf0-FWD'
if [ -n "$IP6T" ] && "$IP6T_SAVE" 2>/dev/null | grep -q -e '^:WGF-wgf0-'; then
  # ip6tables: nat first, so that nothing is DNATed any more once the filter rules go. Every copy
  # of a jump is deleted; a chain can only be deleted once nothing jumps to it.
  while "$IP6T" -w -t nat -D PREROUTING -i 'wgf0' -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-PRE' 2>/dev/null; do :; done
  while "$IP6T" -w -t nat -D POSTROUTING -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-POST' 2>/dev/null; do :; done
  wgf_delete_chain "$IP6T" nat 'WGF-wgf0-PRE'
  wgf_delete_chain "$IP6T" nat 'WGF-wgf0-POST'
  for wgf_hook in FORWARD DOCKER-USER; do
    while "$IP6T" -w -t filter -D "$wgf_hook" -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-FWD' 2>/dev/null; do :; done
  done
  wgf_delete_chain "$IP6T" filter 'WGF-wgf0-FWD'
fi
