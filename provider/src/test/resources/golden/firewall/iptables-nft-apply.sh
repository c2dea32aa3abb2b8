#!/bin/sh
# wgforward: apply the forwarding rules of tunnel interface wgf0 (iptables-nft)
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
# The restore command takes -w (wait for the xtables lock) from 1.6.2; the nft variant needs no lock.
IPT_RESTORE_WAIT=''
if "$IPT_RESTORE" --help 2>&1 | grep -q -e --wait; then IPT_RESTORE_WAIT=-w; fi
# With Docker, its DOCKER-USER chain is the place for rules that must come before Docker's;
# without, the top of FORWARD, ahead of any DROP policy's rules.
if "$IPT" -w -t filter -S DOCKER-USER >/dev/null 2>&1; then
  wgf_forward_hook=DOCKER-USER
  wgf_forward_hook_unused=FORWARD
else
  wgf_forward_hook=FORWARD
  wgf_forward_hook_unused=DOCKER-USER
fi
# Jumps are added only when missing. Checked before iptables-restore runs: it holds the
# xtables lock while reading its input, and iptables -w would wait for it forever.
wgf_jump_forward=''
"$IPT" -w -t filter -C "$wgf_forward_hook" -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-FWD' 2>/dev/null \
  || wgf_jump_forward="-I $wgf_forward_hook 1 "'-m comment --comment wgforward:wgf0 -j WGF-wgf0-FWD'
wgf_jump_prerouting=''
"$IPT" -w -t nat -C PREROUTING -i 'wgf0' -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-PRE' 2>/dev/null \
  || wgf_jump_prerouting='-I PREROUTING 1 -i wgf0 -m comment --comment wgforward:wgf0 -j WGF-wgf0-PRE'
wgf_jump_postrouting=''
"$IPT" -w -t nat -C POSTROUTING -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-POST' 2>/dev/null \
  || wgf_jump_postrouting='-I POSTROUTING 1 -m comment --comment wgforward:wgf0 -j WGF-wgf0-POST'
# One restore, one atomic commit per table; filter first, so forwarded packets are
# accepted (or dropped) before DNAT starts sending them. --noflush keeps everything else, and
# declaring our chains empties them, so these rules replace the previous ones.
{
  printf '%s\n' \
    '*filter' \
    ':WGF-wgf0-FWD - [0:0]' \
    '-A WGF-wgf0-FWD -s 192.168.77.2/32 -d 10.200.0.2/32 -i wgf0 -p tcp -m tcp --dport 22 --tcp-flags SYN,RST SYN -m conntrack --ctstate DNAT --ctorigdst 192.168.77.1 --ctorigdstport 8888 -m comment --comment wgforward:wgf0:8888/tcp:mss -j TCPMSS --clamp-mss-to-pmtu' \
    '-A WGF-wgf0-FWD -s 10.200.0.2/32 -d 192.168.77.2/32 -o wgf0 -p tcp -m tcp --sport 22 --tcp-flags SYN,RST SYN -m conntrack --ctstate DNAT --ctorigdst 192.168.77.1 --ctorigdstport 8888 -m comment --comment wgforward:wgf0:8888/tcp:mss-reply -j TCPMSS --clamp-mss-to-pmtu' \
    '-A WGF-wgf0-FWD -s 192.168.77.2/32 -d 10.200.0.2/32 -i wgf0 -p tcp -m tcp --dport 22 -m conntrack --ctstate DNAT --ctorigdst 192.168.77.1 --ctorigdstport 8888 -m comment --comment wgforward:wgf0:8888/tcp:accept -j ACCEPT' \
    '-A WGF-wgf0-FWD -s 192.168.77.2/32 -d 10.200.0.2/32 -i wgf0 -p udp -m udp --dport 53 -m conntrack --ctstate DNAT --ctorigdst 192.168.77.1 --ctorigdstport 5353 -m comment --comment wgforward:wgf0:5353/udp:accept -j ACCEPT' \
    '-A WGF-wgf0-FWD -o wgf0 -m conntrack --ctstate RELATED,ESTABLISHED --ctproto tcp --ctorigsrc 192.168.77.2 --ctorigdst 192.168.77.1 --ctreplsrc 10.200.0.2 --ctorigdstport 8888 --ctreplsrcport 22 -m comment --comment wgforward:wgf0:8888/tcp:reply -j ACCEPT' \
    '-A WGF-wgf0-FWD -o wgf0 -m conntrack --ctstate RELATED,ESTABLISHED --ctproto udp --ctorigsrc 192.168.77.2 --ctorigdst 192.168.77.1 --ctreplsrc 10.200.0.2 --ctorigdstport 5353 --ctreplsrcport 53 -m comment --comment wgforward:wgf0:5353/udp:reply -j ACCEPT' \
    '-A WGF-wgf0-FWD -i wgf0 -m comment --comment wgforward:wgf0:drop -j DROP'
  if [ -n "$wgf_jump_forward" ]; then printf '%s\n' "$wgf_jump_forward"; fi
  printf '%s\n' COMMIT
  printf '%s\n' \
    '*nat' \
    ':WGF-wgf0-PRE - [0:0]' \
    ':WGF-wgf0-POST - [0:0]' \
    '-A WGF-wgf0-PRE -s 192.168.77.2/32 -d 192.168.77.1/32 -i wgf0 -p tcp -m tcp --dport 8888 -m comment --comment wgforward:wgf0:8888/tcp:dnat -j DNAT --to-destination 10.200.0.2:22' \
    '-A WGF-wgf0-PRE -s 192.168.77.2/32 -d 192.168.77.1/32 -i wgf0 -p udp -m udp --dport 5353 -m comment --comment wgforward:wgf0:5353/udp:dnat -j DNAT --to-destination 10.200.0.2:53' \
    '-A WGF-wgf0-POST -s 192.168.77.2/32 -d 10.200.0.2/32 -p tcp -m tcp --dport 22 -m conntrack --ctstate DNAT --ctorigdst 192.168.77.1 --ctorigdstport 8888 -m comment --comment wgforward:wgf0:8888/tcp:masquerade -j MASQUERADE' \
    '-A WGF-wgf0-POST -s 192.168.77.2/32 -d 10.200.0.2/32 -p udp -m udp --dport 53 -m conntrack --ctstate DNAT --ctorigdst 192.168.77.1 --ctorigdstport 5353 -m comment --comment wgforward:wgf0:5353/udp:masquerade -j MASQUERADE'
  if [ -n "$wgf_jump_prerouting" ]; then printf '%s\n' "$wgf_jump_prerouting"; fi
  if [ -n "$wgf_jump_postrouting" ]; then printf '%s\n' "$wgf_jump_postrouting"; fi
  printf '%s\n' COMMIT
} | "$IPT_RESTORE" $IPT_RESTORE_WAIT --noflush
# A jump left from before Docker was installed (or removed) would be a second way in.
while "$IPT" -w -t filter -D "$wgf_forward_hook_unused" -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-FWD' 2>/dev/null; do :; done
# An IPv4-only tunnel has no ip6tables chains: ones left from when it had IPv6 go.
wgf_delete_chain() {
  if "$1" -w -t "$2" -S "$3" >/dev/null 2>&1; then
    "$1" -w -t "$2" -F "$3"
    "$1" -w -t "$2" -X "$3" \
      || { echo "wgforward: could not delete chain $3 from table $2 of $1: does another rule still jump to it?" >&2; exit 1; }
  fi
}
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
