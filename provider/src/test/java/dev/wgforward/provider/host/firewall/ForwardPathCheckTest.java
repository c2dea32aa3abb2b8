package dev.wgforward.provider.host.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the forward-path check makes of rulesets as nft and iptables-save print them. */
class ForwardPathCheckTest {
    private static final ForwardRuleset RULESET = Fixtures.ruleset();

    private static List<ForwardDrop> find(FirewallBackend own, String nft, String iptablesNft, String iptablesLegacy) {
        return ForwardPathCheck.find(own, RULESET,
                "### nft\n" + nft + "### iptables-nft\n" + iptablesNft + "### iptables-legacy\n" + iptablesLegacy);
    }

    private static final String INET_FILTER_DROP = """
            table inet filter {
            	chain input {
            		type filter hook input priority filter; policy accept;
            	}
            	chain forward {
            		type filter hook forward priority filter; policy drop;
            		ct state established,related accept
            	}
            }
            """;

    private static final String WGFORWARD_TABLE = """
            table ip wgforward_wgf0 {
            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		iifname "wgf0" counter packets 3 bytes 180 drop comment "wgforward:wgf0:drop"
            	}
            }
            """;

    @Test
    void anInetFilterForwardPolicyDropIsReportedWithAnNftFix() {
        List<ForwardDrop> drops = find(FirewallBackend.NFTABLES, INET_FILTER_DROP + WGFORWARD_TABLE, "", "");
        assertEquals(1, drops.size(), drops.toString());
        ForwardDrop drop = drops.get(0);
        assertEquals("nftables chain `inet filter forward`", drop.where());
        assertEquals("policy drop, for the client's packets", drop.reason());
        assertEquals("nft insert rule inet filter forward "
                + "'ct status dnat ct original ip saddr 192.168.77.2 ct original ip daddr 192.168.77.1 accept'", drop.fix(RULESET));
        String warning = drop.warning("203.0.113.1:22", RULESET);
        assertTrue(warning.startsWith("relay 203.0.113.1:22: nftables chain `inet filter forward` drops the forwarded packets of wgf0"), warning);
        assertTrue(warning.contains(drop.fix(RULESET)), warning);
    }

    @Test
    void theFixAsListedAfterwardsIsEnough() {
        String fixed = INET_FILTER_DROP.replace("ct state established,related accept",
                "ct status dnat ct original ip saddr 192.168.77.2 ct original ip daddr 192.168.77.1 accept\n"
                        + "ct state established,related accept");
        assertEquals(List.of(), find(FirewallBackend.NFTABLES, fixed, "", ""));
    }

    @Test
    void rulesForEachDirectionCountWhenTogetherTheyCoverTheForward() {
        String perDirection = INET_FILTER_DROP.replace("ct state established,related accept",
                "ct state vmap { established : accept, related : accept, invalid : drop }\n"
                        + "iifname \"wgf0\" counter packets 0 bytes 0 accept comment \"tunnel\"");
        assertEquals(List.of(), find(FirewallBackend.NFTABLES, perDirection, "", ""));
        // Without the accept for replies, the replies are what is dropped.
        String noReplies = INET_FILTER_DROP.replace("ct state established,related accept", "iifname \"wgf0\" accept");
        assertEquals("policy drop, for the target's replies", find(FirewallBackend.NFTABLES, noReplies, "", "").get(0).reason());
        // Another interface's accept doesn't help.
        String otherInterface = INET_FILTER_DROP.replace("ct state established,related accept", "iifname \"wg1\" accept");
        assertEquals(1, find(FirewallBackend.NFTABLES, otherInterface, "", "").size());
    }

    private static final String FIREWALLD = """
            table inet firewalld {
            	chain filter_FORWARD {
            		type filter hook forward priority filter + 10; policy accept;
            		ct state { established, related } accept
            		DNAT_RULE
            		iifname "lo" accept
            		ct state { invalid } drop
            		jump filter_FORWARD_dispatch
            		reject with icmpx admin-prohibited
            	}
            	chain filter_FORWARD_dispatch {
            		iifname "eth0" jump filter_FWD_public
            	}
            	chain filter_FORWARD_dnat {
            		reject with icmpx admin-prohibited
            	}
            	chain filter_FWD_public {
            		reject with icmpx admin-prohibited
            	}
            }
            """;

    @Test
    void firewalldAcceptsDnatedConnectionsUnlessItsForwardPortsAreStrict() {
        assertEquals(List.of(), find(FirewallBackend.NFTABLES, FIREWALLD.replace("DNAT_RULE", "ct status dnat accept"), "", ""));

        List<ForwardDrop> strict = find(FirewallBackend.NFTABLES, FIREWALLD.replace("DNAT_RULE", "ct status dnat jump filter_FORWARD_dnat"), "", "");
        assertEquals(1, strict.size(), strict.toString());
        assertEquals(ForwardDrop.Manager.FIREWALLD, strict.get(0).manager());
        assertEquals("rule `reject with icmpx admin-prohibited` in chain filter_FORWARD_dnat, for the client's packets", strict.get(0).reason());
        assertTrue(strict.get(0).fix(RULESET).contains("StrictForwardPorts=no"), strict.get(0).fix(RULESET));

        List<ForwardDrop> old = find(FirewallBackend.NFTABLES, FIREWALLD.replace("DNAT_RULE", ""), "", "");
        assertEquals("rule `reject with icmpx admin-prohibited`, for the client's packets", old.get(0).reason());
        assertEquals("firewall-cmd --permanent --zone=trusted --add-interface=wgf0 && firewall-cmd --reload", old.get(0).fix(RULESET));
    }

    private static final String IPTABLES_FORWARD_DROP = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD DROP [0:0]
            :OUTPUT ACCEPT [0:0]
            COMMIT
            """;

    /** How nft shows iptables-nft's chain. */
    private static final String IPTABLES_NFT_AS_NFT = """
            table ip filter {
            	chain FORWARD {
            		type filter hook forward priority filter; policy drop;
            	}
            }
            """;

    @Test
    void theForwardPolicyOfTheIptablesWgforwardUsesIsNoProblemButTheOtherOnesIs() {
        assertEquals(List.of(), find(FirewallBackend.IPTABLES_NFT, IPTABLES_NFT_AS_NFT, IPTABLES_FORWARD_DROP, ""));
        assertEquals(List.of(), find(FirewallBackend.IPTABLES_LEGACY, "", "", IPTABLES_FORWARD_DROP));

        List<ForwardDrop> nft = find(FirewallBackend.NFTABLES, IPTABLES_NFT_AS_NFT, IPTABLES_FORWARD_DROP, "");
        assertEquals(1, nft.size(), "iptables-nft's chain is reported once, as iptables-nft's: " + nft);
        assertEquals("iptables-nft chain FORWARD of table filter", nft.get(0).where());
        assertEquals("iptables-nft -t filter -I FORWARD -m conntrack --ctstate DNAT --ctorigsrc 192.168.77.2 "
                + "--ctorigdst 192.168.77.1 -j ACCEPT", nft.get(0).fix(RULESET));

        List<ForwardDrop> legacy = find(FirewallBackend.NFTABLES, "", "", IPTABLES_FORWARD_DROP);
        assertEquals("iptables-legacy chain FORWARD of table filter", legacy.get(0).where());
        assertEquals(List.of(), find(FirewallBackend.NFTABLES, "", "", IPTABLES_FORWARD_DROP.replace(":OUTPUT",
                "-A FORWARD -m conntrack --ctstate DNAT --ctorigsrc 192.168.77.2/32 --ctorigdst 192.168.77.1/32 -j ACCEPT\n:OUTPUT")));

        // A DROP in mangle's FORWARD comes before wgforward's jump in filter, whichever iptables it uses.
        String mangle = "*mangle\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m comment --comment \"no forwarding\" -j DROP\nCOMMIT\n";
        List<ForwardDrop> mangleDrops = find(FirewallBackend.IPTABLES_NFT, "", IPTABLES_FORWARD_DROP + mangle, "");
        assertEquals("iptables-nft chain FORWARD of table mangle", mangleDrops.get(0).where());
        assertEquals("rule `-m comment --comment \"no forwarding\" -j DROP`, for the client's packets", mangleDrops.get(0).reason());
    }

    @Test
    void ufwIsToldToRouteTheTunnel() {
        String ufw = """
                *filter
                :INPUT DROP [0:0]
                :FORWARD DROP [0:0]
                :OUTPUT ACCEPT [0:0]
                :ufw-before-forward - [0:0]
                :ufw-user-forward - [0:0]
                -A FORWARD -j ufw-before-forward
                -A ufw-before-forward -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                -A ufw-before-forward -j ufw-user-forward
                COMMIT
                """;
        List<ForwardDrop> drops = find(FirewallBackend.NFTABLES, "", "", ufw);
        assertEquals(ForwardDrop.Manager.UFW, drops.get(0).manager());
        assertEquals("ufw route allow in on wgf0", drops.get(0).fix(RULESET));
        assertEquals(List.of(), find(FirewallBackend.NFTABLES, "", "", ufw.replace("COMMIT",
                "-A ufw-user-forward -i wgf0 -j ACCEPT\nCOMMIT")), "what `ufw route allow in on wgf0` adds is enough");
    }

    @Test
    void dockerChainsThatReturnAndConditionalDropsAreNoDrop() {
        String docker = """
                *filter
                :FORWARD ACCEPT [0:0]
                :DOCKER-USER - [0:0]
                -A FORWARD -j DOCKER-USER
                -A FORWARD -o docker0 -j DROP
                -A DOCKER-USER -j RETURN
                COMMIT
                """;
        assertEquals(List.of(), find(FirewallBackend.NFTABLES, "", "", docker));
        String nftConditional = INET_FILTER_DROP.replace("policy drop", "policy accept")
                .replace("ct state established,related accept", "ct state invalid drop\nip saddr 10.0.0.0/8 drop\nmeta l4proto icmp reject");
        assertEquals(List.of(), find(FirewallBackend.NFTABLES, nftConditional, "", ""));
    }

    @Test
    void nothingToReportOnAnAcceptingRelayOrForEmptyOutput() {
        assertEquals(List.of(), find(FirewallBackend.NFTABLES, WGFORWARD_TABLE, "", ""));
        assertEquals(List.of(), ForwardPathCheck.find(FirewallBackend.NFTABLES, RULESET, ""));
        // IPv6-only and bridge tables never see the forwarded IPv4 packets.
        assertEquals(List.of(), find(FirewallBackend.NFTABLES, INET_FILTER_DROP.replace("inet filter", "ip6 filter"), "", ""));
    }
}
