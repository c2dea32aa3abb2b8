package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.host.Shell;
import java.util.regex.Pattern;

/**
 * A chain on the relay's forward path that drops a forward's packets whatever wgforward's own
 * rules say (an accept is final only for its own chain), with the fix an admin can paste.
 *
 * @param tool {@code nftables}, {@code iptables-nft} or {@code iptables-legacy}
 * @param family the nft family ({@code ip} or {@code inet}); null for iptables
 * @param table the table the chain is in
 * @param chain the base chain (for iptables: {@code FORWARD})
 * @param reason what drops: {@code policy drop}, or the rule, for the client's packets or the replies
 * @param manager the firewall manager that owns the chain, which has its own way to allow the forward
 * @param ipv6 whether it drops the tunnel's IPv6 forwards (tool {@code ip6tables-*}, family {@code
 *     ip6} or {@code inet}); the fix then names the tunnel's IPv6 addresses
 */
public record ForwardDrop(String tool, String family, String table, String chain, String reason, Manager manager, boolean ipv6) {

    /** A drop of IPv4 forwards. */
    public ForwardDrop(String tool, String family, String table, String chain, String reason, Manager manager) {
        this(tool, family, table, chain, reason, manager, false);
    }

    /** Tools that generate the ruleset and would overwrite a hand-made rule. */
    public enum Manager { NONE, UFW, FIREWALLD }

    /** Table and chain names that can be pasted into a command as they are. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_./-]{1,64}");

    /** firewalld's chain that rejects DNATed connections it did not set up itself (StrictForwardPorts=yes). */
    private static final String FIREWALLD_STRICT_DNAT_CHAIN = "filter_FORWARD_dnat";

    /** Where the drop is, as an admin would look for it. */
    public String where() {
        return family != null
                ? tool + " chain `" + family + " " + table + " " + chain + "`"
                : tool + " chain " + chain + " of table " + table;
    }

    /** A command that lets the forwards of {@code ruleset} through this chain. */
    public String fix(ForwardRuleset ruleset) {
        // Interface names are validated to characters a shell takes literally.
        String iface = ruleset.tunnelInterface();
        if (manager == Manager.FIREWALLD) {
            return reason.contains(FIREWALLD_STRICT_DNAT_CHAIN)
                    ? "sed -i 's/^StrictForwardPorts=yes/StrictForwardPorts=no/' /etc/firewalld/firewalld.conf && firewall-cmd --reload"
                    : "firewall-cmd --permanent --zone=trusted --add-interface=" + iface + " && firewall-cmd --reload";
        }
        if (manager == Manager.UFW) {
            return "ufw route allow in on " + iface;
        }
        if (!PLAIN_NAME.matcher(table).matches() || !PLAIN_NAME.matcher(chain).matches()) {
            return null;
        }
        // One rule for both directions: conntrack knows a reply belongs to the DNATed connection.
        // It lets through only connections from the client to the relay's tunnel address that a
        // DNAT rule rewrote — wgforward's, for the declared ports; its own chain drops the rest.
        // On a hub, for every client: still only connections to the relay's tunnel address that DNAT rewrote.
        boolean oneClient = ruleset.clients().size() == 1;
        String ip = ipv6 ? "ip6" : "ip";
        String client = ipv6 ? ruleset.clientTunnelIp6() : ruleset.clientTunnelIp();
        String relay = ipv6 ? ruleset.relayTunnelIp6() : ruleset.relayTunnelIp();
        if (family != null) {
            return "nft insert rule " + family + " " + table + " " + chain + " "
                    + Shell.quote("ct status dnat" + (oneClient ? " ct original " + ip + " saddr " + client : "")
                            + " ct original " + ip + " daddr " + relay + " accept");
        }
        return tool + " -t " + table + " -I " + chain + " -m conntrack --ctstate DNAT"
                + (oneClient ? " --ctorigsrc " + client : "")
                + " --ctorigdst " + relay + " -j ACCEPT";
    }

    /** The whole warning for {@code relay}: what drops, why wgforward can't help, and the fix. */
    public String warning(String relay, ForwardRuleset ruleset) {
        String fix = fix(ruleset);
        String how = fix == null
                ? "insert a rule at the top of that chain accepting connections with conntrack state DNAT"
                        + (ruleset.clients().size() == 1 ? " from " + (ipv6 ? ruleset.clientTunnelIp6() : ruleset.clientTunnelIp()) : "")
                        + " to " + (ipv6 ? ruleset.relayTunnelIp6() : ruleset.relayTunnelIp())
                : "`" + fix + "`" + (manager == Manager.NONE ? " (and add it to the saved ruleset, so it survives a reboot)" : "");
        return "relay " + relay + ": " + where() + " drops the forwarded " + (ipv6 ? "IPv6 " : "") + "packets of "
                + ruleset.tunnelInterface() + " (" + reason
                + "), which wgforward's rules cannot override: the forwards will not work until that chain lets them through. Fix: "
                + how + ". wgforward's own rules still drop anything else from the tunnel.";
    }
}
