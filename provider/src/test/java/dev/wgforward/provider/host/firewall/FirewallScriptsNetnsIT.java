package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.host.OwnDirectory;
import dev.wgforward.provider.testing.Golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the firewall scripts for real, as root, in throwaway network namespaces: a relay (B) with
 * the tunnel interface, a client (A) on the other end of it and a target (C) on the relay's LAN.
 * veth pairs stand in for the WireGuard tunnel and the LAN (the rules only look at interface
 * names, addresses and ports), and socat plays client and servers, so the checks cover what the
 * rules do to packets, not only what the tools print.
 *
 * <p>Needs root, ip, nft, iptables-nft, iptables-legacy (with its kernel modules), socat, ss and
 * timeout, and fails, never skips, without them. Nothing outside the namespaces named {@code
 * wgfx-<random>...} is touched, and they are deleted at the end of every test.
 */
class FirewallScriptsNetnsIT {

    private static final ForwardRuleset RULESET = Fixtures.ruleset();
    /** A second tunnel on the same relay: its rules must survive everything done to wgf0. */
    private static final ForwardRuleset OTHER_TUNNEL = new ForwardRuleset("wgf1", "192.168.78.1", "192.168.78.2",
            List.of(new Forward(9999, Protocol.TCP, "10.200.0.3", 80)));

    /** What the relay's firewall looks like before wgforward arrives. */
    enum Scenario {
        /** nftables with someone's own table; nothing in iptables. */
        NFTABLES_WITH_OWN_TABLE(FirewallBackend.NFTABLES, true, """
                printf '%s\\n' 'table inet host_filter {' \\
                  '  chain input { type filter hook input priority 0; policy accept; iifname "lo" accept; }' \\
                  '  chain forward { type filter hook forward priority 0; policy accept; ct state invalid drop; }' \\
                  '}' | nft -f /dev/stdin
                """),
        /** iptables-nft with a DROP policy on FORWARD, as hardened hosts have. */
        IPTABLES_NFT_DROP_POLICY(FirewallBackend.IPTABLES_NFT, false, """
                iptables-nft -P FORWARD DROP
                iptables-nft -A FORWARD -i lan0 -o lan0 -j ACCEPT
                iptables-nft -t nat -A PREROUTING -p tcp --dport 2222 -j REDIRECT --to-ports 22
                iptables-nft -t nat -A POSTROUTING -s 10.99.0.0/24 -j MASQUERADE
                """),
        /** iptables-nft as Docker leaves it: FORWARD policy DROP, DOCKER-USER, DOCKER chains. */
        IPTABLES_NFT_DOCKER(FirewallBackend.IPTABLES_NFT, false, dockerRules("iptables-nft")),
        /** iptables-legacy with a few rules and ACCEPT policies. */
        IPTABLES_LEGACY_PLAIN(FirewallBackend.IPTABLES_LEGACY, true, """
                iptables-legacy -A INPUT -i lo -j ACCEPT
                iptables-legacy -A FORWARD -i lan0 -o lan0 -j ACCEPT
                iptables-legacy -t nat -A POSTROUTING -s 10.99.0.0/24 -j MASQUERADE
                """),
        /** iptables-legacy as Docker leaves it. */
        IPTABLES_LEGACY_DOCKER(FirewallBackend.IPTABLES_LEGACY, false, dockerRules("iptables-legacy"));

        final FirewallBackend backend;
        /** Whether the client could route through the relay before wgforward (FORWARD accepts). */
        final boolean forwardingOpenBefore;
        final String setup;

        Scenario(FirewallBackend backend, boolean forwardingOpenBefore, String setup) {
            this.backend = backend;
            this.forwardingOpenBefore = forwardingOpenBefore;
            this.setup = setup;
        }

        boolean docker() {
            return name().endsWith("DOCKER");
        }

        private static String dockerRules(String iptables) {
            return """
                    IPT -N DOCKER
                    IPT -N DOCKER-USER
                    IPT -P FORWARD DROP
                    IPT -A FORWARD -j DOCKER-USER
                    IPT -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                    IPT -A FORWARD -o docker0 -j DOCKER
                    IPT -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
                    IPT -A DOCKER-USER -j RETURN
                    IPT -t nat -N DOCKER
                    IPT -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
                    IPT -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
                    IPT -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
                    IPT -t nat -A DOCKER -i docker0 -j RETURN
                    """.replace("IPT ", iptables + " ");
        }
    }

    @BeforeAll
    static void requireRootAndTools() throws Exception {
        assertEquals("0", run(null, "id", "-u").stdout.strip(), "this test must run as root (it creates network namespaces)");
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("ip", "nft", "iptables-nft", "iptables-legacy", "socat", "ss", "timeout")) {
            if (run(null, "sh", "-c", "command -v " + tool).exit != 0) {
                missing.add(tool);
            }
        }
        assertEquals(List.of(), missing, "tools this test needs are missing "
                + "(apt-get install --no-install-recommends nftables iptables iproute2 socat coreutils)");
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void lifecycle(Scenario scenario) throws Exception {
        FirewallBackend backend = scenario.backend;
        try (Lab lab = Lab.create()) {
            lab.relayOk(scenario.setup);
            assertEquals(backend, FirewallBackend.parse(lab.relayOk(FirewallScripts.detectBackend())),
                    "detected backend for " + scenario);
            lab.relayOk(FirewallScripts.apply(backend, OTHER_TUNNEL));
            if (scenario.forwardingOpenBefore) {
                // Without wgforward the client can route through the relay: the isolation checks
                // below would prove nothing otherwise.
                assertEquals("peer=192.168.77.2", lab.tcp("10.200.0.2", 2323).orElseThrow());
            }
            String before = lab.snapshot();

            // Apply, twice: the second run changes nothing.
            lab.relayOk(FirewallScripts.apply(backend, RULESET));
            String applied = lab.snapshot();
            assertNotEquals(before, applied);
            lab.relayOk(FirewallScripts.apply(backend, RULESET));
            assertEquals(applied, lab.snapshot(), "applying twice changed the ruleset");
            assertEquals(backend, FirewallBackend.parse(lab.relayOk(FirewallScripts.detectBackend())), "detection after apply");

            // The listing is what the unit tests' samples say it is, and it parses as complete.
            String listing = lab.relayOk(FirewallScripts.list(backend, "wgf0"));
            String expectedListing = Golden.read("firewall/listing-" + backend.keyword() + ".txt");
            if (scenario.docker()) {
                expectedListing = expectedListing.replace("-A FORWARD -m comment", "-A DOCKER-USER -m comment");
            }
            assertEquals(expectedListing, withoutCounters(listing));
            FirewallState state = FirewallState.parse(backend, "wgf0", listing);
            assertTrue(state.matches(RULESET), state.toString());

            // What the rules do to packets.
            TcpResult viaTunnel = lab.tcpWithMss("192.168.77.1", 8888);
            assertEquals("peer=10.200.0.1", viaTunnel.output, "the target must see the relay's LAN address (MASQUERADE)");
            // The relay's tunnel has MTU 1420, the client's side 1500: only the clamp on the
            // target's SYN-ACK keeps the client's segments small enough (1380, less 12 for timestamps).
            assertTrue(viaTunnel.mss > 0 && viaTunnel.mss <= 1380, "MSS was not clamped: " + viaTunnel.mss);
            assertEquals("udppeer=10.200.0.1", lab.udp("192.168.77.1", 5353).orElseThrow());
            assertTrue(lab.tcp("10.200.0.2", 22).isEmpty(), "the client reached the target directly, bypassing DNAT");
            assertTrue(lab.tcp("10.200.0.2", 2323).isEmpty(), "the client used the relay as a router");
            assertTrue(lab.tcpFrom("192.168.77.3", "192.168.77.1", 8888).isEmpty(), "another tunnel address was forwarded");

            // Drift: a rule deleted by hand is reported missing, and apply puts it back.
            lab.relayOk(deleteMasqueradeRuleOf8888(backend));
            FirewallState drifted = FirewallState.parse(backend, "wgf0", lab.relayOk(FirewallScripts.list(backend, "wgf0")));
            assertEquals(Set.of(Fixtures.DNS.key()), drifted.presentForwards());
            assertFalse(drifted.matches(RULESET));
            if (backend != FirewallBackend.NFTABLES) {
                lab.relayOk(iptables(backend) + " -t nat -D PREROUTING -i wgf0 -m comment --comment wgforward:wgf0 -j WGF-wgf0-PRE\n");
                assertEquals(Set.of(), FirewallState.parse(backend, "wgf0", lab.relayOk(FirewallScripts.list(backend, "wgf0")))
                        .presentForwards());
            }
            lab.relayOk(FirewallScripts.apply(backend, RULESET));
            assertEquals(applied, lab.snapshot(), "apply did not repair the drift exactly");

            // A changed ruleset replaces the old one completely.
            ForwardRuleset changed = new ForwardRuleset("wgf0", "192.168.77.1", "192.168.77.2",
                    List.of(new Forward(8888, Protocol.TCP, "10.200.0.2", 2323)));
            lab.relayOk(FirewallScripts.apply(backend, changed));
            FirewallState changedState = FirewallState.parse(backend, "wgf0", lab.relayOk(FirewallScripts.list(backend, "wgf0")));
            assertTrue(changedState.matches(changed), changedState.toString());
            assertEquals("peer=10.200.0.1", lab.tcp("192.168.77.1", 8888).orElseThrow());
            assertTrue(lab.udp("192.168.77.1", 5353).isEmpty(), "the dropped UDP forward still works");
            lab.relayOk(FirewallScripts.apply(backend, RULESET));
            assertEquals(applied, lab.snapshot());

            // Remove, twice: back to exactly what was there before, other tunnel included.
            lab.relayOk(FirewallScripts.remove(backend, "wgf0"));
            assertEquals(before, lab.snapshot(), "remove did not restore the ruleset from before apply");
            lab.relayOk(FirewallScripts.remove(backend, "wgf0"));
            assertEquals(before, lab.snapshot(), "a second remove changed something");
            assertEquals(FirewallState.empty(), FirewallState.parse(backend, "wgf0", lab.relayOk(FirewallScripts.list(backend, "wgf0"))));
            assertTrue(FirewallState.parse(backend, "wgf1", lab.relayOk(FirewallScripts.list(backend, "wgf1"))).matches(OTHER_TUNNEL));
        }
    }

    /**
     * A hub: two clients on one tunnel, the same relay port going to a target of each one's own.
     * Each reaches its own forwards only, the rules read back keyed by client, and a client's
     * removal leaves the other's forwards as they were.
     */
    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void aHubsClientsEachReachOnlyTheirOwnForwards(FirewallBackend backend) throws Exception {
        ForwardRuleset.ClientForwards first = new ForwardRuleset.ClientForwards("192.168.77.2",
                List.of(new Forward(8888, Protocol.TCP, "10.200.0.2", 2323), Fixtures.DNS));
        ForwardRuleset.ClientForwards second = new ForwardRuleset.ClientForwards("192.168.77.3",
                List.of(new Forward(8888, Protocol.TCP, "10.200.0.2", 2424)));
        ForwardRuleset hub = new ForwardRuleset("wgf0", "192.168.77.1", List.of(first, second), true);
        try (Lab lab = Lab.create()) {
            lab.relayOk(FirewallScripts.apply(backend, hub));
            FirewallState state = FirewallState.parse(backend, "wgf0", lab.relayOk(FirewallScripts.list(backend, "wgf0")));
            assertTrue(state.matches(hub), state.toString());
            assertEquals(java.util.Optional.of("10.200.0.2:2424"),
                    state.dnatTarget(new ForwardKey(8888, Protocol.TCP, "192.168.77.3")));

            assertEquals("peer=10.200.0.1", lab.tcpFrom("192.168.77.2", "192.168.77.1", 8888).orElseThrow());
            assertEquals("second peer=10.200.0.1", lab.tcpFrom("192.168.77.3", "192.168.77.1", 8888).orElseThrow());
            assertEquals("udppeer=10.200.0.1", lab.udp("192.168.77.1", 5353).orElseThrow());
            assertTrue(lab.udpFrom("192.168.77.3", "192.168.77.1", 5353).isEmpty(), "the second client used the first one's forward");
            assertTrue(lab.tcpFrom("192.168.77.3", "10.200.0.2", 2424).isEmpty(), "a client reached its target directly, bypassing DNAT");

            // The second client goes: the first one's forwards stay exactly as they were.
            ForwardRuleset without = new ForwardRuleset("wgf0", "192.168.77.1", List.of(first), true);
            lab.relayOk(FirewallScripts.apply(backend, without));
            FirewallState after = FirewallState.parse(backend, "wgf0", lab.relayOk(FirewallScripts.list(backend, "wgf0")));
            assertTrue(after.matches(without), after.toString());
            assertEquals("peer=10.200.0.1", lab.tcpFrom("192.168.77.2", "192.168.77.1", 8888).orElseThrow());
            assertTrue(lab.tcpFrom("192.168.77.3", "192.168.77.1", 8888).isEmpty(), "a removed client's forward still works");
            lab.relayOk(FirewallScripts.remove(backend, "wgf0"));
        }
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void onABareHostRemoveLeavesNoRules(FirewallBackend backend) throws Exception {
        try (Lab lab = Lab.create()) {
            assertEquals(FirewallBackend.NFTABLES, FirewallBackend.parse(lab.relayOk(FirewallScripts.detectBackend())));
            // Removing what was never applied is fine.
            lab.relayOk(FirewallScripts.remove(backend, "wgf0"));
            assertEquals("", lab.relayOk(FirewallScripts.list(backend, "wgf0")).replaceAll("(?m)^(\\*\\w+|COMMIT)\n", ""));
            lab.relayOk(FirewallScripts.apply(backend, RULESET));
            assertEquals("peer=10.200.0.1", lab.tcp("192.168.77.1", 8888).orElseThrow());
            lab.relayOk(FirewallScripts.remove(backend, "wgf0"));
            if (backend == FirewallBackend.NFTABLES) {
                assertEquals("", lab.relayOk("nft list ruleset\n"));
            } else {
                // iptables creates built-in chains on first use and never deletes them; they are
                // empty with ACCEPT policies again, which is what detection treats as unused.
                String saved = lab.relayOk(iptables(backend) + "-save\n");
                assertFalse(saved.contains("\n-A "), saved);
                assertFalse(saved.contains(" - ["), saved);
                assertFalse(saved.contains(" DROP ["), saved);
            }
            assertEquals(FirewallBackend.NFTABLES, FirewallBackend.parse(lab.relayOk(FirewallScripts.detectBackend())));
        }
    }

    @Test
    void forwardJumpMovesToDockerUserWhenDockerArrives() throws Exception {
        try (Lab lab = Lab.create()) {
            FirewallBackend backend = FirewallBackend.IPTABLES_NFT;
            lab.relayOk(FirewallScripts.apply(backend, RULESET));
            assertTrue(lab.relayOk(FirewallScripts.list(backend, "wgf0")).contains("-A FORWARD -m comment --comment \"wgforward:wgf0\""));
            lab.relayOk(Scenario.IPTABLES_NFT_DOCKER.setup);
            lab.relayOk(FirewallScripts.apply(backend, RULESET));
            String listing = lab.relayOk(FirewallScripts.list(backend, "wgf0"));
            assertTrue(listing.contains("-A DOCKER-USER -m comment --comment \"wgforward:wgf0\""), listing);
            assertFalse(listing.contains("-A FORWARD -m comment --comment \"wgforward:wgf0\""), listing);
            assertEquals("peer=10.200.0.1", lab.tcp("192.168.77.1", 8888).orElseThrow());
            assertTrue(lab.tcp("10.200.0.2", 22).isEmpty());
            lab.relayOk(FirewallScripts.remove(backend, "wgf0"));
            assertFalse(lab.relayOk(iptables(backend) + "-save\n").contains("wgforward"));
        }
    }

    /**
     * Relays whose own firewall drops the forwarded packets where wgforward's rules can't reach:
     * another table's chain at the forward hook, or the iptables wgforward doesn't use.
     */
    enum ForeignDrop {
        /** A hardened image's nftables.conf: forward policy drop. */
        NFT_INET_FILTER_POLICY_DROP("nftables chain `inet filter forward`", ForwardDrop.Manager.NONE, """
                printf '%s\\n' 'table inet filter {' \\
                  '  chain forward { type filter hook forward priority 0; policy drop; ct state established,related accept; }' \\
                  '}' | nft -f /dev/stdin
                """),
        /** As firewalld's nftables table, from before it accepted DNATed connections: a catch-all reject. */
        FIREWALLD_CATCH_ALL_REJECT("nftables chain `inet firewalld filter_FORWARD`", ForwardDrop.Manager.FIREWALLD, """
                printf '%s\\n' 'table inet firewalld {' \\
                  '  chain filter_FORWARD {' \\
                  '    type filter hook forward priority filter + 10; policy accept;' \\
                  '    ct state { established, related } accept' \\
                  '    iifname "lo" accept' \\
                  '    ct state { invalid } drop' \\
                  '    jump filter_FORWARD_dispatch' \\
                  '    reject with icmpx admin-prohibited' \\
                  '  }' \\
                  '  chain filter_FORWARD_dispatch { iifname "lan0" jump filter_FWD_internal; }' \\
                  '  chain filter_FWD_internal { reject with icmpx admin-prohibited; }' \\
                  '}' | nft -f /dev/stdin
                """),
        /** Left from before the relay moved to nftables. */
        IPTABLES_LEGACY_FORWARD_DROP("iptables-legacy chain FORWARD of table filter", ForwardDrop.Manager.NONE, """
                iptables-legacy -P FORWARD DROP
                """);

        final String where;
        final ForwardDrop.Manager manager;
        final String setup;

        ForeignDrop(String where, ForwardDrop.Manager manager, String setup) {
            this.where = where;
            this.manager = manager;
            this.setup = setup;
        }
    }

    @ParameterizedTest
    @EnumSource(ForeignDrop.class)
    void aDropWgforwardCannotOverrideIsFoundAndTheFixItNamesWorks(ForeignDrop scenario) throws Exception {
        FirewallBackend backend = FirewallBackend.NFTABLES;
        try (Lab lab = Lab.create()) {
            lab.relayOk(scenario.setup);
            lab.relayOk(FirewallScripts.apply(backend, RULESET));
            String before = lab.snapshot();
            List<ForwardDrop> drops = ForwardPathCheck.find(backend, RULESET, lab.relayOk(ForwardPathCheck.probe()));
            assertEquals(before, lab.snapshot(), "the probe changed the relay's firewall");
            assertEquals(1, drops.size(), drops.toString());
            assertEquals(scenario.where, drops.get(0).where());
            assertEquals(scenario.manager, drops.get(0).manager());
            assertTrue(lab.tcp("192.168.77.1", 8888).isEmpty(), "the forward works although " + drops.get(0).where() + " drops it");
            if (scenario.manager != ForwardDrop.Manager.NONE) {
                return; // its fix is the manager's command
            }
            lab.relayOk(drops.get(0).fix(RULESET) + "\n");
            assertEquals("peer=10.200.0.1", lab.tcp("192.168.77.1", 8888).orElseThrow());
            assertEquals("udppeer=10.200.0.1", lab.udp("192.168.77.1", 5353).orElseThrow());
            assertTrue(lab.tcp("10.200.0.2", 2323).isEmpty(), "with the fix, the client could use the relay as a router");
            assertEquals(List.of(), ForwardPathCheck.find(backend, RULESET, lab.relayOk(ForwardPathCheck.probe())),
                    "still reported after the fix");
        }
    }

    /**
     * A dual-stack tunnel, for real: the IPv6 forwards reach the target through the ip6 table (or
     * ip6tables) while the IPv4 ones keep working, the tunnel's other IPv6 traffic is dropped, what
     * apply wrote lists and parses back as the ruleset, and remove leaves both families as before.
     */
    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void ipv6ForwardsReachTheTargetAndNothingElseDoes(FirewallBackend backend) throws Exception {
        ForwardRuleset dual = Fixtures.dualStack();
        try (Lab lab = Lab.create()) {
            lab.addIpv6();
            String before = lab.snapshot();
            lab.relayOk(FirewallScripts.apply(backend, dual, java.util.Optional.of("wgforward-owner=0123456789abcdef")));
            assertEquals("peer=2001:db8:200::1", canonicalPeer(lab.tcp6("fd77:42::1", 8822).orElseThrow()),
                    "the IPv6 forward lands on the target, masqueraded");
            assertEquals("udppeer=2001:db8:200::1", canonicalPeer(lab.udp6("fd77:42::1", 5354).orElseThrow()));
            assertEquals("peer=10.200.0.1", lab.tcp("192.168.77.1", 8888).orElseThrow(), "the IPv4 forward still works");
            assertTrue(lab.tcp6("2001:db8:200::2", 2323).isEmpty(), "the client used the relay as an IPv6 router");
            assertTrue(lab.tcp6("fd77:42::1", 8823).isEmpty());
            String listing = lab.relayOk(FirewallScripts.list(backend, "wgf0"));
            FirewallState state = FirewallState.parse(backend, "wgf0", listing);
            assertTrue(state.matches(dual), state.toString());
            assertTrue(state.isolation6Present());
            // Back to IPv4 only: the IPv6 rules go in the same apply.
            lab.relayOk(FirewallScripts.apply(backend, RULESET));
            assertTrue(FirewallState.parse(backend, "wgf0", lab.relayOk(FirewallScripts.list(backend, "wgf0"))).matches(RULESET));
            assertTrue(lab.tcp6("fd77:42::1", 8822).isEmpty(), "the IPv6 forward is gone");
            lab.relayOk(FirewallScripts.apply(backend, dual));
            lab.relayOk(FirewallScripts.remove(backend, "wgf0"));
            String after = lab.snapshot();
            if (backend == FirewallBackend.NFTABLES) {
                assertEquals(before, after, "remove left the relay as before, both families");
            } else {
                // The tables iptables created stay (iptables-nft's go with IptablesNftLeftovers, tested above;
                // iptables-legacy's are the kernel's), empty of anything of wgforward's in either family.
                assertFalse(after.contains("WGF-") || after.contains("wgforward"), after);
            }
            assertEquals(FirewallState.empty(), FirewallState.parse(backend, "wgf0", lab.relayOk(FirewallScripts.list(backend, "wgf0"))));
        }
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void nothingToReportOnAnAcceptingRelay(FirewallBackend backend) throws Exception {
        try (Lab lab = Lab.create()) {
            lab.relayOk(Scenario.NFTABLES_WITH_OWN_TABLE.setup);
            lab.relayOk(FirewallScripts.apply(backend, RULESET));
            String before = lab.snapshot();
            assertEquals(List.of(), ForwardPathCheck.find(backend, RULESET, lab.relayOk(ForwardPathCheck.probe())));
            assertEquals(before, lab.snapshot(), "the probe changed the relay's firewall");
            assertEquals("peer=10.200.0.1", lab.tcp("192.168.77.1", 8888).orElseThrow());
        }
    }

    @Test
    void theIptablesNftTablesAndChainsWgforwardCausedGoWithTheLastOfItsRules() throws Exception {
        FirewallBackend backend = FirewallBackend.IPTABLES_NFT;
        try (Lab lab = Lab.create()) {
            lab.relayOk("iptables-nft -P FORWARD DROP\n");
            String before = lab.snapshot();
            assertFalse(before.contains("table ip nat"), before);
            lab.relayOk(IptablesNftLeftovers.recordMissing());
            lab.relayOk(FirewallScripts.apply(backend, RULESET));
            assertEquals("peer=10.200.0.1", lab.tcp("192.168.77.1", 8888).orElseThrow());
            // An update records nothing new; a second tunnel finds the nat table in place.
            lab.relayOk(IptablesNftLeftovers.recordMissing());
            lab.relayOk(FirewallScripts.apply(backend, RULESET));
            lab.relayOk(IptablesNftLeftovers.recordMissing());
            lab.relayOk(FirewallScripts.apply(backend, OTHER_TUNNEL));
            // The directory is wgforward's own (it made it: OwnDirectory's marker), so it goes with the record.
            assertEquals(List.of("wgforward", "wgforward/" + OwnDirectory.MARKER, "wgforward/iptables-nft-created"), lab.etcChanged());
            assertEquals("chain ip nat PREROUTING\nchain ip nat POSTROUTING\ntable ip nat\n",
                    lab.relayOk("cat /etc/wgforward/iptables-nft-created\n"));

            lab.relayOk(FirewallScripts.remove(backend, "wgf0"));
            assertTrue(lab.snapshot().contains("table ip nat"), "the nat table went while wgf1 still uses it");
            lab.relayOk(FirewallScripts.remove(backend, "wgf1"));
            assertEquals(before, lab.snapshot());
            assertEquals(List.of(), lab.etcChanged());
        }
    }

    @Test
    void aNatTableThatWasThereStaysAndOnlyTheChainWgforwardCausedGoes() throws Exception {
        FirewallBackend backend = FirewallBackend.IPTABLES_NFT;
        try (Lab lab = Lab.create()) {
            // An empty nat table with just POSTROUTING, as a rule added and deleted again leaves it.
            lab.relayOk("""
                    iptables-nft -P FORWARD DROP
                    iptables-nft -t nat -A POSTROUTING -s 10.99.0.0/24 -j MASQUERADE
                    iptables-nft -t nat -D POSTROUTING -s 10.99.0.0/24 -j MASQUERADE
                    """);
            String before = lab.snapshot();
            lab.relayOk(IptablesNftLeftovers.recordMissing());
            lab.relayOk(FirewallScripts.apply(backend, RULESET));
            lab.relayOk(FirewallScripts.remove(backend, "wgf0"));
            assertEquals(before, lab.snapshot());
            assertEquals(List.of(), lab.etcChanged());

            // Someone's rule in a table wgforward caused keeps the table; the record goes anyway.
            lab.relayOk("nft delete table ip nat\n");
            String bare = lab.snapshot();
            lab.relayOk(IptablesNftLeftovers.recordMissing());
            lab.relayOk(FirewallScripts.apply(backend, RULESET));
            lab.relayOk("iptables-nft -t nat -A POSTROUTING -s 10.99.0.0/24 -j MASQUERADE\n");
            lab.relayOk(FirewallScripts.remove(backend, "wgf0"));
            assertNotEquals(bare, lab.snapshot());
            assertTrue(lab.relayOk("iptables-nft-save -t nat\n").contains("-A POSTROUTING -s 10.99.0.0/24 -j MASQUERADE"));
            assertEquals(List.of(), lab.etcChanged());
        }
    }

    private static String iptables(FirewallBackend backend) {
        return backend == FirewallBackend.IPTABLES_NFT ? "iptables-nft" : "iptables-legacy";
    }

    private static String deleteMasqueradeRuleOf8888(FirewallBackend backend) {
        if (backend == FirewallBackend.NFTABLES) {
            return """
                    handle=$(nft -a list chain ip wgforward_wgf0 postrouting | awk '/wgforward:wgf0:8888\\/tcp:masquerade/ { print $NF }')
                    nft delete rule ip wgforward_wgf0 postrouting handle "$handle"
                    """;
        }
        // -S prints "-N chain" first, so the rule number is the line number less one.
        return ("line=$(IPT -t nat -S WGF-wgf0-POST | grep -n 'wgforward:wgf0:8888/tcp:masquerade' | cut -d: -f1)\n"
                + "IPT -t nat -D WGF-wgf0-POST $((line - 1))\n").replace("IPT ", iptables(backend) + " ");
    }

    /** socat's {@code peer=[2001:0db8:...]} with the address in canonical text. */
    private static String canonicalPeer(String answer) {
        int eq = answer.indexOf('=');
        return answer.substring(0, eq + 1)
                + dev.wgforward.provider.host.Ipv6Text.canonical(answer.substring(eq + 1).replace("[", "").replace("]", ""));
    }

    /** Counters change with traffic; everything else in a listing must stay put. */
    private static String withoutCounters(String text) {
        return text.replaceAll("counter packets \\d+ bytes \\d+", "counter packets 0 bytes 0")
                .replaceAll("\\[\\d+:\\d+\\]", "[0:0]");
    }

    record Result(int exit, String stdout, String stderr) {}

    record TcpResult(String output, int mss) {}

    private static Result run(String stdin, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> stdout = readAsync(process.getInputStream());
        CompletableFuture<String> stderr = readAsync(process.getErrorStream());
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), stdout.join(), stderr.join());
    }

    private static CompletableFuture<String> readAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    /**
     * Three namespaces: the relay {@code wgfx-<hex>} with wgf0 (the tunnel, MTU 1420), wgf1 (a
     * second tunnel) and lan0; the client {@code wgfx-<hex>-a} on the far side of wgf0 with
     * 192.168.77.2 and .3 and a route to the LAN through the relay; the target {@code
     * wgfx-<hex>-c} at 10.200.0.2 with a route back to the tunnel network through the relay (so
     * only the rules, not missing routes, stop what must not pass), running socat servers that
     * answer with the address they saw.
     */
    static final class Lab implements AutoCloseable {
        final String relay;
        final String client;
        final String target;
        /** Upper and work directories of the relay's /etc overlay. */
        final Path etcChanges;
        private final List<Process> servers = new ArrayList<>();

        private Lab(String name) throws IOException {
            relay = name;
            client = name + "-a";
            target = name + "-c";
            etcChanges = Files.createTempDirectory(name + "-etc");
            Files.createDirectory(etcChanges.resolve("upper"));
            Files.createDirectory(etcChanges.resolve("work"));
        }

        /** What the relay's scripts changed in its /etc: the overlay's upper layer, as relative paths. */
        List<String> etcChanged() throws IOException {
            try (var files = Files.walk(etcChanges.resolve("upper"))) {
                return files.skip(1).map(path -> etcChanges.resolve("upper").relativize(path).toString()).sorted().toList();
            }
        }

        static Lab create() throws Exception {
            Lab lab = new Lab("wgfx-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
            try {
                lab.setUp();
            } catch (Exception | AssertionError e) {
                lab.close();
                throw e;
            }
            return lab;
        }

        private void setUp() throws Exception {
            for (String namespace : List.of(relay, client, target)) {
                ok(null, "ip", "netns", "add", namespace);
                ok(null, "ip", "-n", namespace, "link", "set", "lo", "up");
            }
            ok(null, "ip", "-n", relay, "link", "add", "wgf0", "type", "veth", "peer", "name", "tun0", "netns", client);
            ok(null, "ip", "-n", relay, "link", "add", "wgf1", "type", "veth", "peer", "name", "tun1", "netns", client);
            ok(null, "ip", "-n", relay, "link", "add", "lan0", "type", "veth", "peer", "name", "eth0", "netns", target);
            String setup = """
                    ip -n RELAY addr add 192.168.77.1/24 dev wgf0
                    ip -n RELAY link set wgf0 mtu 1420 up
                    ip -n RELAY link set wgf1 up
                    ip -n RELAY addr add 10.200.0.1/24 dev lan0
                    ip -n RELAY link set lan0 up
                    ip netns exec RELAY sysctl -qw net.ipv4.ip_forward=1
                    ip -n CLIENT addr add 192.168.77.2/24 dev tun0
                    ip -n CLIENT addr add 192.168.77.3/24 dev tun0
                    ip -n CLIENT link set tun0 up
                    ip -n CLIENT route add 10.200.0.0/24 via 192.168.77.1
                    ip -n TARGET addr add 10.200.0.2/24 dev eth0
                    ip -n TARGET link set eth0 up
                    ip -n TARGET route add 192.168.77.0/24 via 10.200.0.1
                    """.replace("RELAY", relay).replace("CLIENT", client).replace("TARGET", target);
            ok("set -eu\n" + setup, "sh", "-s");
            // The servers answer with the peer address they see, and hold TCP connections open
            // for a moment so the client's MSS can be read while they last.
            server("TCP-LISTEN:22,reuseaddr,fork", "echo peer=$SOCAT_PEERADDR; sleep 2");
            server("TCP-LISTEN:2323,reuseaddr,fork", "echo peer=$SOCAT_PEERADDR");
            server("TCP-LISTEN:2424,reuseaddr,fork", "echo second peer=$SOCAT_PEERADDR");
            server("UDP-RECVFROM:53,reuseaddr,fork", "read line; echo udppeer=$SOCAT_PEERADDR");
            for (int attempt = 0; attempt < 50 && !listening(); attempt++) {
                Thread.sleep(100);
            }
            assertTrue(listening(), "socat servers did not start");
        }

        /**
         * IPv6 beside IPv4: the tunnel fd77:42::/64 (relay ::1, client ::2), the LAN
         * 2001:db8:200::/64 (relay ::1, target ::2) with routes as for IPv4, IPv6 forwarding on
         * the relay, and the target's servers on IPv6 too.
         */
        void addIpv6() throws Exception {
            String setup = """
                    ip -n RELAY addr add fd77:42::1/64 dev wgf0 nodad
                    ip -n RELAY addr add 2001:db8:200::1/64 dev lan0 nodad
                    ip netns exec RELAY sysctl -qw net.ipv6.conf.all.forwarding=1
                    ip -n CLIENT addr add fd77:42::2/64 dev tun0 nodad
                    ip -n CLIENT route add 2001:db8:200::/64 via fd77:42::1
                    ip -n TARGET addr add 2001:db8:200::2/64 dev eth0 nodad
                    ip -n TARGET route add fd77:42::/64 via 2001:db8:200::1
                    """.replace("RELAY", relay).replace("CLIENT", client).replace("TARGET", target);
            ok("set -eu\n" + setup, "sh", "-s");
            server("TCP6-LISTEN:22,reuseaddr,fork,ipv6only=1", "echo peer=$SOCAT_PEERADDR");
            server("TCP6-LISTEN:2323,reuseaddr,fork,ipv6only=1", "echo peer=$SOCAT_PEERADDR");
            server("UDP6-RECVFROM:53,reuseaddr,fork,ipv6only=1", "read line; echo udppeer=$SOCAT_PEERADDR");
            for (int attempt = 0; attempt < 50 && !listening6(); attempt++) {
                Thread.sleep(100);
            }
            assertTrue(listening6(), "socat IPv6 servers did not start");
        }

        private boolean listening6() throws Exception {
            String sockets = run(null, "ip", "netns", "exec", target, "ss", "-Hlntu6").stdout;
            return sockets.contains(":22 ") && sockets.contains(":2323 ") && sockets.contains(":53 ");
        }

        java.util.Optional<String> tcp6(String host, int port) throws Exception {
            Result result = run(null, "ip", "netns", "exec", client, "timeout", "6", "socat", "-T", "3", "-",
                    "TCP6:[" + host + "]:" + port + ",bind=[fd77:42::2],connect-timeout=2");
            String output = result.stdout.strip();
            return output.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(output);
        }

        java.util.Optional<String> udp6(String host, int port) throws Exception {
            Result result = run("hello\n", "ip", "netns", "exec", client, "timeout", "5", "socat", "-T", "2", "-",
                    "UDP6:[" + host + "]:" + port + ",bind=[fd77:42::2]");
            String output = result.stdout.strip();
            return output.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(output);
        }

        private void server(String address, String command) throws IOException {
            servers.add(new ProcessBuilder("ip", "netns", "exec", target, "socat", address, "SYSTEM:" + command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start());
        }

        private boolean listening() throws Exception {
            String sockets = run(null, "ip", "netns", "exec", target, "ss", "-Hlntu").stdout;
            return sockets.contains(":22 ") && sockets.contains(":2323 ") && sockets.contains(":2424 ") && sockets.contains(":53 ");
        }

        /**
         * Runs a script in the relay namespace as the provider would (sh -s), returning stdout;
         * fails on non-zero exit. The relay gets an /etc of its own, an overlay whose changes
         * land in this lab's directory: scripts that record things in /etc/wgforward must not
         * write to the real machine, nor share it with another run.
         */
        String relayOk(String script) throws Exception {
            Result result = run(script, "ip", "netns", "exec", relay, "unshare", "-m", "sh", "-c",
                    "mount -t overlay overlay -o lowerdir=/etc,upperdir=\"$1/upper\",workdir=\"$1/work\" /etc && exec sh -s",
                    "sh", etcChanges.toString());
            assertEquals(0, result.exit, () -> "script failed in " + relay + ":\n" + result.stderr + "\n--- script:\n" + script);
            return result.stdout;
        }

        /**
         * The relay's whole netfilter state as all three tools show it, counters and timestamps
         * removed.
         */
        String snapshot() throws Exception {
            String all = relayOk("""
                    echo '### nft list ruleset'
                    nft list ruleset
                    echo '### iptables-nft-save'
                    iptables-nft-save
                    echo '### iptables-legacy-save'
                    iptables-legacy-save
                    echo '### ip6tables-nft-save'
                    ip6tables-nft-save
                    echo '### ip6tables-legacy-save'
                    ip6tables-legacy-save
                    """);
            return withoutCounters(all).replaceAll("(?m)^# (Generated|Completed) .*\n", "");
        }

        /** Connects from the client's main address; the server's answer, or empty when no connection was made. */
        java.util.Optional<String> tcp(String host, int port) throws Exception {
            return tcpFrom("192.168.77.2", host, port);
        }

        java.util.Optional<String> tcpFrom(String source, String host, int port) throws Exception {
            Result result = run(null, "ip", "netns", "exec", client, "timeout", "6", "socat", "-T", "3", "-",
                    "TCP:" + host + ":" + port + ",bind=" + source + ",connect-timeout=2");
            String output = result.stdout.strip();
            return output.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(output);
        }

        java.util.Optional<String> udp(String host, int port) throws Exception {
            return udpFrom("192.168.77.2", host, port);
        }

        java.util.Optional<String> udpFrom(String source, String host, int port) throws Exception {
            Result result = run("hello\n", "ip", "netns", "exec", client, "timeout", "5", "socat", "-T", "2", "-",
                    "UDP:" + host + ":" + port + ",bind=" + source);
            String output = result.stdout.strip();
            return output.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(output);
        }

        /** Opens a connection, reads the MSS the client's kernel uses on it, and returns both. */
        TcpResult tcpWithMss(String host, int port) throws Exception {
            String script = ("answer=$(mktemp)\n"
                    + "(sleep 3 | timeout 6 socat - TCP:HOST:PORT,connect-timeout=2 > \"$answer\") &\n"
                    + "sleep 1\n"
                    + "ss -Htin dst HOST\n"
                    + "wait\n"
                    + "echo \"### $(cat \"$answer\")\"\n"
                    + "rm -f \"$answer\"\n").replace("HOST", host).replace("PORT", Integer.toString(port));
            Result result = run(script, "ip", "netns", "exec", client, "sh", "-s");
            Matcher mss = Pattern.compile("\\smss:(\\d+)").matcher(result.stdout);
            Matcher output = Pattern.compile("### (.*)").matcher(result.stdout);
            return new TcpResult(output.find() ? output.group(1).strip() : "", mss.find() ? Integer.parseInt(mss.group(1)) : -1);
        }

        private static void ok(String stdin, String... command) throws Exception {
            Result result = run(stdin, command);
            assertEquals(0, result.exit, () -> String.join(" ", command) + " failed: " + result.stderr);
        }

        @Override
        public void close() throws IOException {
            for (Process server : servers) {
                server.destroy();
            }
            try {
                for (Process server : servers) {
                    if (!server.waitFor(5, TimeUnit.SECONDS)) {
                        server.destroyForcibly();
                    }
                }
                removeNamespaces();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while taking the test's namespaces down", e);
            }
        }

        private void removeNamespaces() throws IOException, InterruptedException {
            for (String namespace : List.of(client, target, relay)) {
                // Anything still running in the namespace was started by this test (socat's forks).
                for (String pid : run(null, "ip", "netns", "pids", namespace).stdout.split("\\s+")) {
                    if (!pid.isBlank()) {
                        run(null, "kill", pid.strip());
                    }
                }
                run(null, "ip", "netns", "delete", namespace);
            }
            run(null, "rm", "-rf", "--one-file-system", etcChanges.toString());
        }
    }
}
