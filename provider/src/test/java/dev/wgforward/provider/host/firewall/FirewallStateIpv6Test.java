package dev.wgforward.provider.host.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reading back a dual-stack tunnel's rules. The listings in {@code listings/<backend>-dual-stack.txt}
 * are what the list scripts printed on a real host (nft 1.0.6, iptables 1.8.9, in a throwaway
 * network namespace) after that backend's apply of {@link Fixtures#dualStack()} with the owner mark
 * {@value #MARK}: what apply writes, list and parse read back equal, for both families.
 */
class FirewallStateIpv6Test {
    private static final String MARK = "wgforward-owner=0123456789abcdef";

    private static String listing(FirewallBackend backend) throws IOException {
        try (InputStream in = FirewallStateIpv6Test.class.getResourceAsStream("/listings/" + backend.keyword() + "-dual-stack.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void whatApplyWroteReadsBackAsTheRuleset(FirewallBackend backend) throws IOException {
        String listing = listing(backend);
        FirewallState state = FirewallState.parse(backend, "wgf0", listing);
        assertTrue(state.matches(Fixtures.dualStack()), state.toString());
        assertEquals(Set.of(Fixtures.SSH.key(), Fixtures.DNS.key(), Fixtures.SSH6.key(), Fixtures.DNS6.key()), state.presentForwards());
        assertEquals(Optional.of("[2001:db8:200::2]:22"), state.dnatTarget(Fixtures.SSH6.key()));
        assertEquals(Optional.of("10.200.0.2:22"), state.dnatTarget(Fixtures.SSH.key()));
        assertTrue(state.isolationPresent());
        assertTrue(state.isolation6Present());
        assertEquals(Optional.of(MARK), FirewallScripts.ownerMark(listing));
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void anotherRulesetIsDrift(FirewallBackend backend) throws IOException {
        FirewallState state = FirewallState.parse(backend, "wgf0", listing(backend));
        // The same forwards on an IPv4-only tunnel: the IPv6 rules are extra.
        assertFalse(state.matches(Fixtures.ruleset()));
        // Another IPv6 target.
        assertFalse(state.matches(new ForwardRuleset("wgf0", Fixtures.RELAY_TUNNEL_IP, Fixtures.RELAY_TUNNEL_IP6, Fixtures.CLIENT_TUNNEL_IP,
                Fixtures.CLIENT_TUNNEL_IP6, List.of(Fixtures.SSH, Fixtures.DNS, new Forward(8822, Protocol.TCP, "2001:db8:200::3", 22),
                        Fixtures.DNS6))));
        // One IPv6 forward fewer.
        assertFalse(state.matches(new ForwardRuleset("wgf0", Fixtures.RELAY_TUNNEL_IP, Fixtures.RELAY_TUNNEL_IP6, Fixtures.CLIENT_TUNNEL_IP,
                Fixtures.CLIENT_TUNNEL_IP6, List.of(Fixtures.SSH, Fixtures.DNS, Fixtures.SSH6))));
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void theIpv6PartAloneIsIncomplete(FirewallBackend backend) throws IOException {
        String listing = listing(backend);
        // Without the IPv6 table or chains: the IPv4 forwards are there, the IPv6 ones and their drop are not.
        String ipv4Only = backend == FirewallBackend.NFTABLES
                ? listing.substring(0, listing.indexOf("table ip6 "))
                : listing.substring(0, listing.indexOf(FirewallState.IP6TABLES_MARKER));
        FirewallState state = FirewallState.parse(backend, "wgf0", ipv4Only);
        assertEquals(Set.of(Fixtures.SSH.key(), Fixtures.DNS.key()), state.presentForwards());
        assertTrue(state.isolationPresent());
        assertFalse(state.isolation6Present());
        assertFalse(state.matches(Fixtures.dualStack()));
        // A rule of an IPv6 forward gone (its DNAT): that forward is incomplete, the rest stays.
        String withoutDnat6 = listing.lines().filter(line -> !line.contains("8822/tcp:dnat")).reduce("", (a, b) -> a + b + "\n");
        FirewallState partial = FirewallState.parse(backend, "wgf0", withoutDnat6);
        assertEquals(Set.of(Fixtures.SSH.key(), Fixtures.DNS.key(), Fixtures.DNS6.key()), partial.presentForwards());
    }

    @ParameterizedTest
    @EnumSource(value = FirewallBackend.class, names = {"IPTABLES_NFT", "IPTABLES_LEGACY"})
    void ip6tablesRulesNeedTheirOwnJumps(FirewallBackend backend) throws IOException {
        String listing = listing(backend);
        int marker = listing.indexOf(FirewallState.IP6TABLES_MARKER);
        String withoutJump6 = listing.substring(0, marker)
                + listing.substring(marker).replace("-A FORWARD -m comment --comment \"wgforward:wgf0\" -j WGF-wgf0-FWD\n", "");
        FirewallState state = FirewallState.parse(backend, "wgf0", withoutJump6);
        assertEquals(Set.of(Fixtures.SSH.key(), Fixtures.DNS.key()), state.presentForwards());
        assertTrue(state.isolationPresent());
        assertFalse(state.isolation6Present());
    }
}
