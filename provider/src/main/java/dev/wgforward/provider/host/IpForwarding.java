package dev.wgforward.provider.host;

import static dev.wgforward.provider.host.Shell.quote;

/**
 * net.ipv4.ip_forward on the relay: turned on now and at boot (a sysctl.d file per tunnel
 * interface), and on removal turned off again only if wgforward turned it on and no other
 * wgforward forwarding remains. Docker or a router on the same host may need it on.
 */
public final class IpForwarding {
    private IpForwarding() {}

    public static String sysctlFile(String tunnelInterface) {
        return "/etc/sysctl.d/60-wgforward-" + tunnelInterface + ".conf";
    }

    /** Prints {@code was=0} or {@code was=1}: the value before this script. */
    public static String enable(String tunnelInterface) {
        return "F=" + quote(sysctlFile(tunnelInterface)) + "\n" + """
                set -eu
                was=$(cat /proc/sys/net/ipv4/ip_forward)
                if [ -d /etc/sysctl.d ]; then
                  printf '# managed by wgforward: forwarding for its tunnel; removed with it\\nnet.ipv4.ip_forward = 1\\n' > "$F.tmp"
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

    public static String disable(String tunnelInterface, boolean wasOff) {
        return "F=" + quote(sysctlFile(tunnelInterface)) + "\nWAS_OFF=" + (wasOff ? "yes" : "no") + "\n" + """
                set -eu
                rm -f "$F"
                others=$(ls /etc/sysctl.d/60-wgforward-*.conf 2>/dev/null | wc -l)
                if [ "$WAS_OFF" = yes ] && [ "$others" -eq 0 ]; then echo 0 > /proc/sys/net/ipv4/ip_forward; fi
                """;
    }
}
