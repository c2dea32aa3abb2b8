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
if command -v ip6tables-nft >/dev/null 2>&1; then
  IP6T=ip6tables-nft IP6T_SAVE=ip6tables-nft-save IP6T_RESTORE=ip6tables-nft-restore
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
# Tables and chains that only exist because wgforward's rules made iptables-nft create them
# go too, once no tunnel uses them and if nobody else put anything in them.
R='/etc/wgforward/iptables-nft-created'
wgf_own_dir_make() {
  [ -d "$1" ] && return 0
  mkdir -p "$1" && : > "$1/.created-by-wgforward"
}
wgf_own_dir_remove() {
  if [ -f "$1/.created-by-wgforward" ] && [ "$(ls -A "$1" 2>/dev/null)" = ".created-by-wgforward" ]; then
    rm -f "$1/.created-by-wgforward"
    rmdir "$1" 2>/dev/null || true
  fi
  return 0
}
if [ -f "$R" ] && ! "$IPT_SAVE" | grep -q '^:WGF-' && { [ -z "${IP6T_SAVE:-}" ] || ! "$IP6T_SAVE" | grep -q '^:WGF-'; } \
    && command -v nft >/dev/null 2>&1; then
  # An empty chain lists as its header, type line and braces; an empty table as two lines (and
  # newer nft adds a comment that iptables-nft manages the table).
  wgf_chain_unused() {
    nft list chain "$1" "$2" "$3" 2>/dev/null | grep -q 'policy accept;' \
      && [ "$(nft list chain "$1" "$2" "$3" | grep -cvE '^[[:space:]]*(#.*|table .*\{|chain .*\{|type .*;|\}|)$')" -eq 0 ]
  }
  wgf_table_unused() {
    nft list table "$1" "$2" >/dev/null 2>&1 \
      && [ "$(nft list table "$1" "$2" | grep -cvE '^[[:space:]]*(#.*|table .*\{|\}|)$')" -eq 0 ]
  }
  if grep -qxF 'chain ip nat PREROUTING' "$R" && wgf_chain_unused ip nat PREROUTING; then nft delete chain ip nat PREROUTING; fi
  if grep -qxF 'chain ip nat POSTROUTING' "$R" && wgf_chain_unused ip nat POSTROUTING; then nft delete chain ip nat POSTROUTING; fi
  if grep -qxF 'chain ip filter FORWARD' "$R" && wgf_chain_unused ip filter FORWARD; then nft delete chain ip filter FORWARD; fi
  if grep -qxF 'table ip nat' "$R" && wgf_table_unused ip nat; then nft delete table ip nat; fi
  if grep -qxF 'table ip filter' "$R" && wgf_table_unused ip filter; then nft delete table ip filter; fi
  if grep -qxF 'chain ip6 nat PREROUTING' "$R" && wgf_chain_unused ip6 nat PREROUTING; then nft delete chain ip6 nat PREROUTING; fi
  if grep -qxF 'chain ip6 nat POSTROUTING' "$R" && wgf_chain_unused ip6 nat POSTROUTING; then nft delete chain ip6 nat POSTROUTING; fi
  if grep -qxF 'chain ip6 filter FORWARD' "$R" && wgf_chain_unused ip6 filter FORWARD; then nft delete chain ip6 filter FORWARD; fi
  if grep -qxF 'table ip6 nat' "$R" && wgf_table_unused ip6 nat; then nft delete table ip6 nat; fi
  if grep -qxF 'table ip6 filter' "$R" && wgf_table_unused ip6 filter; then nft delete table ip6 filter; fi
  rm -f "$R"
  wgf_own_dir_remove "$(dirname "$R")"
fi
