#!/bin/sh
# wgforward: remove the forwarding rules of tunnel interface wgf0 (nftables)
set -eu
# A non-login root shell (sh -s over SSH) may lack the sbin directories the tools live in.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export PATH
command -v nft >/dev/null 2>&1 || { echo 'wgforward: nft (nftables) is not installed on this host' >&2; exit 1; }
# Adding a table first makes its delete succeed when it is already gone; all happen in one
# transaction, so existing tables are simply deleted. The ip6 table only where IPv6 netfilter is.
if nft list tables ip6 >/dev/null 2>&1; then
  printf '%s\n' \
    'add table ip wgforward_wgf0' \
    'delete table ip wgforward_wgf0' \
    'add table ip6 wgforward_wgf0' \
    'delete table ip6 wgforward_wgf0' \
    | nft -f /dev/stdin
else
  printf '%s\n' \
    'add table ip wgforward_wgf0' \
    'delete table ip wgforward_wgf0' \
    | nft -f /dev/stdin
fi
