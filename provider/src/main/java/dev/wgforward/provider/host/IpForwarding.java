package dev.wgforward.provider.host;

import static dev.wgforward.provider.host.Shell.quote;

/**
 * net.ipv4.ip_forward (and, for IPv6 forwards, net.ipv6.conf.all.forwarding) on the relay, a
 * setting every tunnel on the host shares: turned on now and at boot (a sysctl.d file per tunnel
 * interface), and turned back to what it was before the first wgforward forwarding arrived once
 * the last one is gone, whatever the order in which stacks come and go. That first value and the
 * list of tunnels using forwarding live in {@value #REGISTRY} (one file per tunnel interface,
 * holding its owner's mark), so they survive reboots and are shared by every stack on the host.
 * Docker or a router on the same host may need forwarding on: it is only turned off when it was
 * off before wgforward.
 *
 * <p>IPv6 forwarding is turned on only while the tunnel has an IPv6 forward, with its own registry
 * ({@value #REGISTRY6}: the value before, and each tunnel using it), so an IPv4-only relay's IPv6
 * stays exactly as it was. Turning it on has a hazard the IPv4 switch has not: Linux ignores router
 * advertisements on an interface with {@code accept_ra=1} once forwarding is on, so a relay that
 * gets its own IPv6 address or default route by SLAAC (most cloud VMs) would lose them when they
 * expire. wgforward does not refuse (that would rule out exactly the relays that have IPv6), it
 * does what a router with an upstream SLAAC link is meant to do: every interface with {@code
 * accept_ra=1} (and {@code default}, for interfaces that come later) gets {@code accept_ra=2},
 * "accept router advertisements even when forwarding", before forwarding goes on; those interfaces
 * are recorded with the value before and set back (where still 2) when the last IPv6 user is gone.
 * An interface with {@code accept_ra=0} takes no advertisements anyway and is left alone. The
 * sysctl.d file carries the same settings for boot.
 */
public final class IpForwarding {
    private IpForwarding() {}

    static final String REGISTRY = "/var/lib/wgforward/ip_forward";
    static final String REGISTRY6 = "/var/lib/wgforward/ipv6_forward";

    public static String sysctlFile(String tunnelInterface) {
        return "/etc/sysctl.d/60-wgforward-" + tunnelInterface + ".conf";
    }

    /** IPv4 forwarding only (a tunnel without IPv6 forwards); see {@link #enable(String, OwnerMark, boolean)}. */
    public static String enable(String tunnelInterface, OwnerMark owner) {
        return enable(tunnelInterface, owner, false);
    }

    /**
     * Turns IPv4 forwarding on and, with {@code ipv6} (the ruleset has an IPv6 forward: {@link
     * dev.wgforward.provider.host.firewall.ForwardRuleset#hasIpv6Forwards}), IPv6 forwarding too,
     * with accept_ra kept working; without, this tunnel stops using IPv6 forwarding (restored when
     * no other tunnel uses it). Prints {@code was=0|1} (ip_forward before this script) and, with
     * {@code ipv6}, {@code was6=0|1}. Fails, changing nothing, when {@code ipv6} and the relay has
     * no IPv6.
     */
    public static String enable(String tunnelInterface, OwnerMark owner, boolean ipv6) {
        return "F=" + quote(sysctlFile(tunnelInterface)) + "\nREG=" + quote(REGISTRY) + "\nUSER_FILE=" + quote(REGISTRY + "/" + tunnelInterface)
                + "\nREG6=" + quote(REGISTRY6) + "\nUSER_FILE6=" + quote(REGISTRY6 + "/" + tunnelInterface)
                + "\nMARK_LINE=" + quote(owner.fileLine()) + "\nMARK=" + quote(owner.text()) + "\nWANT6=" + (ipv6 ? "yes" : "no") + "\n"
                + OwnDirectory.FUNCTIONS + """
                set -eu
                if [ "$WANT6" = yes ] && [ ! -f /proc/sys/net/ipv6/conf/all/forwarding ]; then
                  echo "wgforward: this relay has no IPv6 (net.ipv6 is missing or disabled), which its IPv6 forwards need; nothing was changed" >&2
                  exit 1
                fi
                was=$(cat /proc/sys/net/ipv4/ip_forward)
                wgf_own_dir_make /var/lib/wgforward
                mkdir -p "$REG"
                # The value before the first wgforward tunnel arrived: what the last one to go restores.
                if [ ! -f "$REG/before" ]; then echo "$was" > "$REG/before.tmp" && mv -f "$REG/before.tmp" "$REG/before"; fi
                echo "$MARK" > "$USER_FILE"
                """
                + ENABLE6 + """
                if [ -d /etc/sysctl.d ]; then
                  {
                    printf '%s\\n# managed by wgforward: forwarding for its tunnel; removed with it\\nnet.ipv4.ip_forward = 1\\n' "$MARK_LINE"
                    if [ "$WANT6" = yes ]; then
                      # Router advertisements still accepted where they were (accept_ra 2) before IPv6 forwarding goes on.
                      sed -n 's/^accept_ra \\([^ ]*\\) .*/\\1/p' "$REG6/before" | tr . / | sed 's/.*/net.ipv6.conf.&.accept_ra = 2/'
                      printf 'net.ipv6.conf.all.forwarding = 1\\n'
                    fi
                  } > "$F.tmp"
                  chmod 644 "$F.tmp" && mv "$F.tmp" "$F"
                fi
                [ "$was" = 1 ] || echo 1 > /proc/sys/net/ipv4/ip_forward
                echo "was=$was"
                if [ "$WANT6" = yes ]; then echo "was6=$was6"; fi
                """;
    }

    /** When no tunnel uses IPv6 forwarding any more: the value before, then accept_ra where wgforward changed it (and it is still 2). */
    private static final String RESTORE6 = """
              if [ -f "$REG6/before" ] && [ "$(ls "$REG6" | grep -v -x -e before -e before.tmp | wc -l)" -eq 0 ]; then
                [ "$(sed -n 's/^forwarding //p' "$REG6/before")" != 0 ] || echo 0 > /proc/sys/net/ipv6/conf/all/forwarding
                sed -n 's/^accept_ra \\([^ ]*\\) \\(.*\\)/\\1 \\2/p' "$REG6/before" | while read -r wgf_if wgf_value; do
                  wgf_ra="/proc/sys/net/ipv6/conf/$wgf_if/accept_ra"
                  if [ -f "$wgf_ra" ] && [ "$(cat "$wgf_ra")" = 2 ]; then echo "$wgf_value" > "$wgf_ra"; fi
                done
                rm -f "$REG6/before"
                rmdir "$REG6" 2>/dev/null || true
              fi
            """;

    /**
     * The IPv6 part of enable: registers (WANT6=yes) or unregisters this tunnel, records the value
     * before and the interfaces whose accept_ra it changes (once, for the first user), and applies
     * them; sets {@code was6}. Unregistering the last user restores.
     */
    private static final String ENABLE6 = """
            was6=''
            if [ "$WANT6" = yes ]; then
              was6=$(cat /proc/sys/net/ipv6/conf/all/forwarding)
              mkdir -p "$REG6"
              if [ ! -f "$REG6/before" ]; then
                {
                  echo "forwarding $was6"
                  # Only when wgforward turns forwarding on: with it on already, RAs were handled as the admin chose.
                  if [ "$was6" = 0 ]; then
                    for wgf_conf in /proc/sys/net/ipv6/conf/*; do
                      wgf_if=${wgf_conf##*/}
                      [ "$wgf_if" != all ] || continue
                      if [ "$(cat "$wgf_conf/accept_ra" 2>/dev/null)" = 1 ]; then echo "accept_ra $wgf_if 1"; fi
                    done
                  fi
                } > "$REG6/before.tmp"
                mv -f "$REG6/before.tmp" "$REG6/before"
              fi
              echo "$MARK" > "$USER_FILE6"
              sed -n 's/^accept_ra \\([^ ]*\\) .*/\\1/p' "$REG6/before" | while read -r wgf_if; do
                wgf_ra="/proc/sys/net/ipv6/conf/$wgf_if/accept_ra"
                if [ -f "$wgf_ra" ] && [ "$(cat "$wgf_ra")" = 1 ]; then echo 2 > "$wgf_ra"; fi
              done
              [ "$was6" = 1 ] || echo 1 > /proc/sys/net/ipv6/conf/all/forwarding
            elif [ -f "$USER_FILE6" ] && [ "$(cat "$USER_FILE6")" = "$MARK" ]; then
              # This tunnel has no IPv6 forward any more.
              rm -f "$USER_FILE6"
            """ + RESTORE6 + """
            fi
            """;

    /** Prints {@code ip_forward=0|1} and {@code ipv6_forwarding=0|1} (or {@code absent} without IPv6). */
    public static String status() {
        return "echo ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)\n"
                + "echo ipv6_forwarding=$(cat /proc/sys/net/ipv6/conf/all/forwarding 2>/dev/null || echo absent)\n";
    }

    /**
     * Removes this tunnel's sysctl file and its registration (only if they are {@code owner}'s;
     * another's are reported as {@code left=...}); when no tunnel uses forwarding any more, restores
     * the value from before the first one. {@code legacyWasOff}: what a resource made before the
     * registry existed recorded, used only when there is no registry.
     */
    public static String disable(String tunnelInterface, OwnerMark owner, OwnerMark.Unmarked unmarked, boolean legacyWasOff) {
        return "F=" + quote(sysctlFile(tunnelInterface)) + "\nREG=" + quote(REGISTRY) + "\nUSER_FILE=" + quote(REGISTRY + "/" + tunnelInterface)
                + "\nREG6=" + quote(REGISTRY6) + "\nUSER_FILE6=" + quote(REGISTRY6 + "/" + tunnelInterface)
                + "\nLEGACY_WAS_OFF=" + (legacyWasOff ? "yes" : "no") + "\n"
                + owner.guardFunctions(unmarked, "") + OwnDirectory.FUNCTIONS + """
                set -eu
                f_exists=no
                [ -f "$F" ] && f_exists=yes
                if wgf_mine "file $F" "$f_exists" "$(wgf_file_mark "$F")"; then rm -f "$F"; fi
                u_exists=no
                u_mark=''
                if [ -f "$USER_FILE" ]; then u_exists=yes; u_mark=$(cat "$USER_FILE"); fi
                if wgf_mine "file $USER_FILE" "$u_exists" "$u_mark"; then rm -f "$USER_FILE"; fi
                u6_exists=no
                u6_mark=''
                if [ -f "$USER_FILE6" ]; then u6_exists=yes; u6_mark=$(cat "$USER_FILE6"); fi
                if wgf_mine "file $USER_FILE6" "$u6_exists" "$u6_mark"; then
                  rm -f "$USER_FILE6"
                """ + RESTORE6 + """
                fi
                users=$(ls "$REG" 2>/dev/null | grep -v -x -e before -e before.tmp | wc -l)
                others=$(ls /etc/sysctl.d/60-wgforward-*.conf 2>/dev/null | wc -l)
                if [ "$users" -eq 0 ] && [ "$others" -eq 0 ]; then
                  if [ -f "$REG/before" ]; then
                    [ "$(cat "$REG/before")" = 0 ] && echo 0 > /proc/sys/net/ipv4/ip_forward
                    rm -f "$REG/before"
                  elif [ "$LEGACY_WAS_OFF" = yes ]; then
                    echo 0 > /proc/sys/net/ipv4/ip_forward
                  fi
                  rmdir "$REG" 2>/dev/null || true
                  wgf_own_dir_remove /var/lib/wgforward
                fi
                """;
    }
}
