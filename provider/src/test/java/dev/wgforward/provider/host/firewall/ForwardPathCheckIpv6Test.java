package dev.wgforward.provider.host.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The forward-path check for a tunnel's IPv6 forwards: ip6 and inet tables, ip6tables' FORWARD. */
class ForwardPathCheckIpv6Test {

    private static List<ForwardDrop> find(FirewallBackend own, ForwardRuleset ruleset, String nft, String ip6tablesNft,
            String ip6tablesLegacy) {
        return ForwardPathCheck.find(own, ruleset, "### nft\n" + nft + "### iptables-nft\n### iptables-legacy\n"
                + "### ip6tables-nft\n" + ip6tablesNft + "### ip6tables-legacy\n" + ip6tablesLegacy);
    }

    private static final String IP6_FILTER_DROP = """
            table ip6 filter6 {
                chain forward {
                    type filter hook forward priority filter; policy drop;
                    ct state established,related accept
                }
            }
            """;

    private static final String INET_FILTER_DROP = IP6_FILTER_DROP.replace("table ip6 filter6", "table inet filter");

    @Test
    void anIp6TableDropsOnlyTheIpv6Forwards() {
        List<ForwardDrop> drops = find(FirewallBackend.NFTABLES, Fixtures.dualStack(), IP6_FILTER_DROP, "", "");
        assertEquals(1, drops.size(), drops.toString());
        ForwardDrop drop = drops.get(0);
        assertTrue(drop.ipv6());
        assertEquals("nftables chain `ip6 filter6 forward`", drop.where());
        assertEquals("nft insert rule ip6 filter6 forward "
                + "'ct status dnat ct original ip6 saddr fd77:42::2 ct original ip6 daddr fd77:42::1 accept'", drop.fix(Fixtures.dualStack()));
        assertTrue(drop.warning("relay", Fixtures.dualStack()).contains("drops the forwarded IPv6 packets of wgf0"));
        // Without IPv6 forwards an ip6 table is no concern of wgforward's.
        assertEquals(List.of(), find(FirewallBackend.NFTABLES, Fixtures.ruleset(), IP6_FILTER_DROP, "", ""));
        assertEquals(List.of(), find(FirewallBackend.NFTABLES, new ForwardRuleset("wgf0", "192.168.77.1", "fd77:42::1", "192.168.77.2",
                "fd77:42::2", List.of(Fixtures.SSH)), IP6_FILTER_DROP, "", ""));
    }

    @Test
    void anInetTableDropsBothFamiliesAndGetsAFixForEach() {
        List<ForwardDrop> drops = find(FirewallBackend.NFTABLES, Fixtures.dualStack(), INET_FILTER_DROP, "", "");
        assertEquals(2, drops.size(), drops.toString());
        assertEquals("nft insert rule inet filter forward "
                + "'ct status dnat ct original ip saddr 192.168.77.2 ct original ip daddr 192.168.77.1 accept'", drops.get(0).fix(Fixtures.dualStack()));
        assertEquals("nft insert rule inet filter forward "
                + "'ct status dnat ct original ip6 saddr fd77:42::2 ct original ip6 daddr fd77:42::1 accept'", drops.get(1).fix(Fixtures.dualStack()));
    }

    @Test
    void theIpv6FixAsListedAfterwardsIsEnough() {
        String fixed = IP6_FILTER_DROP.replace("ct state established,related accept",
                "ct status dnat ct original ip6 saddr fd77:42::2 ct original ip6 daddr fd77:42::1 accept\nct state established,related accept");
        assertEquals(List.of(), find(FirewallBackend.NFTABLES, Fixtures.dualStack(), fixed, "", ""));
    }

    private static final String IP6TABLES_DROP_POLICY = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD DROP [0:0]
            :OUTPUT ACCEPT [0:0]
            COMMIT
            """;

    @Test
    void anIp6tablesForwardPolicyDropIsFound() {
        List<ForwardDrop> drops = find(FirewallBackend.NFTABLES, Fixtures.dualStack(), "", "", IP6TABLES_DROP_POLICY);
        assertEquals(1, drops.size(), drops.toString());
        ForwardDrop drop = drops.get(0);
        assertEquals("ip6tables-legacy chain FORWARD of table filter", drop.where());
        assertEquals("ip6tables-legacy -t filter -I FORWARD -m conntrack --ctstate DNAT --ctorigsrc fd77:42::2 --ctorigdst fd77:42::1 -j ACCEPT",
                drop.fix(Fixtures.dualStack()));
        // iptables-legacy is wgforward's own backend: its jump comes first in ip6tables' FORWARD too.
        assertEquals(List.of(), find(FirewallBackend.IPTABLES_LEGACY, Fixtures.dualStack(), "", "", IP6TABLES_DROP_POLICY));
        // The other flavour's FORWARD still drops.
        assertEquals("ip6tables-nft chain FORWARD of table filter",
                find(FirewallBackend.IPTABLES_LEGACY, Fixtures.dualStack(), "", IP6TABLES_DROP_POLICY, "").get(0).where());
    }

    @Test
    void anIp6tablesRuleForTheTunnelsIpv6AddressesCounts() {
        String accepting = IP6TABLES_DROP_POLICY.replace("COMMIT",
                "-A FORWARD -m conntrack --ctstate DNAT --ctorigsrc fd77:42::2/128 --ctorigdst fd77:42::1/128 -j ACCEPT\nCOMMIT");
        assertEquals(List.of(), find(FirewallBackend.NFTABLES, Fixtures.dualStack(), "", "", accepting));
        String otherClient = accepting.replace("fd77:42::2/128", "fd77:42::9/128");
        assertEquals(1, find(FirewallBackend.NFTABLES, Fixtures.dualStack(), "", "", otherClient).size());
    }
}
