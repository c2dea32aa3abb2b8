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
# Tables and chains that only exist because wgforward's rules made iptables-nft create them
# go too, once no tunnel uses them and if nobody else put anything in them.
R='/etc/wgforward/iptables-nft-created'
if [ -f "$R" ] && ! "$IPT_SAVE" | grep -q '^:WGF-' && command -v nft >/dev/null 2>&1; then
  # An empty chain lists as its header, type line and braces; an empty table as two lines (and
  # newer nft adds a comment that iptables-nft manages the table).
  wgf_chain_unused() {
    nft list chain ip "$1" "$2" 2>/dev/null | grep -q 'policy accept;' \
      && [ "$(nft list chain ip "$1" "$2" | grep -cvE '^[[:space:]]*(#.*|table .*\{|chain .*\{|type .*;|\}|)$')" -eq 0 ]
  }
  wgf_table_unused() {
    nft list table ip "$1" >/dev/null 2>&1 \
      && [ "$(nft list table ip "$1" | grep -cvE '^[[:space:]]*(#.*|table .*\{|\}|)$')" -eq 0 ]
  }
  if grep -qxF 'chain ip nat PREROUTING' "$R" && wgf_chain_unused nat PREROUTING; then nft delete chain ip nat PREROUTING; fi
  if grep -qxF 'chain ip nat POSTROUTING' "$R" && wgf_chain_unused nat POSTROUTING; then nft delete chain ip nat POSTROUTING; fi
  if grep -qxF 'chain ip filter FORWARD' "$R" && wgf_chain_unused filter FORWARD; then nft delete chain ip filter FORWARD; fi
  if grep -qxF 'table ip nat' "$R" && wgf_table_unused nat; then nft delete table ip nat; fi
  if grep -qxF 'table ip filter' "$R" && wgf_table_unused filter; then nft delete table ip filter; fi
  rm -f "$R"
  rmdir "$(dirname "$R")" 2>/dev/null || true
fi
