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
  { echo 'wgforward: ip6tables-nft is not installed on this host' >&2; exit 1; }
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
# The tunnel's IPv6 traffic: the same chains in ip6tables.
# The restore command takes -w (wait for the xtables lock) from 1.6.2; the nft variant needs no lock.
IP6T_RESTORE_WAIT=''
if "$IP6T_RESTORE" --help 2>&1 | grep -q -e --wait; then IP6T_RESTORE_WAIT=-w; fi
# With Docker, its DOCKER-USER chain is the place for rules that must come before Docker's;
# without, the top of FORWARD, ahead of any DROP policy's rules.
if "$IP6T" -w -t filter -S DOCKER-USER >/dev/null 2>&1; then
  wgf_forward_hook6=DOCKER-USER
  wgf_forward_hook_unused6=FORWARD
else
  wgf_forward_hook6=FORWARD
  wgf_forward_hook_unused6=DOCKER-USER
fi
# Jumps are added only when missing. Checked before iptables-restore runs: it holds the
# xtables lock while reading its input, and iptables -w would wait for it forever.
wgf_jump_forward6=''
"$IP6T" -w -t filter -C "$wgf_forward_hook6" -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-FWD' 2>/dev/null \
  || wgf_jump_forward6="-I $wgf_forward_hook6 1 "'-m comment --comment wgforward:wgf0 -j WGF-wgf0-FWD'
wgf_jump_prerouting6=''
"$IP6T" -w -t nat -C PREROUTING -i 'wgf0' -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-PRE' 2>/dev/null \
  || wgf_jump_prerouting6='-I PREROUTING 1 -i wgf0 -m comment --comment wgforward:wgf0 -j WGF-wgf0-PRE'
wgf_jump_postrouting6=''
"$IP6T" -w -t nat -C POSTROUTING -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-POST' 2>/dev/null \
  || wgf_jump_postrouting6='-I POSTROUTING 1 -m comment --comment wgforward:wgf0 -j WGF-wgf0-POST'
# One restore, one atomic commit per table; filter first, so forwarded packets are
# accepted (or dropped) before DNAT starts sending them. --noflush keeps everything else, and
# declaring our chains empties them, so these rules replace the previous ones.
{
  printf '%s\n' \
    '*filter' \
    ':WGF-wgf0-FWD - [0:0]' \
    '-A WGF-wgf0-FWD -s fd77:42::2/128 -d 2001:db8:200::2/128 -i wgf0 -p tcp -m tcp --dport 22 --tcp-flags SYN,RST SYN -m conntrack --ctstate DNAT --ctorigdst fd77:42::1 --ctorigdstport 8822 -m comment --comment wgforward:wgf0:8822/tcp:mss -j TCPMSS --clamp-mss-to-pmtu' \
    '-A WGF-wgf0-FWD -s 2001:db8:200::2/128 -d fd77:42::2/128 -o wgf0 -p tcp -m tcp --sport 22 --tcp-flags SYN,RST SYN -m conntrack --ctstate DNAT --ctorigdst fd77:42::1 --ctorigdstport 8822 -m comment --comment wgforward:wgf0:8822/tcp:mss-reply -j TCPMSS --clamp-mss-to-pmtu' \
    '-A WGF-wgf0-FWD -s fd77:42::2/128 -d 2001:db8:200::2/128 -i wgf0 -p tcp -m tcp --dport 22 -m conntrack --ctstate DNAT --ctorigdst fd77:42::1 --ctorigdstport 8822 -m comment --comment wgforward:wgf0:8822/tcp:accept -j ACCEPT' \
    '-A WGF-wgf0-FWD -s fd77:42::2/128 -d 2001:db8:200::2/128 -i wgf0 -p udp -m udp --dport 53 -m conntrack --ctstate DNAT --ctorigdst fd77:42::1 --ctorigdstport 5354 -m comment --comment wgforward:wgf0:5354/udp:accept -j ACCEPT' \
    '-A WGF-wgf0-FWD -o wgf0 -m conntrack --ctstate RELATED,ESTABLISHED --ctproto tcp --ctorigsrc fd77:42::2 --ctorigdst fd77:42::1 --ctreplsrc 2001:db8:200::2 --ctorigdstport 8822 --ctreplsrcport 22 -m comment --comment wgforward:wgf0:8822/tcp:reply -j ACCEPT' \
    '-A WGF-wgf0-FWD -o wgf0 -m conntrack --ctstate RELATED,ESTABLISHED --ctproto udp --ctorigsrc fd77:42::2 --ctorigdst fd77:42::1 --ctreplsrc 2001:db8:200::2 --ctorigdstport 5354 --ctreplsrcport 53 -m comment --comment wgforward:wgf0:5354/udp:reply -j ACCEPT' \
    '-A WGF-wgf0-FWD -i wgf0 -m comment --comment wgforward:wgf0:drop -j DROP'
  if [ -n "$wgf_jump_forward6" ]; then printf '%s\n' "$wgf_jump_forward6"; fi
  printf '%s\n' COMMIT
  printf '%s\n' \
    '*nat' \
    ':WGF-wgf0-PRE - [0:0]' \
    ':WGF-wgf0-POST - [0:0]' \
    '-A WGF-wgf0-PRE -s fd77:42::2/128 -d fd77:42::1/128 -i wgf0 -p tcp -m tcp --dport 8822 -m comment --comment wgforward:wgf0:8822/tcp:dnat -j DNAT --to-destination [2001:db8:200::2]:22' \
    '-A WGF-wgf0-PRE -s fd77:42::2/128 -d fd77:42::1/128 -i wgf0 -p udp -m udp --dport 5354 -m comment --comment wgforward:wgf0:5354/udp:dnat -j DNAT --to-destination [2001:db8:200::2]:53' \
    '-A WGF-wgf0-POST -s fd77:42::2/128 -d 2001:db8:200::2/128 -p tcp -m tcp --dport 22 -m conntrack --ctstate DNAT --ctorigdst fd77:42::1 --ctorigdstport 8822 -m comment --comment wgforward:wgf0:8822/tcp:masquerade -j MASQUERADE' \
    '-A WGF-wgf0-POST -s fd77:42::2/128 -d 2001:db8:200::2/128 -p udp -m udp --dport 53 -m conntrack --ctstate DNAT --ctorigdst fd77:42::1 --ctorigdstport 5354 -m comment --comment wgforward:wgf0:5354/udp:masquerade -j MASQUERADE'
  if [ -n "$wgf_jump_prerouting6" ]; then printf '%s\n' "$wgf_jump_prerouting6"; fi
  if [ -n "$wgf_jump_postrouting6" ]; then printf '%s\n' "$wgf_jump_postrouting6"; fi
  printf '%s\n' COMMIT
} | "$IP6T_RESTORE" $IP6T_RESTORE_WAIT --noflush
# A jump left from before Docker was installed (or removed) would be a second way in.
while "$IP6T" -w -t filter -D "$wgf_forward_hook_unused6" -m comment --comment 'wgforward:wgf0' -j 'WGF-wgf0-FWD' 2>/dev/null; do :; done
