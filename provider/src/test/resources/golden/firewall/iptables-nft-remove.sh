#!/bin/sh
# wgforward: remove the forwarding rules of tunnel interface wgf0 (iptables-nft)
set -eu
# A non-login root shell (sh -s over SSH) may lack the sbin directories the tools live in.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export PATH
if command -v iptables-nft >/dev/null 2>&1; then
  IPT=iptables-nft IPT_SAVE=iptables-nft-save IPT_RESTORE=iptables-nft-restore
else
  { echo 'wgforward: iptables-nft is not installed on this host' >&2; exit 1; }
fi
wgf_delete_chain() {
  if "$IPT" -w -t "$1" -S "$2" >/dev/null 2>&1; then
    "$IPT" -w -t "$1" -F "$2"
    "$IPT" -w -t "$1" -X "$2" \
      || { echo "wgforward: could not delete chain $2 from table $1: does another rule still jump to it?" >&2; exit 1; }
  fi
}
# nat first, so that nothing is DNATed any more once the filter rules go. Every copy of a
# jump is deleted; a chain can only be deleted once nothing jumps to it.
while "$IPT" -w -t nat -D PREROUTING -i 'wgf0' -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-PRE' 2>/dev/null; do :; done
while "$IPT" -w -t nat -D POSTROUTING -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-POST' 2>/dev/null; do :; done
wgf_delete_chain nat 'WGF-wgf0-PRE'
wgf_delete_chain nat 'WGF-wgf0-POST'
for wgf_hook in FORWARD DOCKER-USER; do
  while "$IPT" -w -t filter -D "$wgf_hook" -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-FWD' 2>/dev/null; do :; done
done
wgf_delete_chain filter 'WGF-wgf0-FWD'
