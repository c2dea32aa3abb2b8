#!/bin/sh
# wgforward: remove the forwarding rules of tunnel interface wgf0 (nftables)
set -eu
# A non-login root shell (sh -s over SSH) may lack the sbin directories the tools live in.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export PATH
command -v nft >/dev/null 2>&1 || { echo 'wgforward: nft (nftables) is not installed on this host' >&2; exit 1; }
# Adding the table first makes the delete succeed when it is already gone; both happen in
# one transaction, so an existing table is simply deleted.
printf '%s\n' \
  'add table ip wgforward_wgf0' \
  'delete table ip wgforward_wgf0' \
  | nft -f /dev/stdin
