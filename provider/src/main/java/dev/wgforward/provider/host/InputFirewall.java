package dev.wgforward.provider.host;

/**
 * Whether a host's firewall drops incoming packets by default (ufw, firewalld and hardened images
 * do). wgforward does not open ports on the host's own firewall, which is the admin's; but a
 * relay whose WireGuard port is dropped gives a tunnel that never comes up, so the user is told.
 */
public final class InputFirewall {
    private InputFirewall() {}

    /**
     * Prints {@code input=drop} when an input hook drops by default. Read-only on purpose: it lists
     * nft (which shows iptables-nft's chains too) and only touches iptables-legacy where its filter
     * table already exists (merely listing it would create the table).
     */
    public static String probe() {
        return """
                drop=no
                if command -v nft >/dev/null 2>&1; then
                  nft list ruleset 2>/dev/null | grep -qE 'hook input .*policy drop' && drop=yes
                fi
                if grep -qx filter /proc/net/ip_tables_names 2>/dev/null; then
                  for t in iptables-legacy iptables; do
                    command -v "$t" >/dev/null 2>&1 || continue
                    "$t" -w 5 -S INPUT 2>/dev/null | grep -qE '^-P INPUT (DROP|REJECT)' && drop=yes
                    break
                  done
                fi
                if [ $drop = yes ]; then echo input=drop; else echo input=accept; fi
                """;
    }
}
