package dev.wgforward.provider.host.firewall;

import static dev.wgforward.provider.host.firewall.ScriptText.fail;
import static dev.wgforward.provider.host.firewall.ScriptText.preamble;
import static dev.wgforward.provider.host.firewall.ScriptText.printLines;

import dev.wgforward.provider.host.Shell;
import dev.wgforward.provider.host.firewall.ForwardRuleset.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The nftables backend: all of a tunnel's IPv4 rules in one table of wgforward's own, {@code
 * table ip wgforward_<iface>}, with its own base chains; when the tunnel has IPv6, its IPv6 rules
 * in {@code table ip6 wgforward_<iface>} beside it (same chains, owner mark and tags). Families
 * {@code ip} and {@code ip6} rather than one {@code inet} table: NAT in inet tables needs kernel
 * 5.2. Both tables are written (and an IPv4-only tunnel's stale ip6 table deleted) in one {@code
 * nft -f} transaction.
 *
 * <p>An accept in our chains does not override a drop in another table's chain on the same hook;
 * that is why {@link FirewallScripts#detectBackend()} picks iptables when iptables holds rules.
 */
final class NftablesScripts implements RuleScripts {

    // Numeric priorities: the names (dstnat, srcnat, filter) need nft 0.9.6.
    private static final String DSTNAT_PRIORITY = "-100";
    private static final String SRCNAT_PRIORITY = "100";
    private static final String FILTER_PRIORITY = "0";

    /** An address family of wgforward's tables: its nft family, which is also its address match keyword. */
    enum Family {
        IPV4("ip"), IPV6("ip6");

        final String nft;

        Family(String nft) {
            this.nft = nft;
        }

        boolean ipv6() {
            return this == IPV6;
        }
    }

    @Override
    public String apply(ForwardRuleset ruleset, Optional<String> ownerMark) {
        String name = RuleNames.nftTable(ruleset.tunnelInterface());
        List<String> lines = new ArrayList<>();
        // In one transaction, "add" makes the "delete" valid when the table doesn't exist yet, and
        // the definition that follows replaces the whole table: applying twice gives the same
        // ruleset, and no packet ever meets half of the old and half of the new rules.
        lines.add("add table ip " + name);
        lines.add("delete table ip " + name);
        if (ruleset.hasIpv6()) {
            lines.add("add table ip6 " + name);
            lines.add("delete table ip6 " + name);
        }
        lines.addAll(table(ruleset, ownerMark));
        StringBuilder script = new StringBuilder(preamble("apply the forwarding rules of tunnel interface " + ruleset.tunnelInterface()
                + " (nftables)")).append(requireNft());
        if (ruleset.hasIpv6()) {
            script.append(printLines(lines)).append(" \\\n  | nft -f /dev/stdin\n");
        } else {
            // An IPv4-only tunnel has no ip6 table: one left from when it had IPv6 goes in the same
            // transaction. Only named when it exists, so that a host without IPv6 netfilter is never asked for one.
            script.append("wgf_stale6=''\n")
                    .append("if nft list tables ip6 2>/dev/null | grep -qxF ").append(Shell.quote("table ip6 " + name)).append("; then\n")
                    .append("  wgf_stale6=").append(Shell.quote("delete table ip6 " + name)).append("\n")
                    .append("fi\n")
                    .append("{\n  ").append(printLines(lines).replace("\n", "\n  ")).append("\n")
                    .append("  if [ -n \"$wgf_stale6\" ]; then printf '%s\\n' \"$wgf_stale6\"; fi\n")
                    .append("} | nft -f /dev/stdin\n");
        }
        return script.toString();
    }

    /**
     * The tables' definitions, one line per line of {@code nft -f} input: what {@link #apply}
     * writes after clearing them. The ip table, then (on a tunnel with IPv6) the ip6 table.
     */
    static List<String> table(ForwardRuleset ruleset, Optional<String> ownerMark) {
        List<String> lines = new ArrayList<>(table(ruleset, ownerMark, Family.IPV4));
        if (ruleset.hasIpv6()) {
            lines.addAll(table(ruleset, ownerMark, Family.IPV6));
        }
        return lines;
    }

    private static List<String> table(ForwardRuleset ruleset, Optional<String> ownerMark, Family family) {
        List<String> lines = new ArrayList<>();
        lines.add("table " + family.nft + " " + RuleNames.nftTable(ruleset.tunnelInterface()) + " {");
        ownerMark.ifPresent(mark -> lines.add("\tcomment \"" + mark + "\""));
        lines.addAll(chain("prerouting", "nat", "prerouting", DSTNAT_PRIORITY, preroutingRules(ruleset, family)));
        lines.addAll(chain("postrouting", "nat", "postrouting", SRCNAT_PRIORITY, postroutingRules(ruleset, family)));
        lines.addAll(chain("forward", "filter", "forward", FILTER_PRIORITY, forwardRules(ruleset, family)));
        lines.add("}");
        return lines;
    }

    @Override
    public String remove(String tunnelInterface) {
        String table = RuleNames.nftTable(tunnelInterface);
        return preamble("remove the forwarding rules of tunnel interface " + tunnelInterface + " (nftables)")
                + requireNft()
                + "# Adding a table first makes its delete succeed when it is already gone; all happen in one\n"
                + "# transaction, so existing tables are simply deleted. The ip6 table only where IPv6 netfilter is.\n"
                + "if nft list tables ip6 >/dev/null 2>&1; then\n"
                + "  " + printLines(List.of("add table ip " + table, "delete table ip " + table, "add table ip6 " + table,
                        "delete table ip6 " + table)).replace("\n", "\n  ") + " \\\n    | nft -f /dev/stdin\n"
                + "else\n"
                + "  " + printLines(List.of("add table ip " + table, "delete table ip " + table)).replace("\n", "\n  ")
                + " \\\n    | nft -f /dev/stdin\n"
                + "fi\n";
    }

    @Override
    public String list(String tunnelInterface) {
        String table = RuleNames.nftTable(tunnelInterface);
        return preamble("list the forwarding rules of tunnel interface " + tunnelInterface + " (nftables)")
                + requireNft()
                + "# A missing table lists as nothing; any other nft failure fails the script.\n"
                + "wgf_tables=$(nft list tables)\n"
                + "for wgf_family in ip ip6; do\n"
                + "  if printf '%s\\n' \"$wgf_tables\" | grep -qxF \"table $wgf_family \"" + Shell.quote(table) + "; then\n"
                + "    nft list table \"$wgf_family\" " + Shell.quote(table) + "\n"
                + "  fi\n"
                + "done\n";
    }

    /** Sets {@code fw_exists} (yes/no: the ip or the ip6 table) and {@code fw_mark} (the owner mark of the first that exists, or empty). */
    @Override
    public String ownerProbe(String tunnelInterface) {
        String table = RuleNames.nftTable(tunnelInterface);
        return "fw_exists=no\nfw_mark=''\nfw_what=''\n"
                + "if command -v nft >/dev/null 2>&1; then\n"
                + "  for wgf_family in ip ip6; do\n"
                + "    if nft list tables \"$wgf_family\" 2>/dev/null | grep -qxF \"table $wgf_family \"" + Shell.quote(table) + "; then\n"
                + "      [ \"$fw_exists\" = yes ] || fw_mark=$(nft list table \"$wgf_family\" " + Shell.quote(table)
                + " | grep -o 'comment \"wgforward-owner=[0-9a-f]*\"' | head -n 1 | sed 's/^comment \"//; s/\"$//')\n"
                + "      fw_exists=yes\n"
                + "      fw_what=\"${fw_what:+$fw_what and }nftables table $wgf_family \"" + Shell.quote(table) + "\n"
                + "    fi\n"
                + "  done\n"
                + "fi\n"
                + "[ -n \"$fw_what\" ] || fw_what=" + Shell.quote("nftables table ip " + table) + "\n";
    }

    @Override
    public FirewallState parseListing(String tunnelInterface, String listing) {
        return FirewallState.parseNft(tunnelInterface, listing);
    }

    private static String requireNft() {
        return "command -v nft >/dev/null 2>&1 || " + fail("nft (nftables) is not installed on this host") + "\n";
    }

    private static List<String> chain(String name, String type, String hook, String priority, List<String> rules) {
        List<String> lines = new ArrayList<>();
        lines.add("\tchain " + name + " {");
        lines.add("\t\ttype " + type + " hook " + hook + " priority " + priority + "; policy accept;");
        for (String rule : rules) {
            lines.add("\t\t" + rule);
        }
        lines.add("\t}");
        return lines;
    }

    private static List<String> preroutingRules(ForwardRuleset ruleset, Family family) {
        List<String> rules = new ArrayList<>();
        for (Entry entry : ruleset.entries(family.ipv6())) {
            Forward forward = entry.forward();
            rules.add(iif(ruleset) + " " + family.nft + " saddr " + entry.clientAddress() + " " + family.nft + " daddr "
                    + relay(ruleset, family) + " " + proto(forward) + " dport " + forward.port()
                    + " counter dnat to " + forward.target()
                    + comment(ruleset, entry, RuleRole.DNAT));
        }
        return rules;
    }

    private static List<String> postroutingRules(ForwardRuleset ruleset, Family family) {
        List<String> rules = new ArrayList<>();
        for (Entry entry : ruleset.entries(family.ipv6())) {
            rules.add(towardTarget(entry, family) + " " + dnatedFrom(ruleset, entry, family)
                    + " counter masquerade" + comment(ruleset, entry, RuleRole.MASQUERADE));
        }
        return rules;
    }

    private static List<String> forwardRules(ForwardRuleset ruleset, Family family) {
        List<String> rules = new ArrayList<>();
        List<Entry> entries = ruleset.entries(family.ipv6());
        // MSS first: it changes the SYN and SYN-ACK and lets them continue to the accepts below.
        // "rt mtu" is the MTU of the route the packet takes: the tunnel's for the SYN-ACK going
        // back to the client, so the client never sends segments too big for the tunnel.
        for (Entry entry : entries) {
            if (entry.forward().protocol() == Protocol.TCP) {
                rules.add(iif(ruleset) + " " + towardTarget(entry, family) + " " + dnatedFrom(ruleset, entry, family)
                        + " tcp flags syn tcp option maxseg size set rt mtu" + comment(ruleset, entry, RuleRole.MSS));
                rules.add(oif(ruleset) + " " + fromTarget(entry, family) + " " + dnatedFrom(ruleset, entry, family)
                        + " tcp flags syn tcp option maxseg size set rt mtu" + comment(ruleset, entry, RuleRole.MSS_REPLY));
            }
        }
        for (Entry entry : entries) {
            rules.add(iif(ruleset) + " " + towardTarget(entry, family) + " " + dnatedFrom(ruleset, entry, family)
                    + " counter accept" + comment(ruleset, entry, RuleRole.ACCEPT));
        }
        // Replies are matched on the connection, not the packet, so that ICMP errors about it
        // (RELATED, e.g. "fragmentation needed" / "packet too big") get back to the client too.
        for (Entry entry : entries) {
            Forward forward = entry.forward();
            rules.add(oif(ruleset) + " ct state established,related ct status dnat ct protocol " + proto(forward)
                    + " ct original " + family.nft + " saddr " + entry.clientAddress()
                    + " ct original " + family.nft + " daddr " + relay(ruleset, family) + " ct original proto-dst " + forward.port()
                    + " ct reply " + family.nft + " saddr " + forward.targetHost() + " ct reply proto-src " + forward.targetPort()
                    + " counter accept" + comment(ruleset, entry, RuleRole.REPLY));
        }
        // Nothing else from the tunnel is forwarded: a client can't use the relay as a router, nor
        // reach another client (or another client's forward: the accepts above name its source).
        // The same holds for the tunnel's IPv6 traffic, in the ip6 table.
        rules.add(iif(ruleset) + " counter drop comment \"" + RuleNames.isolationTag(ruleset.tunnelInterface()) + "\"");
        return rules;
    }

    private static String relay(ForwardRuleset ruleset, Family family) {
        return family.ipv6() ? ruleset.relayTunnelIp6() : ruleset.relayTunnelIp();
    }

    /** The client's packets after DNAT: from its tunnel address to the target. */
    private static String towardTarget(Entry entry, Family family) {
        Forward forward = entry.forward();
        return family.nft + " saddr " + entry.clientAddress() + " " + family.nft + " daddr " + forward.targetHost()
                + " " + proto(forward) + " dport " + forward.targetPort();
    }

    private static String fromTarget(Entry entry, Family family) {
        Forward forward = entry.forward();
        return family.nft + " saddr " + forward.targetHost() + " " + family.nft + " daddr " + entry.clientAddress()
                + " " + proto(forward) + " sport " + forward.targetPort();
    }

    /**
     * Only connections our DNAT made: without this, a client that routes through the relay could
     * reach target:port directly, and any LAN host's traffic to target:port would be masqueraded.
     */
    private static String dnatedFrom(ForwardRuleset ruleset, Entry entry, Family family) {
        return "ct status dnat ct original " + family.nft + " daddr " + relay(ruleset, family) + " ct original proto-dst "
                + entry.forward().port();
    }

    private static String iif(ForwardRuleset ruleset) {
        return "iifname \"" + ruleset.tunnelInterface() + "\"";
    }

    private static String oif(ForwardRuleset ruleset) {
        return "oifname \"" + ruleset.tunnelInterface() + "\"";
    }

    private static String proto(Forward forward) {
        return forward.protocol().keyword();
    }

    private static String comment(ForwardRuleset ruleset, Entry entry, RuleRole role) {
        return " comment \"" + RuleNames.forwardTag(ruleset.tunnelInterface(), entry.key(), role) + "\"";
    }
}
