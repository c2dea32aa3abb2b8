#!/bin/sh
# wgforward: apply the forwarding rules of tunnel interface wgf0 (nftables)
set -eu
# A non-login root shell (sh -s over SSH) may lack the sbin directories the tools live in.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export PATH
command -v nft >/dev/null 2>&1 || { echo 'wgforward: nft (nftables) is not installed on this host' >&2; exit 1; }
printf '%s\n' \
  'add table ip wgforward_wgf0' \
  'delete table ip wgforward_wgf0' \
  'add table ip6 wgforward_wgf0' \
  'delete table ip6 wgforward_wgf0' \
  'table ip wgforward_wgf0 {' \
  '	chain prerouting {' \
  '		type nat hook prerouting priority -100; policy accept;' \
  '		iifname "wgf0" ip saddr 192.168.77.2 ip daddr 192.168.77.1 tcp dport 8888 counter dnat to 10.200.0.2:22 comment "wgforward:wgf0:8888/tcp:dnat"' \
  '		iifname "wgf0" ip saddr 192.168.77.2 ip daddr 192.168.77.1 udp dport 5353 counter dnat to 10.200.0.2:53 comment "wgforward:wgf0:5353/udp:dnat"' \
  '	}' \
  '	chain postrouting {' \
  '		type nat hook postrouting priority 100; policy accept;' \
  '		ip saddr 192.168.77.2 ip daddr 10.200.0.2 tcp dport 22 ct status dnat ct original ip daddr 192.168.77.1 ct original proto-dst 8888 counter masquerade comment "wgforward:wgf0:8888/tcp:masquerade"' \
  '		ip saddr 192.168.77.2 ip daddr 10.200.0.2 udp dport 53 ct status dnat ct original ip daddr 192.168.77.1 ct original proto-dst 5353 counter masquerade comment "wgforward:wgf0:5353/udp:masquerade"' \
  '	}' \
  '	chain forward {' \
  '		type filter hook forward priority 0; policy accept;' \
  '		iifname "wgf0" ip saddr 192.168.77.2 ip daddr 10.200.0.2 tcp dport 22 ct status dnat ct original ip daddr 192.168.77.1 ct original proto-dst 8888 tcp flags syn tcp option maxseg size set rt mtu comment "wgforward:wgf0:8888/tcp:mss"' \
  '		oifname "wgf0" ip saddr 10.200.0.2 ip daddr 192.168.77.2 tcp sport 22 ct status dnat ct original ip daddr 192.168.77.1 ct original proto-dst 8888 tcp flags syn tcp option maxseg size set rt mtu comment "wgforward:wgf0:8888/tcp:mss-reply"' \
  '		iifname "wgf0" ip saddr 192.168.77.2 ip daddr 10.200.0.2 tcp dport 22 ct status dnat ct original ip daddr 192.168.77.1 ct original proto-dst 8888 counter accept comment "wgforward:wgf0:8888/tcp:accept"' \
  '		iifname "wgf0" ip saddr 192.168.77.2 ip daddr 10.200.0.2 udp dport 53 ct status dnat ct original ip daddr 192.168.77.1 ct original proto-dst 5353 counter accept comment "wgforward:wgf0:5353/udp:accept"' \
  '		oifname "wgf0" ct state established,related ct status dnat ct protocol tcp ct original ip saddr 192.168.77.2 ct original ip daddr 192.168.77.1 ct original proto-dst 8888 ct reply ip saddr 10.200.0.2 ct reply proto-src 22 counter accept comment "wgforward:wgf0:8888/tcp:reply"' \
  '		oifname "wgf0" ct state established,related ct status dnat ct protocol udp ct original ip saddr 192.168.77.2 ct original ip daddr 192.168.77.1 ct original proto-dst 5353 ct reply ip saddr 10.200.0.2 ct reply proto-src 53 counter accept comment "wgforward:wgf0:5353/udp:reply"' \
  '		iifname "wgf0" counter drop comment "wgforward:wgf0:drop"' \
  '	}' \
  '}' \
  'table ip6 wgforward_wgf0 {' \
  '	chain prerouting {' \
  '		type nat hook prerouting priority -100; policy accept;' \
  '		iifname "wgf0" ip6 saddr fd77:42::2 ip6 daddr fd77:42::1 tcp dport 8822 counter dnat to [2001:db8:200::2]:22 comment "wgforward:wgf0:8822/tcp:dnat"' \
  '		iifname "wgf0" ip6 saddr fd77:42::2 ip6 daddr fd77:42::1 udp dport 5354 counter dnat to [2001:db8:200::2]:53 comment "wgforward:wgf0:5354/udp:dnat"' \
  '	}' \
  '	chain postrouting {' \
  '		type nat hook postrouting priority 100; policy accept;' \
  '		ip6 saddr fd77:42::2 ip6 daddr 2001:db8:200::2 tcp dport 22 ct status dnat ct original ip6 daddr fd77:42::1 ct original proto-dst 8822 counter masquerade comment "wgforward:wgf0:8822/tcp:masquerade"' \
  '		ip6 saddr fd77:42::2 ip6 daddr 2001:db8:200::2 udp dport 53 ct status dnat ct original ip6 daddr fd77:42::1 ct original proto-dst 5354 counter masquerade comment "wgforward:wgf0:5354/udp:masquerade"' \
  '	}' \
  '	chain forward {' \
  '		type filter hook forward priority 0; policy accept;' \
  '		iifname "wgf0" ip6 saddr fd77:42::2 ip6 daddr 2001:db8:200::2 tcp dport 22 ct status dnat ct original ip6 daddr fd77:42::1 ct original proto-dst 8822 tcp flags syn tcp option maxseg size set rt mtu comment "wgforward:wgf0:8822/tcp:mss"' \
  '		oifname "wgf0" ip6 saddr 2001:db8:200::2 ip6 daddr fd77:42::2 tcp sport 22 ct status dnat ct original ip6 daddr fd77:42::1 ct original proto-dst 8822 tcp flags syn tcp option maxseg size set rt mtu comment "wgforward:wgf0:8822/tcp:mss-reply"' \
  '		iifname "wgf0" ip6 saddr fd77:42::2 ip6 daddr 2001:db8:200::2 tcp dport 22 ct status dnat ct original ip6 daddr fd77:42::1 ct original proto-dst 8822 counter accept comment "wgforward:wgf0:8822/tcp:accept"' \
  '		iifname "wgf0" ip6 saddr fd77:42::2 ip6 daddr 2001:db8:200::2 udp dport 53 ct status dnat ct original ip6 daddr fd77:42::1 ct original proto-dst 5354 counter accept comment "wgforward:wgf0:5354/udp:accept"' \
  '		oifname "wgf0" ct state established,related ct status dnat ct protocol tcp ct original ip6 saddr fd77:42::2 ct original ip6 daddr fd77:42::1 ct original proto-dst 8822 ct reply ip6 saddr 2001:db8:200::2 ct reply proto-src 22 counter accept comment "wgforward:wgf0:8822/tcp:reply"' \
  '		oifname "wgf0" ct state established,related ct status dnat ct protocol udp ct original ip6 saddr fd77:42::2 ct original ip6 daddr fd77:42::1 ct original proto-dst 5354 ct reply ip6 saddr 2001:db8:200::2 ct reply proto-src 53 counter accept comment "wgforward:wgf0:5354/udp:reply"' \
  '		iifname "wgf0" counter drop comment "wgforward:wgf0:drop"' \
  '	}' \
  '}' \
  | nft -f /dev/stdin
