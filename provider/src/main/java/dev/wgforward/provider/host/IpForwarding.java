package dev.wgforward.provider.host;

import static dev.wgforward.provider.host.Shell.quote;

/**
 * net.ipv4.ip_forward on the relay, a setting every tunnel on the host shares: turned on now and at
 * boot (a sysctl.d file per tunnel interface), and turned back to what it was before the first
 * wgforward forwarding arrived once the last one is gone, whatever the order in which stacks come
 * and go. That first value and the list of tunnels using forwarding live in {@value #REGISTRY}
 * (one file per tunnel interface, holding its owner's mark), so they survive reboots and are shared
 * by every stack on the host. Docker or a router on the same host may need forwarding on: it is
 * only turned off when it was off before wgforward.
 */
public final class IpForwarding {
    private IpForwarding() {}

    static final String REGISTRY = "/var/lib/wgforward/ip_forward";

    public static String sysctlFile(String tunnelInterface) {
        return "/etc/sysctl.d/60-wgforward-" + tunnelInterface + ".conf";
    }

    /** Prints {@code was=0} or {@code was=1}: the value before this script. */
    public static String enable(String tunnelInterface, OwnerMark owner) {
        return "F=" + quote(sysctlFile(tunnelInterface)) + "\nREG=" + quote(REGISTRY) + "\nUSER_FILE=" + quote(REGISTRY + "/" + tunnelInterface)
                + "\nMARK_LINE=" + quote(owner.fileLine()) + "\nMARK=" + quote(owner.text()) + "\n" + """
                set -eu
                was=$(cat /proc/sys/net/ipv4/ip_forward)
                mkdir -p "$REG"
                # The value before the first wgforward tunnel arrived: what the last one to go restores.
                if [ ! -f "$REG/before" ]; then echo "$was" > "$REG/before.tmp" && mv -f "$REG/before.tmp" "$REG/before"; fi
                echo "$MARK" > "$USER_FILE"
                if [ -d /etc/sysctl.d ]; then
                  printf '%s\\n# managed by wgforward: forwarding for its tunnel; removed with it\\nnet.ipv4.ip_forward = 1\\n' "$MARK_LINE" > "$F.tmp"
                  chmod 644 "$F.tmp" && mv "$F.tmp" "$F"
                fi
                [ "$was" = 1 ] || echo 1 > /proc/sys/net/ipv4/ip_forward
                echo "was=$was"
                """;
    }

    /** Prints {@code ip_forward=0|1}. */
    public static String status() {
        return "echo ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)\n";
    }

    /**
     * Removes this tunnel's sysctl file and its registration (only if they are {@code owner}'s;
     * another's are reported as {@code left=...}); when no tunnel uses forwarding any more, restores
     * the value from before the first one. {@code legacyWasOff}: what a resource made before the
     * registry existed recorded, used only when there is no registry.
     */
    public static String disable(String tunnelInterface, OwnerMark owner, OwnerMark.Unmarked unmarked, boolean legacyWasOff) {
        return "F=" + quote(sysctlFile(tunnelInterface)) + "\nREG=" + quote(REGISTRY) + "\nUSER_FILE=" + quote(REGISTRY + "/" + tunnelInterface)
                + "\nLEGACY_WAS_OFF=" + (legacyWasOff ? "yes" : "no") + "\n"
                + owner.guardFunctions(unmarked, "") + """
                set -eu
                f_exists=no
                [ -f "$F" ] && f_exists=yes
                if wgf_mine "file $F" "$f_exists" "$(wgf_file_mark "$F")"; then rm -f "$F"; fi
                u_exists=no
                u_mark=''
                if [ -f "$USER_FILE" ]; then u_exists=yes; u_mark=$(cat "$USER_FILE"); fi
                if wgf_mine "file $USER_FILE" "$u_exists" "$u_mark"; then rm -f "$USER_FILE"; fi
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
                  rmdir /var/lib/wgforward 2>/dev/null || true
                fi
                """;
    }
}
