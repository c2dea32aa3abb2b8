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
 * The nftables backend: all of a tunnel's rules in one table of wgforward's own, {@code table ip
 * wgforward_<iface>}, with its own base chains. Family {@code ip} rather than {@code inet}: NAT in
 * inet tables needs kernel 5.2, and the forwards are IPv4 only.
 *
 * <p>An accept in our chains does not override a drop in another table's chain on the same hook;
 * that is why {@link FirewallScripts#detectBackend()} picks iptables when iptables holds rules.
 */
final class NftablesScripts implements RuleScripts {

    // Numeric priorities: the names (dstnat, srcnat, filter) need nft 0.9.6.
    private static final String DSTNAT_PRIORITY = "-100";
    private static final String SRCNAT_PRIORITY = "100";
    private static final String FILTER_PRIORITY = "0";

    @Override
    public String apply(ForwardRuleset ruleset, Optional<String> ownerMark) {
        String table = "ip " + RuleNames.nftTable(ruleset.tunnelInterface());
        List<String> lines = new ArrayList<>();
        // In one transaction, "add" makes the "delete" valid when the table doesn't exist yet, and
        // the definition that follows replaces the whole table: applying twice gives the same
        // ruleset, and no packet ever meets half of the old and half of the new rules.
        lines.add("add table " + table);
        lines.add("delete table " + table);
        lines.addAll(table(ruleset, ownerMark));
        return preamble("apply the forwarding rules of tunnel interface " + ruleset.tunnelInterface() + " (nftables)")
                + requireNft()
                + printLines(lines) + " \\\n  | nft -f /dev/stdin\n";
    }

    /** The table's definition, one line per line of {@code nft -f} input: what {@link #apply} writes after clearing the table. */
    static List<String> table(ForwardRuleset ruleset, Optional<String> ownerMark) {
        List<String> lines = new ArrayList<>();
        lines.add("table ip " + RuleNames.nftTable(ruleset.tunnelInterface()) + " {");
        ownerMark.ifPresent(mark -> lines.add("\tcomment \"" + mark + "\""));
        lines.addAll(chain("prerouting", "nat", "prerouting", DSTNAT_PRIORITY, preroutingRules(ruleset)));
        lines.addAll(chain("postrouting", "nat", "postrouting", SRCNAT_PRIORITY, postroutingRules(ruleset)));
        lines.addAll(chain("forward", "filter", "forward", FILTER_PRIORITY, forwardRules(ruleset)));
        lines.add("}");
        return lines;
    }

    @Override
    public String remove(String tunnelInterface) {
        String table = "ip " + RuleNames.nftTable(tunnelInterface);
        return preamble("remove the forwarding rules of tunnel interface " + tunnelInterface + " (nftables)")
                + requireNft()
                + "# Adding the table first makes the delete succeed when it is already gone; both happen in\n"
                + "# one transaction, so an existing table is simply deleted.\n"
                + printLines(List.of("add table " + table, "delete table " + table)) + " \\\n  | nft -f /dev/stdin\n";
    }

    @Override
    public String list(String tunnelInterface) {
        String table = RuleNames.nftTable(tunnelInterface);
        return preamble("list the forwarding rules of tunnel interface " + tunnelInterface + " (nftables)")
                + requireNft()
                + "# A missing table lists as nothing; any other nft failure fails the script.\n"
                + "wgf_tables=$(nft list tables ip)\n"
                + "if printf '%s\\n' \"$wgf_tables\" | grep -qxF " + Shell.quote("table ip " + table) + "; then\n"
                + "  nft list table ip " + Shell.quote(table) + "\n"
                + "fi\n";
    }

    /** Sets {@code fw_exists} (yes/no) and {@code fw_mark} (the table's owner mark, or empty). */
    @Override
    public String ownerProbe(String tunnelInterface) {
        String table = RuleNames.nftTable(tunnelInterface);
        return "fw_exists=no\nfw_mark=''\n"
                + "if command -v nft >/dev/null 2>&1 && nft list tables ip 2>/dev/null | grep -qxF " + Shell.quote("table ip " + table) + "; then\n"
                + "  fw_exists=yes\n"
                + "  fw_mark=$(nft list table ip " + Shell.quote(table) + " | grep -o 'comment \"wgforward-owner=[0-9a-f]*\"' | head -n 1 | sed 's/^comment \"//; s/\"$//')\n"
                + "fi\n"
                + "fw_what=" + Shell.quote("nftables table ip " + table) + "\n";
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

    private static List<String> preroutingRules(ForwardRuleset ruleset) {
        List<String> rules = new ArrayList<>();
        for (Entry entry : ruleset.entries()) {
            Forward forward = entry.forward();
            rules.add(iif(ruleset) + " ip saddr " + entry.clientTunnelIp() + " ip daddr " + ruleset.relayTunnelIp()
                    + " " + proto(forward) + " dport " + forward.port()
                    + " counter dnat to " + forward.targetHost() + ":" + forward.targetPort()
                    + comment(ruleset, entry, RuleRole.DNAT));
        }
        return rules;
    }

    private static List<String> postroutingRules(ForwardRuleset ruleset) {
        List<String> rules = new ArrayList<>();
        for (Entry entry : ruleset.entries()) {
            rules.add(towardTarget(entry) + " " + dnatedFrom(ruleset, entry)
                    + " counter masquerade" + comment(ruleset, entry, RuleRole.MASQUERADE));
        }
        return rules;
    }

    private static List<String> forwardRules(ForwardRuleset ruleset) {
        List<String> rules = new ArrayList<>();
        // MSS first: it changes the SYN and SYN-ACK and lets them continue to the accepts below.
        // "rt mtu" is the MTU of the route the packet takes: the tunnel's for the SYN-ACK going
        // back to the client, so the client never sends segments too big for the tunnel.
        for (Entry entry : ruleset.entries()) {
            if (entry.forward().protocol() == Protocol.TCP) {
                rules.add(iif(ruleset) + " " + towardTarget(entry) + " " + dnatedFrom(ruleset, entry)
                        + " tcp flags syn tcp option maxseg size set rt mtu" + comment(ruleset, entry, RuleRole.MSS));
                rules.add(oif(ruleset) + " " + fromTarget(entry) + " " + dnatedFrom(ruleset, entry)
                        + " tcp flags syn tcp option maxseg size set rt mtu" + comment(ruleset, entry, RuleRole.MSS_REPLY));
            }
        }
        for (Entry entry : ruleset.entries()) {
            rules.add(iif(ruleset) + " " + towardTarget(entry) + " " + dnatedFrom(ruleset, entry)
                    + " counter accept" + comment(ruleset, entry, RuleRole.ACCEPT));
        }
        // Replies are matched on the connection, not the packet, so that ICMP errors about it
        // (RELATED, e.g. "fragmentation needed") get back to the client too.
        for (Entry entry : ruleset.entries()) {
            Forward forward = entry.forward();
            rules.add(oif(ruleset) + " ct state established,related ct status dnat ct protocol " + proto(forward)
                    + " ct original ip saddr " + entry.clientTunnelIp()
                    + " ct original ip daddr " + ruleset.relayTunnelIp() + " ct original proto-dst " + forward.port()
                    + " ct reply ip saddr " + forward.targetHost() + " ct reply proto-src " + forward.targetPort()
                    + " counter accept" + comment(ruleset, entry, RuleRole.REPLY));
        }
        // Nothing else from the tunnel is forwarded: a client can't use the relay as a router, nor
        // reach another client (or another client's forward: the accepts above name its source).
        rules.add(iif(ruleset) + " counter drop comment \"" + RuleNames.isolationTag(ruleset.tunnelInterface()) + "\"");
        return rules;
    }

    /** The client's packets after DNAT: from its tunnel address to the target. */
    private static String towardTarget(Entry entry) {
        Forward forward = entry.forward();
        return "ip saddr " + entry.clientTunnelIp() + " ip daddr " + forward.targetHost()
                + " " + proto(forward) + " dport " + forward.targetPort();
    }

    private static String fromTarget(Entry entry) {
        Forward forward = entry.forward();
        return "ip saddr " + forward.targetHost() + " ip daddr " + entry.clientTunnelIp()
                + " " + proto(forward) + " sport " + forward.targetPort();
    }

    /**
     * Only connections our DNAT made: without this, a client that routes through the relay could
     * reach target:port directly, and any LAN host's traffic to target:port would be masqueraded.
     */
    private static String dnatedFrom(ForwardRuleset ruleset, Entry entry) {
        return "ct status dnat ct original ip daddr " + ruleset.relayTunnelIp() + " ct original proto-dst " + entry.forward().port();
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
