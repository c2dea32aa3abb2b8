package dev.wgforward.provider.host;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a host's firewall drops incoming packets by default (ufw, firewalld and hardened images
 * do). wgforward does not open ports on the host's own firewall, which is the admin's; but a
 * relay whose WireGuard port is dropped gives a tunnel that never comes up, so the user is told,
 * with the command that lets the port in on that firewall.
 */
public final class InputFirewall {
    private InputFirewall() {}

    /** Who manages the dropping firewall: its own tool is the way to open a port in it. */
    public enum Manager { NONE, UFW, FIREWALLD }

    /**
     * What {@link #probe} found: the chain that drops ({@code inet hardened input} for nftables,
     * {@code INPUT} for iptables), the tool that lists it, and its manager.
     */
    public record Drop(String tool, String chain, Manager manager) {
        /** The command that lets UDP {@code port} in, if one can be given. */
        public Optional<String> fix(int port) {
            return switch (manager) {
                case UFW -> Optional.of("ufw allow " + port + "/udp");
                case FIREWALLD -> Optional.of("firewall-cmd --permanent --add-port=" + port + "/udp && firewall-cmd --reload");
                case NONE -> !PLAIN_CHAIN.matcher(chain).matches() ? Optional.empty()
                        : tool.equals("nft")
                                ? Optional.of("nft insert rule " + chain + " udp dport " + port + " accept")
                                : Optional.of(tool + " -I " + chain + " -p udp --dport " + port + " -j ACCEPT");
            };
        }
    }

    /** Family, table and chain names that can be pasted into a command as they are. */
    private static final Pattern PLAIN_CHAIN = Pattern.compile("[A-Za-z0-9_.-]{1,64}( [A-Za-z0-9_.-]{1,64}){0,2}");

    /**
     * Prints {@code input=drop TOOL MANAGER CHAIN...} when an input hook drops by default — by
     * its policy, or by a catch-all drop or reject as its last rule (firewalld's chains accept by
     * policy and end in {@code reject}) — else {@code input=accept}. Read-only on purpose: it
     * lists nft (which shows iptables-nft's chains too) and only touches iptables-legacy where its
     * filter table already exists (merely listing it would create the table).
     */
    public static String probe() {
        return """
                drop=
                if command -v nft >/dev/null 2>&1; then
                  ruleset=$(nft list ruleset 2>/dev/null || true)
                  # The first input chain that drops by policy or by a catch-all last rule, as
                  # "MANAGER FAMILY TABLE CHAIN": firewalld's table, or ufw's jumps in the chain.
                  chain=$(printf '%s\\n' "$ruleset" | awk '
                    function found() { m = tbl == "firewalld" ? "firewalld" : ufw ? "ufw" : "none"; print m, fam, tbl, name; exit }
                    /^table / { fam = $2; tbl = $3; next }
                    /^\\tchain / { name = $2; input = 0; ufw = 0; policy = ""; last = ""; next }
                    /^\\t\\ttype .* hook input / { input = 1; if ($0 ~ /policy drop;/) policy = "drop"; next }
                    /^\\t}/ { if (input && (policy == "drop" || last ~ /^(counter( packets [0-9]+ bytes [0-9]+)? )?(drop|reject)( |$)/)) found(); input = 0; next }
                    { line = $0; sub(/^[ \\t]+/, "", line); if (line != "") last = line; if (line ~ /(^| )jump ufw-/) ufw = 1 }')
                  [ -z "$chain" ] || drop="nft $chain"
                fi
                if [ -z "$drop" ] && grep -qx filter /proc/net/ip_tables_names 2>/dev/null; then
                  for t in iptables-legacy iptables; do
                    command -v "$t" >/dev/null 2>&1 || continue
                    rules=$("$t" -w 5 -S INPUT 2>/dev/null || true)
                    if printf '%s\\n' "$rules" | grep -qE '^-P INPUT (DROP|REJECT)'; then
                      manager=none
                      printf '%s\\n' "$rules" | grep -q '^-A INPUT -j ufw-' && manager=ufw
                      drop="$t $manager INPUT"
                    fi
                    break
                  done
                fi
                if [ -n "$drop" ]; then echo "input=drop $drop"; else echo input=accept; fi
                # IPv6 (a relay reached over IPv6): an ip6 or inet input chain, or ip6tables' INPUT, that drops
                # and is not the chain above (an inet chain drops both families: one opening serves both).
                drop6=
                if command -v nft >/dev/null 2>&1; then
                  chain6=$(printf '%s\n' "$ruleset" | awk '
                    function found() { m = tbl == "firewalld" ? "firewalld" : ufw ? "ufw" : "none"; print m, fam, tbl, name; exit }
                    /^table / { fam = $2; tbl = $3; next }
                    /^\tchain / { name = $2; input = 0; ufw = 0; policy = ""; last = ""; next }
                    /^\t\ttype .* hook input / { input = fam == "ip6" || fam == "inet"; if ($0 ~ /policy drop;/) policy = "drop"; next }
                    /^\t}/ { if (input && (policy == "drop" || last ~ /^(counter( packets [0-9]+ bytes [0-9]+)? )?(drop|reject)( |$)/)) found(); input = 0; next }
                    { line = $0; sub(/^[ \t]+/, "", line); if (line != "") last = line; if (line ~ /(^| )jump ufw6?-/) ufw = 1 }')
                  [ -z "$chain6" ] || [ "nft $chain6" = "$drop" ] || drop6="nft $chain6"
                fi
                if [ -z "$drop6" ] && grep -qx filter /proc/net/ip6_tables_names 2>/dev/null; then
                  for t in ip6tables-legacy ip6tables; do
                    command -v "$t" >/dev/null 2>&1 || continue
                    rules=$("$t" -w 5 -S INPUT 2>/dev/null || true)
                    if printf '%s\n' "$rules" | grep -qE '^-P INPUT (DROP|REJECT)'; then
                      manager=none
                      printf '%s\n' "$rules" | grep -q '^-A INPUT -j ufw6-' && manager=ufw
                      drop6="$t $manager INPUT"
                    fi
                    break
                  done
                fi
                if [ -n "$drop6" ]; then echo "input6=drop $drop6"; fi
                """;
    }

    /** Parses {@link #probe}'s output: the input chain that drops (IPv4, or both families), if any. */
    public static Optional<Drop> parse(String probeOutput) {
        return probeOutput.lines().filter(l -> l.startsWith("input=drop ")).findFirst().map(l -> drop(l.substring("input=drop ".length())));
    }

    /**
     * Every input chain {@link #probe} found dropping: {@link #parse}'s, then one that drops IPv6
     * only (an ip6 table's chain or ip6tables' INPUT), which a relay reached over IPv6 needs the
     * port let in through as well. The fix of each is for its own chain.
     */
    public static java.util.List<Drop> parseAll(String probeOutput) {
        java.util.List<Drop> drops = new java.util.ArrayList<>();
        parse(probeOutput).ifPresent(drops::add);
        probeOutput.lines().filter(l -> l.startsWith("input6=drop ")).findFirst()
                .ifPresent(l -> drops.add(drop(l.substring("input6=drop ".length()))));
        return drops;
    }

    private static Drop drop(String fields) {
        String[] f = fields.split(" ", 3);
        Manager manager = switch (f.length > 1 ? f[1] : "") {
            case "ufw" -> Manager.UFW;
            case "firewalld" -> Manager.FIREWALLD;
            default -> Manager.NONE;
        };
        return new Drop(f[0], f.length > 2 ? f[2] : "", manager);
    }
}
