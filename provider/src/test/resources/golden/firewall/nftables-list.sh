#!/bin/sh
# wgforward: list the forwarding rules of tunnel interface wgf0 (nftables)
set -eu
# A non-login root shell (sh -s over SSH) may lack the sbin directories the tools live in.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export PATH
command -v nft >/dev/null 2>&1 || { echo 'wgforward: nft (nftables) is not installed on this host' >&2; exit 1; }
# A missing table lists as nothing; any other nft failure fails the script.
wgf_tables=$(nft list tables)
for wgf_family in ip ip6; do
  if printf '%s\n' "$wgf_tables" | grep -qxF "table $wgf_family "'wgforward_wgf0'; then
    nft list table "$wgf_family" 'wgforward_wgf0'
  fi
done
