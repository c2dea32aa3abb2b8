#!/bin/sh
# wgforward: print the firewall backend to use: nftables, iptables-nft or iptables-legacy
set -eu
# A non-login root shell (sh -s over SSH) may lack the sbin directories the tools live in.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export PATH
# Errors of the probes below are expected (a missing tool or kernel module): a probe that
# fails just doesn't select its backend.
set +e
wgf_has() { command -v "$1" >/dev/null 2>&1; }
# Reads iptables-save output: true when it holds a rule, a user chain or a built-in chain
# whose policy isn't ACCEPT. An unused host shows nothing or empty ACCEPT chains only.
wgf_has_rules() {
  awk '/^-A / { found = 1 } /^:/ && $2 != "ACCEPT" { found = 1 } END { exit found ? 0 : 1 }'
}
# iptables 1.8 names its variants iptables-legacy and iptables-nft; before 1.8 the only
# iptables, unsuffixed, was legacy.
wgf_legacy=''
if wgf_has iptables-legacy-save; then
  wgf_legacy=iptables-legacy
elif wgf_has iptables-save && wgf_has iptables && ! iptables --version 2>/dev/null | grep -q nf_tables; then
  wgf_legacy=iptables
fi
if [ -n "$wgf_legacy" ] && "$wgf_legacy-save" 2>/dev/null | wgf_has_rules; then
  echo iptables-legacy
  exit 0
fi
if wgf_has iptables-nft-save && iptables-nft-save 2>/dev/null | wgf_has_rules; then
  echo iptables-nft
  exit 0
fi
if wgf_has nft && nft list tables >/dev/null 2>&1; then
  echo nftables
  exit 0
fi
if wgf_has iptables-nft && iptables-nft -w -t filter -S >/dev/null 2>&1; then
  echo iptables-nft
  exit 0
fi
if [ -n "$wgf_legacy" ] && "$wgf_legacy" -w -t filter -S >/dev/null 2>&1; then
  echo iptables-legacy
  exit 0
fi
echo 'wgforward: no usable firewall tool on this host: install nftables (nft) or iptables, and make sure the kernel has netfilter' >&2
exit 1
