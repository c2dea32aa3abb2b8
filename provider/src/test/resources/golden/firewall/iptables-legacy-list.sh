#!/bin/sh
# wgforward: list the forwarding rules of tunnel interface wgf0 (iptables-legacy)
set -eu
# A non-login root shell (sh -s over SSH) may lack the sbin directories the tools live in.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export PATH
if command -v iptables-legacy >/dev/null 2>&1; then
  IPT=iptables-legacy IPT_SAVE=iptables-legacy-save IPT_RESTORE=iptables-legacy-restore
elif command -v iptables >/dev/null 2>&1 && ! iptables --version 2>/dev/null | grep -q nf_tables; then
  IPT=iptables IPT_SAVE=iptables-save IPT_RESTORE=iptables-restore
else
  { echo 'wgforward: iptables-legacy is not installed on this host' >&2; exit 1; }
fi
if command -v ip6tables-legacy >/dev/null 2>&1; then
  IP6T=ip6tables-legacy IP6T_SAVE=ip6tables-legacy-save IP6T_RESTORE=ip6tables-legacy-restore
elif command -v ip6tables >/dev/null 2>&1 && ! ip6tables --version 2>/dev/null | grep -q nf_tables; then
  IP6T=ip6tables IP6T_SAVE=ip6tables-save IP6T_RESTORE=ip6tables-restore
else
  IP6T='' IP6T_SAVE='' IP6T_RESTORE=''
fi
# Our chains, their rules and the jumps into them, in iptables-save format.
for wgf_table in filter nat; do
  # Saved into a variable first: a failing save then fails the script, in a pipe it wouldn't.
  wgf_saved=$("$IPT_SAVE" -t "$wgf_table")
  printf '%s\n' "$wgf_saved" | awk -v pre='WGF-wgf0-PRE' -v post='WGF-wgf0-POST' -v fwd='WGF-wgf0-FWD' \
    'function ours(chain) { return chain == pre || chain == post || chain == fwd }
/^\*/ || /^COMMIT$/ { print; next }
substr($1, 1, 1) == ":" && ours(substr($1, 2)) { print; next }
$1 == "-A" {
  if (ours($2)) { print; next }
  for (i = 3; i < NF; i++) if (($i == "-j" || $i == "-g") && ours($(i + 1))) { print; next }
}
'
done
# Then ip6tables', after a marker line: every table it has (naming one would create it with legacy).
if [ -n "$IP6T" ]; then
  wgf_saved=$("$IP6T_SAVE")
  if printf '%s\n' "$wgf_saved" | grep -q -e '^:WGF-wgf0-'; then
    printf '%s\n' '# wgforward: ip6tables'
    printf '%s\n' "$wgf_saved" | awk -v pre='WGF-wgf0-PRE' -v post='WGF-wgf0-POST' -v fwd='WGF-wgf0-FWD' \
      'function ours(chain) { return chain == pre || chain == post || chain == fwd }
  /^\*/ || /^COMMIT$/ { print; next }
  substr($1, 1, 1) == ":" && ours(substr($1, 2)) { print; next }
  $1 == "-A" {
    if (ours($2)) { print; next }
    for (i = 3; i < NF; i++) if (($i == "-j" || $i == "-g") && ours($(i + 1))) { print; next }
  }
  '
  fi
fi
